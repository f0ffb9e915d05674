package harness

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/stretchr/testify/assert"
)

// A replica that keeps up is in sync; one that trails for longer than
// behindAfter is behind from when it started to trail; once its history's
// master is down it has no stream.
func TestLinkSpans(t *testing.T) {
	res := &Result{SimTimeMs: 1000}
	res.Report = cluster.ReportData{Nodes: []string{"n1", "n2"},
		Roles: []checker.RoleChange{{At: 0, Node: "n1", Role: "master"}, {At: 0, Node: "n2", Role: "slave"}, {At: 800 * ms, Node: "n1", Role: "down"}}}
	w := func(at, off int64) cluster.ReplPoint {
		return cluster.ReplPoint{At: at * ms, Node: "n1", Kind: cluster.ReplWrite, ReplID: "R", Offset: off}
	}
	a := func(at, off int64) cluster.ReplPoint {
		return cluster.ReplPoint{At: at * ms, Node: "n2", Kind: cluster.ReplApply, ReplID: "R", Offset: off}
	}
	res.Report.Repl = []cluster.ReplPoint{
		{At: 10 * ms, Node: "n2", Kind: cluster.ReplSync, ReplID: "R", Offset: 0, Master: "n1"},
		w(100, 10), a(101, 10), // in sync, a millisecond behind at most
		w(300, 20), // n2 trails from 300 ms ...
		a(600, 20), // ... to 600 ms: behind
	}
	assert.Equal(t, []linkSpan{
		{Node: "n2", From: 0, To: 10 * ms, State: linkNone},
		{Node: "n2", From: 10 * ms, To: 300 * ms, State: linkInSync},
		{Node: "n2", From: 300 * ms, To: 600 * ms, State: linkBehind},
		{Node: "n2", From: 600 * ms, To: 800 * ms, State: linkInSync},
		{Node: "n2", From: 800 * ms, To: 1000 * ms, State: linkNone},
	}, linkSpans(res))
}

// A fault and its _end make one span; operator actions get their own lane.
func TestPageEvents(t *testing.T) {
	evs := pageEvents([]cluster.TimelineEvent{
		{At: 1, Kind: "net_blackhole", Node: "c2", Detail: "c2->n1"},
		{At: 2, Kind: cluster.EventPromote, Node: "n2"},
		{At: 3, Kind: "net_blackhole_end", Node: "c2"},
		{At: 4, Kind: "disk_bitflip_end", Node: "n3"},
	})
	assert.Equal(t, []pageEvent{
		{At: 1, End: 3, Label: "net_blackhole c2", Text: "net_blackhole c2 c2->n1"},
		{At: 2, Operator: true, Label: "op_promote n2", Text: "op_promote n2"},
		{At: 4, Label: "disk_bitflip_end n3", Text: "disk_bitflip_end n3"},
	}, evs)
}
