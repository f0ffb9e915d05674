package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// monitorClient is a MONITOR client on one node: it connects (with AUTH
// when a password is set), sends MONITOR and from its +OK on only reads,
// recording every line (checker/monitor.go judges them). A lost
// connection ends the session; it connects again a little later.
type monitorClient struct {
	// state (clientConn's from 2 on): 2 authenticating, 3 waiting for
	// MONITOR's +OK, 4 monitoring.
	clientConn
	target  *simNode
	session int // index in h.rec.monitors while monitoring
}

// addMonitor adds, on a draw of its own stream, a monitor client on one of
// the initial nodes (half the seeds).
func (h *Cluster) addMonitor() {
	r := h.w.Rand("monitor")
	if !r.Chance(0.5) {
		return
	}
	m := &monitorClient{clientConn: clientConn{h: h, name: "m1"}, target: h.nodes[r.IntN(len(h.nodes))], session: -1}
	m.retry = func(*sim.World) { m.dial() }
	m.ended = m.sessionEnded
	h.net.AddHost(m.name, m)
	h.w.After(sim.Time(r.Int64N(int64(100*sim.Millisecond))), m.retry)
}

func (m *monitorClient) dial() {
	if m.state != 0 {
		return
	}
	m.connect(m.target.addr())
}

// OnDialed implements netsim.Handler.
func (m *monitorClient) OnDialed(conn netsim.ConnID, err error) {
	if conn != m.conn {
		return
	}
	if err != nil {
		m.dialFailed()
		return
	}
	var req []byte
	m.state = 3
	if m.h.pass != "" {
		req = resp.AppendCommandStrings(req, "AUTH", m.h.pass)
		m.state = 2
	}
	m.h.net.Send(conn, resp.AppendCommandStrings(req, "MONITOR"))
}

// OnData implements netsim.Handler.
func (m *monitorClient) OnData(conn netsim.ConnID, p []byte) {
	if conn != m.conn {
		return
	}
	m.in = append(m.in, p...)
	for m.state >= 2 {
		v, n, err := resp.ParseValue(m.in)
		if err != nil || n == 0 {
			if err != nil {
				m.hangUp()
			}
			return
		}
		switch {
		case m.state == 2 && v.Kind != resp.Error:
			m.state = 3
		case m.state == 3 && v.Kind == resp.SimpleString && string(v.Str) == "OK":
			m.state = 4
			m.session = len(m.h.rec.monitors)
			m.h.rec.monitors = append(m.h.rec.monitors, checker.MonitorSession{Node: m.target.name, From: int64(m.h.w.Now()), Client: m.name})
		case m.state == 4:
			s := &m.h.rec.monitors[m.session]
			text := string(v.Str)
			if v.Kind != resp.SimpleString {
				text = v.String() // not a monitor line: the check says so
			}
			s.Lines = append(s.Lines, checker.MonitorLine{At: int64(m.h.w.Now()), Text: text})
		default: // AUTH or MONITOR refused: try again later
			m.hangUp()
			return
		}
		m.in = m.in[:copy(m.in, m.in[n:])]
	}
}

// sessionEnded ends the session of a connection that ended and dials
// again a little later.
func (m *monitorClient) sessionEnded() {
	if m.session >= 0 {
		m.h.rec.monitors[m.session].Until = int64(m.h.w.Now())
		m.session = -1
	}
	m.h.w.After(reconnectDelay, m.retry)
}

// MonitorInput is what the monitor check reads.
func (h *Cluster) MonitorInput() checker.MonitorInput {
	in := checker.MonitorInput{Sessions: h.rec.monitors}
	in.Ops = append(append(in.Ops, h.masterOps...), h.replicaOps...)
	for _, c := range h.clients {
		in.Clients = append(in.Clients, c.name)
	}
	return in
}
