package harness

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms = int64(1_000_000)

// failoverResult is a synthetic run: n1 master, crashed at 1.06 s, n2
// promoted at 1.08 s; n1 back as a replica at 2 s; many faults on n3.
func failoverResult() *Result {
	res := &Result{Seed: 9, Verdict: VerdictFail, SimTimeMs: 4000}
	res.Report = cluster.ReportData{Nodes: []string{"n1", "n2", "n3"}, Clients: []string{"c1", "c2", "r1", "r2"},
		Roles: []checker.RoleChange{
			{At: 0, Node: "n1", Role: "master"}, {At: 0, Node: "n2", Role: "slave"}, {At: 0, Node: "n3", Role: "slave"},
			{At: 1060 * ms, Node: "n1", Role: "down"},
			{At: 1080 * ms, Node: "n2", Role: "master"},
			{At: 2000 * ms, Node: "n1", Role: "slave"},
		}}
	res.Timeline = []cluster.TimelineEvent{
		{At: 1060 * ms, Kind: cluster.EventCrash, Node: "n1", Detail: "keep_all", Epoch: 1},
		{At: 1080 * ms, Kind: cluster.EventPromote, Node: "n2", Epoch: 2},
		{At: 2000 * ms, Kind: cluster.EventRestart, Node: "n1", Epoch: 2},
	}
	for i := 0; i < 40; i++ {
		node := "n3"
		if i%4 == 0 {
			node = "n2"
		}
		res.Timeline = append(res.Timeline, cluster.TimelineEvent{At: int64(100+i*90) * ms, Kind: "net_blackhole", Node: node, Detail: node + "->c1"})
	}
	sortTimeline(res.Timeline)
	for i := 0; i < 30; i++ {
		key := fmt.Sprintf("k%d", i%3)
		res.MasterOps = append(res.MasterOps, checker.Op{Client: i % 2, Node: "n2", Kind: checker.OpSet, Key: key,
			Value: fmt.Sprint(i), Call: int64(1100+i*50) * ms, Return: int64(1110+i*50) * ms})
	}
	res.ReplicaOps = []checker.Op{{Client: 3, Node: "n3", Kind: checker.OpGet, Key: "k1", Exists: true, Result: "1",
		Call: 2995 * ms, Return: 3000 * ms}}
	res.Violations = []checker.Violation{{Check: checker.PropPrefix, Detail: "replica n3 answered GET k1 with \"1\"",
		At: 3000 * ms, Nodes: []string{"n3"}, Keys: []string{"k1"}, Ops: []checker.OpRef{{Client: 3, Call: 2995 * ms}}}}
	return res
}

func sortTimeline(tl []cluster.TimelineEvent) {
	for i := 1; i < len(tl); i++ {
		for j := i; j > 0 && tl[j].At < tl[j-1].At; j-- {
			tl[j], tl[j-1] = tl[j-1], tl[j]
		}
	}
}

func TestMastersInWords(t *testing.T) {
	res := failoverResult()
	assert.Equal(t, "n1 master 0–1.06 s, then crashed (proc_crash n1 keep_all); no master 1.06–1.08 s; "+
		"n2 promoted at 1.08 s, master 1.08 s to the end (4 s).", mastersInWords(res))

	res.Report.Roles = append(res.Report.Roles, checker.RoleChange{At: 3000 * ms, Node: "n3", Role: "master"})
	assert.Contains(t, mastersInWords(res), "n3 became master at 3 s, master 3 s to the end (4 s) (while n2 was master too).")
}

// The window keeps the violation, the operations it names, the last writes
// to its keys, the last events on its node and every change of master,
// and elides the rest with counts that add up.
func TestTimelineWindowFollowsTheViolation(t *testing.T) {
	res := failoverResult()
	text := windowText(res, timelineWindow(res), res.Report.Clients)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	assert.Less(t, len(lines), 30, text)
	assert.Contains(t, lines, "  3.000000s >>> VIOLATION 1 [prefix] on n3, keys k1")
	assert.Contains(t, text, "  2.995000s   r2 -> n3: GET k1 -> \"1\" [2.995000s..3.000000s]\n", "the read it names, by the client's name")
	for _, call := range []int{2200, 2350, 2500} { // the last three writes to k1
		assert.Contains(t, text, fmt.Sprintf("  %d.%03d000s   c", call/1000, call%1000), text)
	}
	assert.NotContains(t, text, "2.050000s   c", "an older write to k1 is not shown")
	assert.Contains(t, text, "1.060000s proc_crash n1 keep_all   [master after: none]")
	assert.Contains(t, text, "1.080000s op_promote n2   [master after: n2]")
	assert.Contains(t, text, "2.000000s proc_restart n1   [master after: n2]")
	n3 := regexp.MustCompile(`(?m)^  \d\.\d+s net_blackhole n3`).FindAllString(text, -1)
	assert.GreaterOrEqual(t, len(n3), eventsBefore, "the last events on the violation's node")

	elided := 0
	for _, m := range regexp.MustCompile(`… (\d+) other event\(s\)`).FindAllStringSubmatch(text, -1) {
		var n int
		fmt.Sscan(m[1], &n)
		elided += n
	}
	shown := len(regexp.MustCompile(`(?m)^  \d\.\d+s [a-z]`).FindAllString(text, -1))
	assert.Equal(t, len(res.Timeline), shown+elided, "every event is shown or counted:\n%s", text)
	assert.NotRegexp(t, `client \d`, text)
}

func TestSummaryTextNamesMastersAndWindow(t *testing.T) {
	res := failoverResult()
	s := summaryText(res)
	require.Contains(t, s, "Who was master when: n1 master 0–1.06 s")
	assert.Contains(t, s, "What happened, in order (around the violations")
	assert.Contains(t, s, ">>> VIOLATION 1 [prefix]")
}
