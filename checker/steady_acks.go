package checker

import (
	"fmt"
	"strconv"
)

// The steady tail: once a run has converged, it runs a few more seconds
// with no workload and no fault (harness.steadyTail). A healthy link then
// does what Redis 7.0.15 does every second: the replica's replicationCron
// sends REPLCONF ACK (replicationSendAck), which is what keeps the
// master's lag for it low, its min-replicas-to-write count and its
// repl-timeout from dropping the replica.

// AckReceipt is a REPLCONF ACK a master took from an attached replica.
type AckReceipt struct {
	At              int64
	Master, Replica string
	Offset          int64
	// Conn is the replica's connection: its remote address as the master
	// accepted it ("host:port", unique to the connection).
	Conn string
}

// SteadyLink is a replica's link to its master that was up, on the same
// connection, at both ends of the steady tail, with neither node busy
// (DEBUG SLEEP) at its start.
type SteadyLink struct {
	Replica, Master string
}

// SteadyInput is what the steady-tail checks read: the tail's bounds
// (virtual ns), its links, and every ACK masters took during the run.
type SteadyInput struct {
	From, To int64
	Links    []SteadyLink
	Acks     []AckReceipt
	// EndInfo is the nodes' INFO replication as the tail ended.
	EndInfo ReplInfoInput
}

// ackGapMax is the longest a steady link may go without an ACK: the
// replica's once-a-second replicationCron, plus the shift an hz change
// can give its first run after (run_with_period counts ticks) and the
// link's latency.
const ackGapMax = 1500 * 1e6

// CheckSteadyAcks checks that during the steady tail every steady link's
// master took an ACK from its replica at least every ackGapMax, counting
// from the tail's start and up to its end.
func CheckSteadyAcks(in SteadyInput) []Violation {
	var out []Violation
	for _, l := range in.Links {
		last, worst, worstAt := in.From, int64(0), in.From
		n := 0
		gap := func(at int64) {
			if at-last > worst {
				worst, worstAt = at-last, last
			}
			last = at
		}
		for _, a := range in.Acks {
			if a.Master == l.Master && a.Replica == l.Replica && a.At >= in.From && a.At <= in.To {
				gap(a.At)
				n++
			}
		}
		gap(in.To)
		if worst > ackGapMax {
			out = append(out, Violation{Check: PropLiveness, At: worstAt + worst, Nodes: []string{l.Replica, l.Master},
				Detail: fmt.Sprintf("replica %s's link to %s was up and idle from %s to %s (after convergence, no fault), but %s took %d REPLCONF ACKs from it, with %s between %s and the next: a replica acknowledges once a second",
					l.Replica, l.Master, seconds(in.From), seconds(in.To), l.Master, n, seconds(worst), seconds(worstAt))})
		}
	}
	return out
}

// CheckSteadyAckOffsets checks what a master keeps of its steady links'
// ACKs: as the tail ends its INFO lists each such replica at an offset no
// lower than the highest one the replica acknowledged during the tail
// (Redis's replconfCommand keeps repl_ack_off, the greatest offset a
// replica's REPLCONF ACK carried on its connection, and INFO shows it).
func CheckSteadyAckOffsets(in SteadyInput) []Violation {
	var out []Violation
	info := in.EndInfo
	nodes := map[string]*ReplInfoNode{}
	for i := range info.Nodes {
		nodes[info.Nodes[i].Name] = &info.Nodes[i]
	}
	for _, l := range in.Links {
		m, r := nodes[l.Master], nodes[l.Replica]
		if m == nil || r == nil || !m.Up || !r.Up {
			continue
		}
		best, seen := int64(-1), false
		for _, a := range in.Acks {
			if a.Master == l.Master && a.Replica == l.Replica && a.At >= in.From && a.At <= in.To {
				best, seen = max(best, a.Offset), true
			}
		}
		if !seen {
			continue
		}
		_, reps := parseInfo(m.Info)
		listed, shown := false, int64(-1)
		for _, x := range reps {
			if x.ip == r.Name && x.port == strconv.Itoa(r.Port) {
				listed, shown = true, max(shown, x.offset)
			}
		}
		if listed && shown < best {
			out = append(out, Violation{Check: "repl_info", Nodes: []string{l.Master, l.Replica},
				Detail: fmt.Sprintf("%s's INFO lists replica %s at offset %d, but the replica acknowledged offset %d on its steady link: a master keeps the greatest offset its replica acknowledged",
					l.Master, l.Replica, shown, best)})
		}
	}
	return out
}
