package harness

import (
	"sort"

	"github.com/replsim/replsim/cluster"
)

// Link states of a node's lane in report.html (linkSpan.State).
const (
	linkInSync = "in-sync" // a replica keeping up with its history's master
	linkBehind = "behind"  // a replica behind its master for longer than behindAfter
	linkNone   = "none"    // a replica with no live stream: not synced yet, or its history's master is gone
)

// behindAfter is how long a replica may trail its master's stream before
// its link counts as behind: a write takes a millisecond or so to arrive.
const behindAfter = 100_000_000 // 100 ms

// linkSpan is one stretch of a replica's link state.
type linkSpan struct {
	Node     string
	From, To int64
	State    string
}

// roleAt returns each node's role at every instant, as a lookup.
type roleLog struct {
	byNode map[string][]roleStep
}

type roleStep struct {
	at   int64
	role string
}

func newRoleLog(res *Result) roleLog {
	rl := roleLog{byNode: map[string][]roleStep{}}
	for _, r := range res.Report.Roles {
		rl.byNode[r.Node] = append(rl.byNode[r.Node], roleStep{r.At, r.Role})
	}
	return rl
}

// at returns node's role at t ("" before it is known).
func (rl roleLog) at(node string, t int64) string {
	steps := rl.byNode[node]
	i := sort.Search(len(steps), func(i int) bool { return steps[i].at > t }) - 1
	if i < 0 {
		return ""
	}
	return steps[i].role
}

// linkSpans derives every replica's link state over time from the
// replication positions the cluster recorded: a replica is in sync while
// its offset matches what its history's master has written, behind when
// it trails for longer than behindAfter, and has no link while it has no
// history yet or that history's writer is no longer master.
func linkSpans(res *Result) []linkSpan {
	end := res.SimTimeMs * 1_000_000
	roles := newRoleLog(res)
	written := map[string]int64{} // replid -> offset its master wrote up to
	writer := map[string]string{} // replid -> the node writing it
	type replicaState struct {
		replid string
		offset int64
		// lagSince is when it last fell behind (-1: not behind).
		lagSince int64
		state    string
		from     int64
	}
	states := map[string]*replicaState{}
	var out []linkSpan
	set := func(node string, st *replicaState, t int64, state string) {
		if st.state == state {
			return
		}
		if st.state != "" && t > st.from {
			out = append(out, linkSpan{Node: node, From: st.from, To: t, State: st.state})
		}
		st.state, st.from = state, t
	}
	// judge decides a replica's state at t.
	judge := func(node string, st *replicaState, t int64) {
		if roles.at(node, t) != "slave" {
			set(node, st, t, "")
			return
		}
		w := writer[st.replid]
		switch {
		case st.replid == "" || w == "" || roles.at(w, t) != "master":
			set(node, st, t, linkNone)
		case st.offset >= written[st.replid]:
			st.lagSince = -1
			set(node, st, t, linkInSync)
		default:
			if st.lagSince < 0 {
				st.lagSince = t
			}
			if t-st.lagSince >= behindAfter {
				// It was behind from when it started to lag.
				set(node, st, st.lagSince, linkBehind)
			}
		}
	}
	for _, n := range res.Report.Nodes {
		states[n] = &replicaState{lagSince: -1}
	}
	// Events: the recorded positions, role changes, and checkpoints every
	// behindAfter so a replica that stops moving turns behind on time.
	type tick struct {
		at int64
		p  *cluster.ReplPoint
	}
	var ticks []tick
	for i := range res.Report.Repl {
		ticks = append(ticks, tick{res.Report.Repl[i].At, &res.Report.Repl[i]})
	}
	for _, r := range res.Report.Roles {
		ticks = append(ticks, tick{r.At, nil})
	}
	for t := int64(0); t < end; t += behindAfter / 2 {
		ticks = append(ticks, tick{t, nil})
	}
	sort.SliceStable(ticks, func(i, j int) bool { return ticks[i].at < ticks[j].at })
	for _, tk := range ticks {
		if p := tk.p; p != nil {
			st := states[p.Node]
			if st == nil {
				st = &replicaState{lagSince: -1}
				states[p.Node] = st
			}
			switch p.Kind {
			case cluster.ReplWrite, cluster.ReplPromote:
				written[p.ReplID] = max(written[p.ReplID], p.Offset)
				writer[p.ReplID] = p.Node
			case cluster.ReplSync:
				// A snapshot names its master before the master's
				// stream has written a byte.
				written[p.ReplID] = max(written[p.ReplID], p.Offset)
				if writer[p.ReplID] == "" {
					writer[p.ReplID] = p.Master
				}
			}
			st.replid, st.offset = p.ReplID, p.Offset
		}
		for _, n := range res.Report.Nodes {
			judge(n, states[n], tk.at)
		}
	}
	for _, n := range res.Report.Nodes {
		set(n, states[n], end, "")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}
