package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
)

// waitBlock is a WAIT blocked on a master, until it returns.
type waitBlock struct {
	at      int64
	want    int64
	clockMs int64 // the master's clock (Unix ms) when it blocked
	timeout int64 // ms; 0: none
	gen     int   // the master's process
	client  int
	call    int // the harness's call into the master that blocked it (LogLine.Call)
}

// WaitBlocked implements tap.WaitBlockTap: it keeps when the WAIT of the
// client on connection clientAddr blocked, for its return's record.
func (s *simNode) WaitBlocked(clientAddr string, offset, numReplicas, timeoutMs int64) {
	if clientAddr == "" {
		return // the harness's own client: no address to match its return by
	}
	h := s.h
	if h.waitBlocks == nil {
		h.waitBlocks = map[string]waitBlock{}
	}
	client := -1
	if c := h.clientByHost(hostOf(clientAddr)); c != nil {
		client = c.id
	}
	h.waitBlocks[s.name+" "+clientAddr] = waitBlock{at: int64(h.w.Now()), want: numReplicas, clockMs: s.Now() / 1e6, timeout: timeoutMs,
		gen: s.gen, client: client, call: s.calls}
}

// noteSent notes that s's process sent data on connection c in its
// current call (forgetWaitBlock).
func (s *simNode) noteSent(c netsim.ConnID) {
	if s.sentIn == nil {
		s.sentIn = map[netsim.ConnID]int{}
	}
	s.sentIn[c] = s.calls
}

// forgetWaitBlock drops the blocked WAIT of the client on connection c, if
// it has one, as the client's next input arrives or the connection
// closes: a WAIT ended without a return (CLIENT UNBLOCK ... ERROR) must
// not lend its block to the next WAIT on the connection. One that never
// returned is recorded as pending (checker.CheckWaitTimeouts judges
// whether its timeout should have ended it by then), while the process it
// blocked in is still up.
func (s *simNode) forgetWaitBlock(c netsim.ConnID) {
	if len(s.h.waitBlocks) == 0 {
		return
	}
	peer := s.h.net.Peer(c)
	key := s.name + " " + s.h.net.Host(peer) + ":" + strconv.FormatUint(uint64(peer), 10)
	b, ok := s.h.waitBlocks[key]
	if !ok {
		return
	}
	delete(s.h.waitBlocks, key)
	// A reply the node sent the client in a later call answered the WAIT
	// all the same: CLIENT UNBLOCK ... ERROR ends it with no return to
	// report (seed 31388, whose reply a latency fault then held).
	answered := s.sentIn[c] > b.call
	if b.gen == s.gen && s.up && !s.node.Down() && b.timeout > 0 && !answered {
		s.h.rec.pendingWaits = append(s.h.rec.pendingWaits, checker.WaitAck{Seq: s.h.rec.next(), At: int64(s.h.w.Now()), Master: s.name,
			Client: b.client, Blocked: true, BlockedAt: b.at, Want: b.want, BlockedClockMs: b.clockMs, TimeoutMs: b.timeout, Pending: true})
	}
}

// WaitReturned implements tap.WaitTap: it records which replicas the
// master counted when a client's WAIT returned, by name and connection,
// and when it had blocked.
func (s *simNode) WaitReturned(clientAddr string, offset int64, replicas []string, unblocked bool) {
	h := s.h
	client := -1
	if c := h.clientByHost(hostOf(clientAddr)); c != nil {
		client = c.id
	}
	names := make([]string, len(replicas))
	for i, r := range replicas {
		names[i] = hostOf(r)
	}
	w := checker.WaitAck{Seq: h.rec.next(), At: h.w.Now(), Master: s.name, ReturnClockMs: s.Now() / 1e6, Unblocked: unblocked,
		Client: client, Offset: offset, Replicas: names, Conns: append([]string(nil), replicas...)}
	key := s.name + " " + clientAddr
	if b, ok := h.waitBlocks[key]; ok && clientAddr != "" {
		w.Blocked, w.BlockedAt, w.Want = true, b.at, b.want
		w.BlockedClockMs, w.TimeoutMs = b.clockMs, b.timeout
		delete(h.waitBlocks, key)
	}
	h.rec.waits = append(h.rec.waits, w)
}

// hostOf is the host part of a "host:port" address.
func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[:i]
	}
	return addr
}

// clientByHost finds the simulated client whose host is name.
func (h *Cluster) clientByHost(name string) *simClient {
	for _, c := range h.clients {
		if c.name == name {
			return c
		}
	}
	return nil
}
