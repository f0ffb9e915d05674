package checker

import (
	"fmt"
	"sort"
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
	byNode := map[string][]CronRun{}
	for _, c := range crons {
		if !c.Partial {
			byNode[c.Node] = append(byNode[c.Node], c)
		}
	}
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
		k := sort.Search(len(runs), func(i int) bool { return runs[i].At > w.BlockedAt })
		for ; k < len(runs) && runs[k].ClockMs <= deadline; k++ {
		}
		if k == len(runs) || w.At <= runs[k].At {
			continue
		}
		out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Offsets: []int64{w.Offset},
			Detail: fmt.Sprintf("%s blocked client %d's WAIT %d with a %d ms timeout at %s (its clock %d ms) and answered it only at %s, after its serverCron at %s, whose clock (%d ms) was past the deadline: Redis times a blocked client out in the first pass of its event loop past the deadline (handleBlockedClientsTimeout in beforeSleep)",
				w.Master, w.Client, w.Want, w.TimeoutMs, seconds(w.BlockedAt), w.BlockedClockMs, seconds(w.At), seconds(runs[k].At), runs[k].ClockMs)})
	}
	return out
}
