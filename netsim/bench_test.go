package netsim

import (
	"testing"

	"github.com/replsim/replsim/sim"
)

// echo bounces every complete 64-byte message back until left reaches 0.
type echo struct {
	n    *Network
	buf  []byte // reused: a message is delivered before it is sent again
	have int
	left *int
	c    ConnID
}

func (e *echo) OnAccept(port int, c ConnID) { e.c = c }
func (e *echo) OnDialed(c ConnID, err error) {
	e.c = c
	e.n.Send(c, e.buf)
}
func (e *echo) OnClosed(ConnID, error) {}
func (e *echo) OnData(c ConnID, p []byte) {
	e.have += len(p)
	for e.have >= len(e.buf) {
		e.have -= len(e.buf)
		*e.left--
		if *e.left > 0 {
			e.n.Send(c, e.buf)
		}
	}
}

// BenchmarkSendDeliver measures one 64-byte message sent and delivered,
// ping-ponged between two hosts.
func BenchmarkSendDeliver(b *testing.B) {
	for _, bc := range []struct {
		name  string
		chunk float64
	}{{"whole", 0}, {"chunked25", 0.25}} {
		b.Run(bc.name, func(b *testing.B) {
			w := sim.NewWorld(1)
			cfg := DefaultConfig()
			cfg.ChunkProb = bc.chunk
			n := New(w, cfg)
			left := b.N
			cl := &echo{n: n, buf: make([]byte, 64), left: &left}
			sv := &echo{n: n, buf: make([]byte, 64), left: &left}
			n.AddHost("c", cl)
			n.AddHost("s", sv)
			if err := n.Listen("s", 6379); err != nil {
				b.Fatal(err)
			}
			n.Dial("c", "s:6379")
			b.ReportAllocs()
			b.ResetTimer()
			for left > 0 && w.Step() {
			}
			if left > 0 {
				b.Fatalf("stalled with %d messages left", left)
			}
		})
	}
}
