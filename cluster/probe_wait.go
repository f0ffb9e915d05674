package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// The WAIT probe: in the middle of the steady tail a client of its own
// (host waitProbeHost) writes the probe key on the master and sends
// WAIT for every other node with a short timeout, or (a quarter of the
// seeds) none: then it returns only with its count, or never. A master whose client
// waits asks its replicas for an ACK at once (REPLCONF GETACK), so every
// replica on a healthy link is counted within a few round trips, not at
// its once-a-second ACK (checker.CheckWaitProbe). A quarter of the probes
// pipeline a PING behind the WAIT: it waits in the client's input while
// the WAIT blocks and must run as soon as the WAIT is answered (Redis's
// unblocked client processes its pending input).

const (
	// waitProbeAfter is when the probe dials, from the tail's start.
	waitProbeAfter = 1500 * sim.Millisecond
	// waitProbeTimeoutMs is its WAIT's timeout: a few hundred round trips
	// of a healthy link, a third of a replica's ACK period.
	waitProbeTimeoutMs = 300
)

// waitProbe is the probe's client. state (clientConn's from 2 on): 2 its
// requests sent, reading their replies.
type waitProbe struct {
	clientConn
	target  *simNode
	timeout int // its WAIT's timeout (ms)
	ping    bool
	replies int // replies read so far (AUTH's, SET's, WAIT's, PING's)
	write   int // its SET in the recorder's probeWrites
	auth    bool
	rec     checker.WaitProbe
}

// startWaitProbe schedules the probe on the master of the moment.
func (h *Cluster) startWaitProbe() {
	m := h.master
	if m == nil || len(h.nodes) < 2 {
		return
	}
	p := &waitProbe{clientConn: clientConn{h: h, name: checker.WaitProbeHost}, target: m, timeout: waitProbeTimeoutMs}
	if h.w.Rand("probe/wait-timeout").Chance(0.25) {
		p.timeout = 0
	}
	p.ping = h.w.Rand("probe/wait-ping").Chance(0.25)
	p.retry = func(*sim.World) {} // one attempt
	p.ended = func() {}
	h.net.AddHost(p.name, p)
	h.w.After(waitProbeAfter, sim.EventFunc(func(*sim.World) {
		if p.target.up && !p.target.paused && h.master == p.target {
			p.connect(p.target.addr())
		}
	}))
}

// OnDialed implements netsim.Handler.
func (p *waitProbe) OnDialed(conn netsim.ConnID, err error) {
	if conn != p.conn || err != nil {
		p.state = 0
		return
	}
	var req []byte
	if p.h.pass != "" {
		req = resp.AppendCommandStrings(req, "AUTH", p.h.pass)
		p.auth = true
	}
	asked := len(p.h.nodes) - 1
	req = resp.AppendCommandStrings(req, "SET", checker.ProbeKey, "1")
	req = resp.AppendCommandStrings(req, "WAIT", strconv.Itoa(asked), strconv.Itoa(p.timeout))
	if p.ping {
		req = resp.AppendCommandStrings(req, "PING")
	}
	p.state = 2
	p.rec = checker.WaitProbe{Node: p.target.name, Sent: int64(p.h.w.Now()), Asked: asked, TimeoutMs: p.timeout, Reply: -1,
		PingPipelined: p.ping, PingAt: -1}
	p.write = len(p.h.rec.probeWrites)
	p.h.rec.probeWrites = append(p.h.rec.probeWrites, checker.NodeCall{Node: p.target.name, Call: p.rec.Sent, Return: -1})
	p.h.net.Send(conn, req)
}

// OnData implements netsim.Handler.
func (p *waitProbe) OnData(conn netsim.ConnID, b []byte) {
	if conn != p.conn || p.state != 2 {
		return
	}
	p.in = append(p.in, b...)
	for {
		v, n, err := resp.ParseValue(p.in)
		if err != nil || n == 0 {
			if err != nil {
				p.hangUp()
			}
			return
		}
		p.in = p.in[:copy(p.in, p.in[n:])]
		p.replies++
		wait := 2
		if p.auth {
			wait = 3
		}
		if p.replies == wait+1 {
			p.rec.PingAt = int64(p.h.w.Now())
			p.hangUp()
			return
		}
		if v.Kind == resp.Error && p.rec.Err == "" {
			p.rec.Err = string(v.Str) // AUTH or SET refused: WAIT then proves nothing
		}
		if p.replies != wait {
			continue
		}
		p.rec.At = int64(p.h.w.Now())
		p.h.rec.probeWrites[p.write].Return = p.rec.At
		if v.Kind == resp.Integer {
			p.rec.Reply = int(v.Int)
		}
		p.h.w.Log().S("probe: WAIT on ").S(p.rec.Node).S(" -> ").I(int64(p.rec.Reply)).End()
		p.h.rec.waitProbe = &p.rec
		if !p.ping {
			p.hangUp()
			return
		}
	}
}

// WaitProbeResult is the WAIT probe's outcome (nil when none was answered).
func (h *Cluster) WaitProbeResult() *checker.WaitProbe { return h.rec.waitProbe }
