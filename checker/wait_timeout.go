package checker

import (
	"fmt"
	"sort"
	"strings"
)

// A WAIT with a timeout ends by it: Redis 7.0.15 keeps a blocked client's
// deadline (its clock when WAIT ran plus the timeout, in ms) and, in
// beforeSleep after every pass of its event loop, answers each client
// whose deadline the clock is past (handleBlockedClientsTimeout). So a
// blocked WAIT with a timeout has returned by the end of its master's
// first serverCron run whose clock is past the deadline, unless the
// client went away (then it never returns, and is not judged).

// A WAIT that returns short of the replicas it asked for, unless CLIENT
// UNBLOCK ended it, timed out: its master's clock was past the deadline.

// CheckWaitTimeouts flags a WAIT that returned later than the first full
// serverCron run of its master past its deadline, or timed out before
// its master's clock was past it.
func CheckWaitTimeouts(waits []WaitAck, crons []CronRun) []Violation {
	byNode := fullCronsByNode(crons)
	var out []Violation
	for i := range waits {
		w := &waits[i]
		if !w.Blocked || w.TimeoutMs <= 0 {
			continue
		}
		deadline := w.BlockedClockMs + w.TimeoutMs
		if !w.Unblocked && int64(len(w.Conns)) < w.Want && w.ReturnClockMs <= deadline {
			out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Offsets: []int64{w.Offset},
				Detail: fmt.Sprintf("%s answered client %d's WAIT %d with a %d ms timeout, blocked at its clock %d ms, with %d replicas at its clock %d ms, not past the deadline %d ms: Redis times a blocked client out only once its clock is past it (checkBlockedClientTimeout: timeout < now)",
					w.Master, w.Client, w.Want, w.TimeoutMs, w.BlockedClockMs, len(w.Conns), w.ReturnClockMs, deadline)})
			continue
		}
		runs := byNode[w.Master]
		k := firstCronPast(runs, w.BlockedAt, deadline)
		if k == len(runs) || w.At <= runs[k].At {
			continue
		}
		out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Offsets: []int64{w.Offset},
			Detail: fmt.Sprintf("%s blocked client %d's WAIT %d with a %d ms timeout at %s (its clock %d ms) and answered it only at %s, after its serverCron at %s, whose clock (%d ms) was past the deadline: Redis times a blocked client out in the first pass of its event loop past the deadline (handleBlockedClientsTimeout in beforeSleep)",
				w.Master, w.Client, w.Want, w.TimeoutMs, seconds(w.BlockedAt), w.BlockedClockMs, seconds(w.At), seconds(runs[k].At), runs[k].ClockMs)})
	}
	return out
}

// CheckPendingWaits flags a WAIT with a timeout that blocked and had not
// returned when the harness stopped watching it (its client sent more
// input, or its connection closed, its master's process still up),
// though a full serverCron run of its master had come since with the
// master's clock past the deadline: Redis would have timed it out then.
// A WAIT whose client got any reply to it (CLIENT UNBLOCK ... ERROR ends
// one with an error, and no return) is not judged: ops are the clients'
// operations.
func CheckPendingWaits(pending []WaitAck, crons []CronRun, ops []Op) []Violation {
	byNode := fullCronsByNode(crons)
	var out []Violation
	for i := range pending {
		w := &pending[i]
		if op := blockedWaitOp(ops, w); op != nil && !op.Unknown && op.Err == "" {
			// Answered with its count, but the master never reported the
			// return to the harness (tap.WaitTap): the durability and
			// latency rules that read returns would miss it.
			out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Ops: []OpRef{op.Ref()},
				Detail: fmt.Sprintf("%s answered client %d's WAIT %d (blocked at %s) with %q at %s but reported no return of it: a node reports every blocked WAIT's return (tap.WaitTap)",
					w.Master, w.Client, w.Want, seconds(w.BlockedAt), op.Reply, seconds(op.Return))})
			continue
		}
		if w.TimeoutMs <= 0 || waitAnswered(ops, w) {
			continue
		}
		deadline := w.BlockedClockMs + w.TimeoutMs
		runs := byNode[w.Master]
		k := firstCronPast(runs, w.BlockedAt, deadline)
		if k == len(runs) || w.At <= runs[k].At {
			continue
		}
		out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master},
			Detail: fmt.Sprintf("%s blocked client %d's WAIT %d with a %d ms timeout at %s (its clock %d ms) and had not answered it at %s, though its serverCron at %s ran with its clock (%d ms) past the deadline: Redis times a blocked client out in the first pass of its event loop past the deadline (handleBlockedClientsTimeout in beforeSleep)",
				w.Master, w.Client, w.Want, w.TimeoutMs, seconds(w.BlockedAt), w.BlockedClockMs, seconds(w.At), seconds(runs[k].At), runs[k].ClockMs)})
	}
	return out
}

// waitAnswered reports whether the client of pending WAIT w got a reply
// to the WAIT it sent to w's master before w blocked (or has no such
// operation on record).
func waitAnswered(ops []Op, w *WaitAck) bool {
	op := blockedWaitOp(ops, w)
	return op == nil || !op.Unknown
}

// blockedWaitOp is the WAIT operation pending WAIT w blocked: its client's
// last operation on w's master sent before w blocked, if a WAIT.
func blockedWaitOp(ops []Op, w *WaitAck) *Op {
	for i := len(ops) - 1; i >= 0; i-- {
		op := &ops[i]
		if op.Client != w.Client || op.Node != w.Master || op.Call > w.BlockedAt {
			continue
		}
		if op.Kind != OpWait && (len(op.Args) == 0 || !strings.EqualFold(op.Args[0], "WAIT")) {
			return nil
		}
		return op
	}
	return nil
}

// fullCronsByNode are the serverCron runs that reached their end, by node.
func fullCronsByNode(crons []CronRun) map[string][]CronRun {
	byNode := map[string][]CronRun{}
	for _, c := range crons {
		if !c.Partial {
			byNode[c.Node] = append(byNode[c.Node], c)
		}
	}
	return byNode
}

// firstCronPast indexes the first of runs after virtual time from whose
// clock is past deadlineMs (len(runs) if none).
func firstCronPast(runs []CronRun, from, deadlineMs int64) int {
	k := sort.Search(len(runs), func(i int) bool { return runs[i].At > from })
	for ; k < len(runs) && runs[k].ClockMs <= deadlineMs; k++ {
	}
	return k
}
