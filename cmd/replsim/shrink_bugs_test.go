package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/shrink"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShrinkPlantedBugs shrinks every planted bug from the first standard
// seed (of 300) that catches it, and holds the shrinker to its goal: every
// one ends at 20 operations or fewer, the median at 5 or fewer, and the
// shrunk run fails the same property. It logs the table (bug, seed, ops
// before, ops after, fault steps after, runs): go test -v -run
// TestShrinkPlantedBugs ./cmd/replsim. REPLSIM_SHRINK_BUGS=name,name
// shrinks only those; REPLSIM_SHRINK_MAX_RUNS bounds each shrink (1500).
func TestShrinkPlantedBugs(t *testing.T) {
	if testing.Short() {
		t.Skip("shrinks every planted bug")
	}
	want := os.Getenv("REPLSIM_SHRINK_BUGS")
	if want == "" {
		want = "1"
	}
	maxRuns := 1500
	if v, err := strconv.Atoi(os.Getenv("REPLSIM_SHRINK_MAX_RUNS")); err == nil {
		maxRuns = v
	}
	var rows []string
	var after []int
	for _, b := range node.Bugs() {
		if want != "1" && !slices.Contains(strings.Split(want, ","), b.Name) {
			continue
		}
		prop := harness.BugProperty(b.Name)
		var orig harness.Options
		found := false
		for seed := uint64(1); seed <= 300 && !found; seed++ {
			orig = harness.StandardOptions(seed)
			orig.Bugs = []string{b.Name}
			found = shrink.FailsCheck(harness.Run(orig), prop)
		}
		if !assert.True(t, found, "%s: no seed of 300 fails %s", b.Name, prop) {
			continue
		}
		r := shrink.Shrink(orig, prop, maxRuns, harness.Run)
		require.True(t, shrink.FailsCheck(harness.Run(r.Shrunk), prop), "%s: the shrunk run fails %s again", b.Name, prop)
		ops := len(r.Shrunk.Workload.Ops)
		after = append(after, ops)
		row := fmt.Sprintf("%-26s %5d %-16s %6d %5d %6d %6d", b.Name, orig.Seed, prop, len(r.Before.Workload.Ops), ops, len(r.Shrunk.Schedule.Steps), r.Runs)
		rows = append(rows, row)
		t.Log(row)
		t.Logf("%s: %s\n%s", b.Name, shrink.DescribeSize(r.Shrunk), r.Shrunk.Workload.Format())
		assert.LessOrEqual(t, ops, 20, "%s shrinks to at most 20 operations", b.Name)
	}
	slices.Sort(after)
	t.Logf("\n%-26s %5s %-16s %6s %5s %6s %6s\n%s", "bug", "seed", "property", "before", "after", "steps", "runs", strings.Join(rows, "\n"))
	if want == "1" {
		assert.LessOrEqual(t, after[len(after)/2], 5, "the median shrinks to at most 5 operations")
	}
}
