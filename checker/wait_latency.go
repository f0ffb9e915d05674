package checker

import (
	"fmt"
	"slices"
)

// A WAIT answers as soon as it has its acknowledgements. Redis 7.0.15's
// waitCommand answers at once when replicationCountAcksByOffset already
// counts numreplicas replicas at the client's offset; otherwise it blocks,
// and beforeSleep runs processClientsWaitingReplicas after every pass of
// the event loop, so the pass that reads the REPLCONF ACK completing the
// count (replconfCommand's "ack") answers the WAIT before the loop sleeps
// again. Its timeout only ends a WAIT that never got them.
//
// The record: a master's WAIT that blocked says when it did (BlockedAt,
// virtual time), the offset it waits for and how many replicas it wants;
// when it returns, which replica connections the master counted (online,
// acknowledged that offset) and when. The count Redis keeps for a replica
// connection (repl_ack_off, the greatest offset its ACKs carried) only
// grows, and a replica stays online until its connection is freed, so a
// connection counted at the return was counted from the first ACK on it
// that reached the offset (the master took it: AckReceipt, on the master's
// own time line, held events included). The Want-th earliest of those
// instants is when the count was complete; the WAIT must have returned
// then, or when it blocked if that came later (the count was in hand: it
// must not have blocked at all). Both are instants of the master's own
// processing, so no slack is needed for the network: the reply is queued
// in the very pass that completes the count.
//
// The offset is the one the node reports it waited for: as in Redis, the
// client's c->woff, the master's offset right after the client's previous
// command (processCommand). A node that waited for more (the master's
// offset when WAIT ran, which is never below it) would only be held to a
// later instant: whatever counts a replica for the larger offset counts
// it for the smaller one too.

// ackConnKey names one replica connection of one master.
type ackConnKey struct{ master, conn string }

// acksByConn indexes the ACKs masters took by master and replica
// connection, each list in the order the master took them.
func acksByConn(acks []AckReceipt) map[ackConnKey][]AckReceipt {
	out := map[ackConnKey][]AckReceipt{}
	for _, a := range acks {
		if a.Conn == "" {
			continue
		}
		k := ackConnKey{a.Master, a.Conn}
		out[k] = append(out[k], a)
	}
	return out
}

// CheckWaitLatency flags a WAIT that returned with at least the replicas it
// asked for later than the instant its count was complete (or than the
// instant it blocked, when the count was already complete then).
func CheckWaitLatency(waits []WaitAck, acks []AckReceipt) []Violation {
	byConn := acksByConn(acks)
	var out []Violation
	for i := range waits {
		w := &waits[i]
		if !w.Blocked || w.Want <= 0 || int64(len(w.Conns)) < w.Want {
			continue // answered at once, or by its timeout (or CLIENT UNBLOCK) short of Want
		}
		// reached[i]: when the master took the first ACK on a counted
		// connection that reached the offset.
		var reached []int64
		for _, conn := range w.Conns {
			for _, a := range byConn[ackConnKey{w.Master, conn}] {
				if a.At > w.At {
					break
				}
				if a.Offset >= w.Offset {
					reached = append(reached, a.At)
					break
				}
			}
		}
		if int64(len(reached)) < w.Want {
			continue // offset 0 counts replicas that never acknowledged
		}
		slices.Sort(reached)
		complete := reached[w.Want-1]
		due := max(complete, w.BlockedAt)
		if w.At <= due {
			continue
		}
		what := fmt.Sprintf("the master had taken REPLCONF ACKs reaching it from %d replica connections at %s", w.Want, seconds(complete))
		if complete <= w.BlockedAt {
			what = fmt.Sprintf("those ACKs were in hand when it ran (the last of them taken at %s): waitCommand answers at once then", seconds(complete))
		}
		out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Offsets: []int64{w.Offset},
			Detail: fmt.Sprintf("%s blocked client %d's WAIT %d for offset %d at %s and answered it only at %s (counting %d replicas), %s later than it had its count: %s; Redis answers a WAIT in the event-loop pass that completes its count (processClientsWaitingReplicas in beforeSleep)",
				w.Master, w.Client, w.Want, w.Offset, seconds(w.BlockedAt), seconds(w.At), len(w.Conns), seconds(w.At-due), what)})
	}
	return out
}
