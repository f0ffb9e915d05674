package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFirstDivergence(t *testing.T) {
	a := []string{"l1", "l2", "l3", "l4", "l5", "l6"}
	b := []string{"l1", "l2", "l3", "X4", "X5"}
	d := FirstDivergence(a, b, 2)
	assert.Equal(t, 4, d.Line)
	assert.Equal(t, 2, d.Start)
	assert.Equal(t, []string{"l2", "l3", "l4", "l5", "l6"}, d.A)
	assert.Equal(t, []string{"l2", "l3", "X4", "X5"}, d.B)
	assert.Equal(t, "  the traces first differ at line 4 (of 6 and 5 lines):\n"+
		"    first run:\n      2  l2\n      3  l3\n    > 4  l4\n      5  l5\n      6  l6\n"+
		"    second run:\n      2  l2\n      3  l3\n    > 4  X4\n      5  X5", d.String())

	d = FirstDivergence(a, a[:3], 1)
	assert.Equal(t, 4, d.Line)
	assert.Equal(t, []string{"l3"}, d.B)
	assert.Contains(t, d.String(), "    > (the second run's trace ends after 3 lines)")

	d = FirstDivergence(b, []string{"Y"}, 3)
	assert.Equal(t, 1, d.Line, "a difference on the first line has no context before it")
	assert.Equal(t, 1, d.Start)

	assert.True(t, FirstDivergence(a, a, 3).Same)
}

func TestCheckDeterminismKeepsTheFastPath(t *testing.T) {
	var kept []bool
	run := func(o Options) *Result {
		kept = append(kept, o.KeepTrace)
		return &Result{Seed: o.Seed, Verdict: VerdictPass, TraceHash: "0000000000000001"}
	}
	res := CheckDeterminism(run, Options{Seed: 1})
	assert.Equal(t, VerdictPass, res.Verdict)
	assert.Equal(t, []bool{false, false}, kept, "equal hashes: two runs, no trace kept")

	kept, n := nil, 0
	flaky := func(o Options) *Result {
		kept = append(kept, o.KeepTrace)
		n++
		h := "0000000000000001"
		if n == 2 {
			h = "0000000000000002"
		}
		res := &Result{Seed: o.Seed, Verdict: VerdictPass, TraceHash: h}
		if o.KeepTrace {
			res.Trace = []string{"a"}
		}
		return res
	}
	res = CheckDeterminism(flaky, Options{Seed: 1})
	assert.Equal(t, []bool{false, false, true, true}, kept)
	assert.Equal(t, VerdictFail, res.Verdict)
	assert.Equal(t, PropDeterminism, res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, "two more runs keeping their traces agreed (hash 0000000000000001)")
}
