package checker

import (
	"fmt"
	"sort"
	"strings"
)

// Writes a master takes after losing a replica. Redis 7.0.15 recounts its
// good replicas as it frees a replica (freeClient's
// refreshGoodSlavesCount, right beside its "Connection with replica %s
// lost." line), so once the replicas left attached, in any state, are
// fewer than min-replicas-to-write, the count is below it too and every
// write is refused with NOREPLICAS until the next recount: the next
// replicationCron run, a replica going online ("Synchronization with
// replica %s succeeded", "Partial resynchronization request from %s
// accepted"), or a change of the settings. (CheckNoReplicas judges the
// other way round, a refusal while enough replicas were good.)
//
// The rule: a write on that master, accepted, sent after the loss line
// and answered before any of those recounts could have run (a cron run,
// an online line or a settings change in the loss's own instant or after
// it, which ends the window), while the master kept the same min-replicas
// settings, is a violation.

// ReplicaLoss is a master's "Connection with replica %s lost." line: when,
// and how many replicas it still had attached right after (Left).
type ReplicaLoss struct {
	Node string
	At   int64
	Msg  string
	Left int
}

// CheckWritesAfterReplicaLoss flags a write a master took after a replica
// loss left it fewer replicas than min-replicas-to-write, before anything
// could recount them.
func CheckWritesAfterReplicaLoss(in MinReplicasInput) []Violation {
	if len(in.Losses) == 0 {
		return nil
	}
	ends := map[string][]int64{} // per node, the instants that end a window
	for _, c := range in.Crons {
		ends[c.Node] = append(ends[c.Node], c.At)
	}
	for _, l := range in.Lines {
		if l.Format == logSyncSucceeded || l.Format == logPartialOK {
			ends[l.Node] = append(ends[l.Node], l.At)
		}
	}
	for _, c := range in.Settings {
		ends[c.Node] = append(ends[c.Node], c.At)
	}
	for _, ts := range ends {
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	}
	// taken are, per node, the writes it took, by their Call.
	taken := map[string][]*Op{}
	for j := range in.Ops {
		op := &in.Ops[j]
		if op.Return >= op.Call && op.Err == "" && !op.Unknown && op.Quiet == "" && op.Writes() {
			taken[op.Node] = append(taken[op.Node], op)
		}
	}
	for _, ops := range taken {
		sort.SliceStable(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
	}
	settings := newSettingsLog(in.Settings)
	var out []Violation
	for _, loss := range in.Losses {
		ts := ends[loss.Node]
		i := sort.Search(len(ts), func(i int) bool { return ts[i] >= loss.At })
		next := int64(1<<63 - 1)
		if i < len(ts) {
			next = ts[i]
		}
		ops := taken[loss.Node]
		for j := sort.Search(len(ops), func(j int) bool { return ops[j].Call > loss.At }); j < len(ops) && ops[j].Call < next; j++ {
			op := ops[j]
			if op.Return >= next {
				continue
			}
			st, ok := steadyMinReplicas(settings[loss.Node], loss.At, op.Return)
			if !ok || int64(loss.Left) >= st.MinReplicasToWrite {
				continue
			}
			out = append(out, Violation{Check: PropAccess, At: op.Return, Nodes: []string{loss.Node}, Ops: []OpRef{op.Ref()},
				Detail: fmt.Sprintf("%s took client %d's %s [%s..%s] after %q at %s left it %d replicas, with min-replicas-to-write %d and no replicationCron, replica online or settings change since: Redis recounts good replicas as it frees one (refreshGoodSlavesCount) and refuses writes with NOREPLICAS until the next recount",
					loss.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), strings.TrimSpace(loss.Msg), seconds(loss.At), loss.Left, st.MinReplicasToWrite)})
		}
	}
	return out
}
