package checker

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// flushallTaint is a span of virtual time in which node's dataset may hold
// keys its master flushed: the node resumed across an RDB that FLUSHALL
// saved before propagating itself (FlushallResume), or it took its data
// from such a node.
type flushallTaint struct {
	node        string
	from, until int64
	why         string
}

// flushallTaints works out every node's tainted spans. A resumed replica
// is tainted from its master's restart until its next full sync; a node
// that full-syncs from a tainted node in its span is tainted from that
// sync on; a node whose last full sync before a span began came from that
// span's node was below it, never got the FLUSHALL either, and is tainted
// from the span's start. Each span ends at the node's next full sync.
func flushallTaints(chunks []StreamChunk, restarts []Restart, syncs []FullSync) []flushallTaint {
	byTime := slices.Clone(syncs)
	sort.SliceStable(byTime, func(i, j int) bool { return byTime[i].At < byTime[j].At })
	nextSync := func(node string, from int64) int64 {
		for _, s := range byTime {
			if s.Node == node && s.At > from {
				return s.At
			}
		}
		return math.MaxInt64
	}
	var nodes []string
	for _, s := range byTime {
		if !slices.Contains(nodes, s.Node) {
			nodes = append(nodes, s.Node)
		}
	}
	for _, c := range chunks {
		if c.Replica && !slices.Contains(nodes, c.Node) {
			nodes = append(nodes, c.Node)
		}
	}
	var out []flushallTaint
	has := func(node string, from int64) bool {
		return slices.ContainsFunc(out, func(t flushallTaint) bool { return t.node == node && t.from == from })
	}
	add := func(node string, from int64, why string) bool {
		if has(node, from) {
			return false
		}
		out = append(out, flushallTaint{node: node, from: from, until: nextSync(node, from), why: why})
		return true
	}
	for _, n := range nodes {
		for _, r := range flushallResumes(chunks, restarts, syncs, n) {
			add(n, r.RestartAt, flushallWhy(r, n))
		}
	}
	for grew := len(out) > 0; grew; {
		grew = false
		for _, s := range byTime {
			if t, ok := taintAt(out, s.Master, s.At); ok && add(s.Node, s.At, t.why+"; "+s.Node+" full-synced from "+s.Master+" at "+seconds(s.At)) {
				grew = true
			}
		}
		for _, t := range slices.Clone(out) {
			for _, n := range nodes {
				if last := lastSyncBefore(byTime, n, t.from); last != nil && last.Master == t.node &&
					add(n, t.from, t.why+"; "+n+" was below "+t.node) {
					grew = true
				}
			}
		}
	}
	return out
}

func lastSyncBefore(byTime []FullSync, node string, at int64) *FullSync {
	var last *FullSync
	for i := range byTime {
		if byTime[i].Node == node && byTime[i].At <= at {
			last = &byTime[i]
		}
	}
	return last
}

// taintAt returns the span tainting node at virtual time at, if any.
func taintAt(ts []flushallTaint, node string, at int64) (flushallTaint, bool) {
	for _, t := range ts {
		if t.node == node && t.from <= at && at < t.until {
			return t, true
		}
	}
	return flushallTaint{}, false
}

// ExcuseFlushallResumes reports as hazards the violations that follow from
// the Redis divergence FlushallResume names: a prefix violation, or a
// replica's error reply to its master (node_log), at a time some node it
// names held keys its master had flushed. Everything else is returned
// unchanged.
func ExcuseFlushallResumes(vs []Violation, chunks []StreamChunk, restarts []Restart, syncs []FullSync) []Violation {
	var taints []flushallTaint
	judged := false
	for i, v := range vs {
		if v.Check != PropPrefix && !(v.Check == "node_log" && strings.Contains(v.Detail, logErrorToMaster)) {
			continue
		}
		if !judged {
			taints, judged = flushallTaints(chunks, restarts, syncs), true
		}
		for _, n := range v.Nodes {
			if t, ok := taintAt(taints, n, v.At); ok {
				vs[i].Check = PropHazard
				vs[i].Detail = v.Check + ": " + v.Detail + "; " + t.why
				break
			}
		}
	}
	return vs
}
