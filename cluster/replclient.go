package cluster

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// replClient is a client that speaks the replication protocol by hand, as
// redis-cli --replica or a proxy does: it connects to a node, announces
// itself with REPLCONF, asks for the stream with PSYNC (a fresh one, a
// resume of its last session, one at an offset past the node's, one with
// a replication ID nobody had) or the old SYNC, reads the snapshot and
// then the stream, and sometimes sends a second PSYNC on the attached
// link, which Redis ignores. It acknowledges offset 0 only (a diskless
// transfer starts the stream at the first ACK), so WAIT never counts it.
// checker/repl_client.go judges what it read against the masters'
// streams. It stops at the heal, so the liveness phase is the nodes'.
type replClient struct {
	// state (clientConn's from 2 on): 2 reading the handshake's replies,
	// 3 reading the snapshot, 4 streaming.
	clientConn
	r       *sim.Rand
	pending int // handshake replies still to come before PSYNC's
	target  *simNode
	// sess is the index of the session in h.rec.replClients, -1 none.
	sess int
	// last is the latest session that reached its stream, for a resume.
	last    int
	payload int64  // snapshot bytes still to read (state 3, sized)
	eofMark []byte // the diskless transfer's end mark (state 3)
	// syncReq is the sync request, held until the handshake's replies
	// have come (nil once sent).
	syncReq   []byte
	stopped   bool
	listenFor int
}

// addReplClient adds, on a draw of its own stream, a replication-protocol
// client (half the seeds).
func (h *Cluster) addReplClient() {
	r := h.w.Rand("replclient")
	if !r.Chance(0.5) {
		return
	}
	p := &replClient{clientConn: clientConn{h: h, name: "p1"}, r: r, sess: -1, last: -1, listenFor: 7000 + r.IntN(1000)}
	if h.w.Rand("replclient/no-port").Chance(0.2) {
		// As redis-cli --replica: no REPLCONF listening-port, so the
		// node names it "<ip>:<unknown-replica-port>" in its log.
		p.listenFor = 0
	}
	p.retry = func(*sim.World) { p.dial() }
	p.ended = p.sessionEnded
	h.replClient = p
	h.net.AddHost(p.name, p)
	h.w.After(sim.Time(r.Int64N(int64(300*sim.Millisecond))), p.retry)
}

// stop ends the client's work (the heal): it hangs up and dials no more.
func (p *replClient) stop() {
	p.stopped = true
	if p.state != 0 {
		p.hangUp()
	}
}

// pickTarget is the node to ask: mostly the master, else any node that is
// up (a replica serves its master's stream too).
func (p *replClient) pickTarget() *simNode {
	var up []*simNode
	for _, s := range p.h.nodes {
		if s.up {
			up = append(up, s)
		}
	}
	if len(up) == 0 {
		return nil
	}
	if m := p.h.master; m != nil && m.up && p.r.Chance(0.75) {
		return m
	}
	return up[p.r.IntN(len(up))]
}

// request draws the sync request of a new session.
func (p *replClient) request() string {
	var last *checker.ReplClientSession
	if p.last >= 0 {
		last = &p.h.rec.replClients[p.last]
	}
	switch k := p.r.IntN(10); {
	case k == 0:
		return "SYNC"
	case k == 1:
		var id [20]byte
		for i := range id {
			id[i] = byte(p.r.IntN(256))
		}
		return fmt.Sprintf("PSYNC %x %d", id, 1+p.r.IntN(100))
	case k <= 5 && last != nil && last.ReplID != "":
		off := last.Start + int64(len(last.Data)) + 1
		if k == 5 {
			off += 1 + p.r.Int64N(10000) // past what the node has, most likely
		} else if k == 4 && off > 1 {
			off -= 1 + p.r.Int64N(min(off-1, 100000)) // further back
		}
		return fmt.Sprintf("PSYNC %s %d", last.ReplID, off)
	default:
		return "PSYNC ? -1"
	}
}

func (p *replClient) dial() {
	if p.state != 0 || p.stopped {
		return
	}
	p.target = p.pickTarget()
	if p.target == nil {
		p.h.w.After(reconnectDelay, p.retry)
		return
	}
	p.connect(p.target.addr())
}

// OnDialed implements netsim.Handler.
func (p *replClient) OnDialed(conn netsim.ConnID, err error) {
	if conn != p.conn {
		return
	}
	if err != nil {
		p.dialFailed()
		return
	}
	var req []byte
	p.pending = 1
	if p.h.pass != "" {
		req = resp.AppendCommandStrings(req, "AUTH", p.h.pass)
		p.pending++
	}
	if p.listenFor != 0 {
		req = resp.AppendCommandStrings(req, "REPLCONF", "listening-port", strconv.Itoa(p.listenFor))
	} else {
		p.pending--
	}
	capa := []string{"REPLCONF"}
	if p.r.Chance(0.8) {
		capa = append(capa, "capa", "eof")
	}
	if p.r.Chance(0.8) {
		capa = append(capa, "capa", "psync2")
	}
	if len(capa) > 1 {
		req = resp.AppendCommandStrings(req, capa...)
		p.pending++
	}
	sync := p.request()
	// Redis refuses a sync request while replies are still queued for
	// the client ("SYNC and PSYNC are invalid with pending output"), so
	// it goes out after the handshake's replies, but now and then
	// pipelined behind them.
	p.syncReq = resp.AppendCommandStrings(nil, strings.Fields(sync)...)
	if p.r.Chance(0.1) {
		req = append(req, p.syncReq...)
		p.syncReq = nil
	}
	p.sess = len(p.h.rec.replClients)
	p.h.rec.replClients = append(p.h.rec.replClients, checker.ReplClientSession{Client: p.name, Node: p.target.name,
		From: int64(p.h.w.Now()), Request: sync, Capa: strings.Join(capa[1:], " ")})
	p.state = 2
	p.h.net.Send(conn, req)
	// A session lasts a fraction of a second to a few seconds.
	sess := p.sess
	p.h.w.After(sim.Time(p.r.Between(int64(200*sim.Millisecond), int64(4*sim.Second))), sim.EventFunc(func(*sim.World) {
		if p.sess == sess && p.state != 0 {
			p.hangUp()
		}
	}))
	if p.r.Chance(0.3) {
		p.h.w.After(sim.Time(p.r.Between(int64(10*sim.Millisecond), int64(1500*sim.Millisecond))), sim.EventFunc(func(*sim.World) {
			if p.sess == sess {
				p.secondSync()
			}
		}))
	}
}

// secondSync sends a second PSYNC (or SYNC) on the link once it streams:
// Redis ignores a sync request from a client that is already a replica.
func (p *replClient) secondSync() {
	if p.state != 4 || p.sess < 0 {
		return
	}
	s := &p.h.rec.replClients[p.sess]
	if s.SecondAt != 0 {
		return
	}
	s.SecondAt = int64(p.h.w.Now())
	s.SecondAtByte = int64(len(s.Data))
	if p.r.Chance(0.5) {
		p.h.net.Send(p.conn, resp.AppendCommandStrings(nil, "SYNC"))
		return
	}
	p.h.net.Send(p.conn, resp.AppendCommandStrings(nil, "PSYNC", "?", "-1"))
}

// OnData implements netsim.Handler.
func (p *replClient) OnData(conn netsim.ConnID, b []byte) {
	if conn != p.conn || p.state < 2 {
		return
	}
	p.in = append(p.in, b...)
	for p.step() {
	}
}

// step consumes what it can of the input; it reports whether to go on.
func (p *replClient) step() bool {
	s := &p.h.rec.replClients[p.sess]
	switch p.state {
	case 2:
		if p.pending > 0 {
			v, n, err := resp.ParseValue(p.in)
			if err != nil {
				s.Reply = "unparsable handshake reply"
				p.hangUp()
				return false
			}
			if n == 0 {
				return false
			}
			p.in = p.in[n:]
			p.pending--
			if v.Kind == resp.Error {
				s.Handshake = append(s.Handshake, "-"+string(v.Str))
			}
			if p.pending == 0 && p.syncReq != nil {
				p.h.net.Send(p.conn, p.syncReq)
				p.syncReq = nil
			}
			return true
		}
		p.in = bytes.TrimLeft(p.in, "\n") // keepalives before the reply
		if s.Request == "SYNC" {
			p.state = 3
			return true
		}
		i := bytes.Index(p.in, []byte("\r\n"))
		if i < 0 {
			return false
		}
		line := string(p.in[:i])
		p.in = p.in[i+2:]
		s.Reply = line
		s.ReplyAt = int64(p.h.w.Now())
		s.ReplySeq = p.h.rec.next()
		switch f := strings.Fields(line); {
		case len(f) == 3 && f[0] == "+FULLRESYNC":
			s.ReplID = f[1]
			s.Start, _ = strconv.ParseInt(f[2], 10, 64)
			p.state = 3
		case len(f) >= 1 && f[0] == "+CONTINUE":
			s.ReplID = strings.Fields(s.Request)[1]
			if len(f) == 2 {
				s.ReplID = f[1]
			}
			off, _ := strconv.ParseInt(strings.Fields(s.Request)[2], 10, 64)
			s.Start = off - 1
			p.state = 4
			p.last = p.sess
		default:
			if strings.HasPrefix(line, "-") {
				s.AfterRefusal = string(p.in)
			}
			p.hangUp()
			return false
		}
		return true
	case 3:
		return p.readSnapshot(s)
	case 4:
		s.Data = append(s.Data, p.in...)
		p.in = p.in[:0]
		return false
	}
	return false
}

// readSnapshot reads the snapshot's "$<len>" or "$EOF:<mark>" header and
// its bytes, then asks for the stream with REPLCONF ACK 0.
func (p *replClient) readSnapshot(s *checker.ReplClientSession) bool {
	if p.payload == 0 && p.eofMark == nil {
		p.in = bytes.TrimLeft(p.in, "\n")
		i := bytes.Index(p.in, []byte("\r\n"))
		if i < 0 {
			return false
		}
		head := string(p.in[:i])
		p.in = p.in[i+2:]
		s.Payload = head
		switch {
		case strings.HasPrefix(head, "$EOF:") && len(head) == 5+40:
			p.eofMark = []byte(head[5:])
		case strings.HasPrefix(head, "$"):
			n, err := strconv.ParseInt(head[1:], 10, 64)
			if err != nil || n < 0 {
				p.hangUp()
				return false
			}
			p.payload = n
			if n == 0 {
				return p.snapshotDone(s)
			}
		default:
			p.hangUp()
			return false
		}
		return true
	}
	if p.eofMark != nil {
		// The mark ends the transfer; nothing follows it until the ACK.
		if i := bytes.Index(p.in, p.eofMark); i >= 0 {
			s.AddPayload(p.in[:i])
			p.in = p.in[i+len(p.eofMark):]
			return p.snapshotDone(s)
		}
		keep := min(len(p.in), len(p.eofMark)-1)
		s.AddPayload(p.in[:len(p.in)-keep])
		p.in = p.in[:copy(p.in, p.in[len(p.in)-keep:])]
		return false
	}
	n := min(int64(len(p.in)), p.payload)
	s.AddPayload(p.in[:n])
	p.payload -= n
	p.in = p.in[n:]
	if p.payload > 0 {
		return false
	}
	return p.snapshotDone(s)
}

func (p *replClient) snapshotDone(s *checker.ReplClientSession) bool {
	p.payload, p.eofMark = 0, nil
	s.SnapshotDone = true
	p.state = 4
	if s.ReplID != "" {
		p.last = p.sess
	}
	p.h.net.Send(p.conn, resp.AppendCommandStrings(nil, "REPLCONF", "ACK", "0"))
	return true
}

// sessionEnded ends the session of a connection that ended and, unless
// the client stopped, dials again a little later.
func (p *replClient) sessionEnded() {
	if p.sess >= 0 {
		p.h.rec.replClients[p.sess].Until = int64(p.h.w.Now())
		p.sess = -1
	}
	p.payload, p.eofMark, p.syncReq = 0, nil, nil
	if !p.stopped {
		p.h.w.After(sim.Time(p.r.Between(int64(reconnectDelay), int64(500*sim.Millisecond))), p.retry)
	}
}
