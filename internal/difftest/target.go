package difftest

import (
	"bufio"
	"fmt"
	"net"
	"time"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// Target answers commands with raw RESP reply bytes.
type Target interface {
	// Do sends one command and returns the raw bytes of its one reply.
	Do(args ...string) ([]byte, error)
}

// TCPTarget is a server reached over TCP (a real redis-server, or
// `replsim server`).
type TCPTarget struct {
	conn    net.Conn
	r       *bufio.Reader
	timeout time.Duration
}

// DialTCP connects to addr; every command must be answered within timeout.
func DialTCP(addr string, timeout time.Duration) (*TCPTarget, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("difftest: dial %s: %w", addr, err)
	}
	return &TCPTarget{conn: c, r: bufio.NewReaderSize(c, 1<<16), timeout: timeout}, nil
}

// Close closes the connection.
func (t *TCPTarget) Close() error { return t.conn.Close() }

// Do implements Target.
func (t *TCPTarget) Do(args ...string) ([]byte, error) {
	if err := t.conn.SetDeadline(time.Now().Add(t.timeout)); err != nil {
		return nil, err
	}
	if _, err := t.conn.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		return nil, fmt.Errorf("difftest: write: %w", err)
	}
	return ReadReply(t.r)
}

// ReadReply reads exactly one complete RESP2 reply from r and returns its
// raw bytes.
func ReadReply(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		if len(buf) > 0 {
			_, k, err := resp.ParseValue(buf)
			if err != nil {
				return buf, fmt.Errorf("difftest: bad reply %q: %w", buf, err)
			}
			if k > 0 {
				if k != len(buf) {
					return buf, fmt.Errorf("difftest: %d unexpected bytes after reply %q", len(buf)-k, buf[:k])
				}
				return buf, nil
			}
		}
		// Read what is buffered (at least one byte) and try again.
		b, err := r.ReadByte()
		if err != nil {
			return buf, fmt.Errorf("difftest: read: %w", err)
		}
		buf = append(buf, b)
		if n := r.Buffered(); n > 0 {
			more, _ := r.Peek(n)
			buf = append(buf, more...)
			_, _ = r.Discard(n)
		}
	}
}

// NodeTarget is our node driven in process through nodetest, on one client
// connection, with its clock following the wall clock.
type NodeTarget struct {
	H    *nodetest.Harness
	Conn node.ConnID
	// Clock returns the Unix nanoseconds to set before each command.
	Clock func() int64
}

// Do implements Target.
func (t *NodeTarget) Do(args ...string) ([]byte, error) {
	if t.Clock != nil {
		t.H.Env.SetNow(t.Clock())
	}
	out := t.H.Do(t.Conn, args...)
	// A blocking command that blocked answers when its timeout passes on
	// the wall clock, which the node's clock follows; no Tick, which would
	// expire keys actively.
	for start := time.Now(); len(out) == 0 && t.Clock != nil && time.Since(start) < 10*time.Second; {
		time.Sleep(time.Millisecond)
		t.H.Env.SetNow(t.Clock())
		t.H.Node.OnData(t.Conn, nil) // an event: blocked clients time out
		out = t.H.Env.Take(t.Conn)
	}
	if _, k, err := resp.ParseValue(out); err != nil || k != len(out) {
		return out, fmt.Errorf("difftest: node sent %q, not exactly one reply (err %v)", out, err)
	}
	return out, nil
}
