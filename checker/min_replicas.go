package checker

import (
	"fmt"
	"sort"
	"strings"
)

// NOREPLICAS with the replicas in hand. Redis 7.0.15 refuses a write with
// NOREPLICAS (processCommand, checkGoodReplicasStatus) when it is a master
// with min-replicas-to-write and min-replicas-max-lag both above 0 and
// repl_good_slaves_count is below min-replicas-to-write. That count is not
// kept live: refreshGoodSlavesCount recounts it (the replicas ONLINE whose
// repl_ack_time is at most min-replicas-max-lag seconds behind
// server.unixtime, both whole seconds) at the end of every replicationCron
// (once a second), when a replica goes online (PSYNC's +CONTINUE, the end
// of a full sync), when one is freed, and when CONFIG SET changes either
// setting; an ACK alone does not recount it. So what a write at t sees is
// the count of the latest recount before t, which came no earlier than the
// latest replicationCron run before t.
//
// The rule: a write refused with NOREPLICAS, sent at Call, while the node
// was a master with the same settings from its latest replicationCron run
// before Call (c0) to the reply; if at least min-replicas-to-write
// replica connections were each good at every instant of [c0, reply] on
// the master's clock, every recount the refusal could have seen counted
// them, and the refusal is a violation. A connection is good at u when
// the master took an ACK on it before u (so it was online: a replica acks
// only once its sync is done, and Redis puts it online before that) and
// another at or after u (so the master still had it), and the last ACK
// before u is at most min-replicas-max-lag seconds behind u on the
// master's clock (read on its whole range over the stretch, for clock
// jumps). repl_ack_time is refreshed by more than ACKs (a replica's
// newline, going online), which only makes Redis's count larger. Chained
// replicas ack their own master, not this one; replicas in a full sync or
// replication clients that do not ack are never counted.

// ReplCronRun is a run of a node's replicationCron (virtual ns).
type ReplCronRun struct {
	Node string
	At   int64
}

// MinReplicasInput is what the NOREPLICAS check reads.
type MinReplicasInput struct {
	// Ops are the clients' operations.
	Ops []Op
	// WriteProbes are the harness's write probes after the steady tail
	// (each retry of a refused one too); WaitProbe is the steady tail's
	// WAIT probe, whose SET a master may refuse (nil: none).
	WriteProbes []WriteProbe
	WaitProbe   *WaitProbe
	// Acks are the REPLCONF ACKs masters took, in the order they did.
	Acks []AckReceipt
	// Crons are the nodes' replicationCron runs, in time order.
	Crons []ReplCronRun
	// Settings are the nodes' settings over time (role, min-replicas).
	Settings []SettingsChange
	// Clocks are the nodes' wall clocks.
	Clocks Clocks
	// Losses are masters' replica losses, with the replicas each left
	// (min_replicas_loss.go); Lines the nodes' log lines, for the
	// replicas going online.
	Losses []ReplicaLoss
	Lines  []LogLine
}

// refusal is a write a node refused with NOREPLICAS at some instant of
// [from, to] (virtual ns): sent at from, answered at to.
type refusal struct {
	node     string
	from, to int64
	what     string
	ops      []OpRef
}

// refusals lists the NOREPLICAS refusals of in: the clients' operations
// and the probes.
func (in *MinReplicasInput) refusals() []refusal {
	var out []refusal
	for i := range in.Ops {
		op := &in.Ops[i]
		if strings.HasPrefix(op.Err, "NOREPLICAS") && op.Return >= op.Call {
			out = append(out, refusal{node: op.Node, from: op.Call, to: op.Return, ops: []OpRef{op.Ref()},
				what: fmt.Sprintf("client %d's %s [%s..%s]", op.Client, op.Describe(), seconds(op.Call), seconds(op.Return))})
		}
	}
	if p := in.WaitProbe; p != nil && strings.HasPrefix(p.Err, "NOREPLICAS") && p.At >= p.Sent {
		out = append(out, refusal{node: p.Node, from: p.Sent, to: p.At,
			what: fmt.Sprintf("the WAIT probe's SET %s [%s..%s]", ProbeKey, seconds(p.Sent), seconds(p.At))})
	}
	for _, p := range in.WriteProbes {
		if strings.HasPrefix(p.Reply, "NOREPLICAS") {
			// The harness runs the probe as an operator, at one instant.
			out = append(out, refusal{node: p.Node, from: p.At, to: p.At,
				what: fmt.Sprintf("the write probe's DEL %s at %s", ProbeKey, seconds(p.At))})
		}
	}
	return out
}

// CheckNoReplicas flags a write refused with NOREPLICAS while enough
// replicas were good through every recount it could have seen.
func CheckNoReplicas(in MinReplicasInput) []Violation {
	crons := map[string][]int64{}
	for _, c := range in.Crons {
		crons[c.Node] = append(crons[c.Node], c.At)
	}
	settings := newSettingsLog(in.Settings)
	byConn := acksByConn(in.Acks)
	// conns lists each master's replica connections in the order of their
	// first ACK (byConn's keys, without a map's order).
	conns := map[string][]string{}
	seen := map[ackConnKey]bool{}
	for _, a := range in.Acks {
		k := ackConnKey{a.Master, a.Conn}
		if a.Conn != "" && !seen[k] {
			seen[k] = true
			conns[a.Master] = append(conns[a.Master], a.Conn)
		}
	}
	var out []Violation
	for _, r := range in.refusals() {
		clock := in.Clocks[r.node]
		if !clock.Known() {
			continue
		}
		c0, ok := lastBefore(crons[r.node], r.from)
		if !ok {
			continue
		}
		st, ok := steadyMinReplicas(settings[r.node], c0, r.to)
		if !ok {
			continue
		}
		var good []string
		for _, conn := range conns[r.node] {
			if goodThroughout(byConn[ackConnKey{r.node, conn}], c0, r.to, st.MinReplicasMaxLag, clock) {
				host, _, _ := strings.Cut(conn, ":")
				good = append(good, host)
			}
		}
		if int64(len(good)) < st.MinReplicasToWrite {
			continue
		}
		out = append(out, Violation{Check: PropAccess, At: r.to, Nodes: append([]string{r.node}, good...), Ops: r.ops,
			Detail: fmt.Sprintf("%s refused %s with NOREPLICAS, but %d replicas (%v) were online and had acknowledged within min-replicas-max-lag %d s on its clock from its replicationCron at %s (the latest recount of good replicas the refusal could have used was no earlier) until the reply, and min-replicas-to-write was %d: Redis refuses only while it counts fewer (refreshGoodSlavesCount, checkGoodReplicasStatus)",
				r.node, r.what, len(good), good, st.MinReplicasMaxLag, seconds(c0), st.MinReplicasToWrite)})
	}
	return out
}

// lastBefore is the latest of ts (ascending) strictly before t: a cron
// run at the refusal's own instant may have come after it.
func lastBefore(ts []int64, t int64) (int64, bool) {
	i := sort.Search(len(ts), func(i int) bool { return ts[i] >= t })
	if i == 0 {
		return 0, false
	}
	return ts[i-1], true
}

// steadyMinReplicas returns the settings of node over [from, to] when it
// was, all along and in one incarnation, a master with the min-replicas
// check on and the same min-replicas settings.
func steadyMinReplicas(cs []SettingsChange, from, to int64) (SettingsChange, bool) {
	cur := inForce(cs, from)
	if cur < 0 {
		return SettingsChange{}, false
	}
	first := cs[cur]
	if first.Down || !minReplicasChecked(first.Settings) {
		return SettingsChange{}, false
	}
	for _, c := range cs[cur+1:] {
		if c.At > to {
			break
		}
		if c.Down || c.Start || !minReplicasChecked(c.Settings) ||
			c.MinReplicasToWrite != first.MinReplicasToWrite || c.MinReplicasMaxLag != first.MinReplicasMaxLag {
			return SettingsChange{}, false
		}
	}
	if first.Start && first.At == from {
		return SettingsChange{}, false // a start at the cron's instant: which incarnation ran it is unclear
	}
	return first, true
}

// goodThroughout reports whether the replica connection whose ACKs (in
// the order the master took them) are acks was good at every instant of
// [from, to]: an ACK before from, one at or after to, and at every instant
// in between the last ACK before it at most maxLag whole seconds behind
// on the master's clock (unixtime - repl_ack_time <= maxLag).
func goodThroughout(acks []AckReceipt, from, to, maxLag int64, clock NodeClock) bool {
	i := -1
	for j := range acks {
		if acks[j].At < from {
			i = j
		}
	}
	if i < 0 {
		return false
	}
	for ; i+1 < len(acks); i++ {
		a, next := acks[i].At, acks[i+1].At
		// The stretch (a, next] in [from, to] has ACK a as its last.
		lo, hi := max(a, from), min(next, to)
		if lo <= hi {
			ackLo, _ := clock.Range(a, a)
			_, nowHi := clock.Range(lo, hi)
			if nowHi/1e9-ackLo/1e9 > maxLag {
				return false
			}
		}
		if next >= to {
			return true
		}
	}
	return false
}
