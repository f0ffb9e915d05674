package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// The maxmemory family: an operator's CONFIG SET of maxmemory or
// maxmemory-policy on the master while the workload runs, so a seed drawn
// without maxmemory (build_maxmemory.go) may get one, lose it, or change
// policy mid-run. Its replies are not judged (Mode "ADMIN"); what it
// changes is: the evictions and OOM refusals that follow.
var maxmemoryConfigs = func() []tableCmd {
	var out []tableCmd
	for _, p := range maxmemoryPolicies {
		out = append(out, tcmd("CONFIG SET maxmemory-policy "+p))
	}
	// No limit, then limits from over what the master holds empty with
	// its clients (every key goes) to a few of its clients' worth.
	for _, extra := range []int64{-1, 4, 6, 8, 10} {
		v := int64(0)
		if extra >= 0 {
			v = startupMemory + perClientMemory*extra + 4096
		}
		out = append(out, tcmd("CONFIG SET maxmemory "+strconv.FormatInt(v, 10)))
	}
	return out
}()

func drawMaxmemory(r *sim.Rand, op *checker.Op, _ int) {
	drawTable(r, op, maxmemoryConfigs, "ADMIN")
}
