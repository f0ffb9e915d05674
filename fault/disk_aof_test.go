package fault

import (
	"slices"
	"testing"

	"github.com/replsim/replsim/sim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every disk_aof_error a seed generates sits at the instant of the step it
// aims at: right before a restart (after its crash), right before or
// after a BGREWRITEAOF, or between CONFIG SET appendonly no and yes; or,
// failing the incr file's fsyncs, until 100 ms before such a reopen.
func TestDiskAOFErrorAimsAtSteps(t *testing.T) {
	aimed := map[string]int{}
	for seed := uint64(1); seed <= 60; seed++ {
		s := Generate(Params{Seed: seed, Ops: 1000, Replicas: 2, Clients: 2, Force: []string{"disk_aof_error"}})
		require.NoError(t, s.Validate())
		for i, st := range s.Steps {
			f, ok := st.Fault.(DiskAOFError)
			if !ok {
				continue
			}
			require.Less(t, i+1, len(s.Steps))
			var prev Step
			if i > 0 {
				prev = s.Steps[i-1]
			}
			next := s.Steps[i+1]
			switch {
			case next.Fault == ProcRestart{Node: f.Node} && next.At == st.At:
				aimed["restart"]++
			case next.Fault == OpBgrewriteaof{Node: f.Node} && next.At == st.At:
				aimed["rewrite_start"]++
			case prev.Fault == OpBgrewriteaof{Node: f.Node} && prev.At == st.At:
				aimed["rewrite_end"]++
			case next.Fault == OpConfig{Node: f.Node, Param: "appendonly", Value: "yes"} && prev.Fault == OpConfig{Node: f.Node, Param: "appendonly", Value: "no"}:
				aimed["reopen"]++
			case f.File == "incr" && f.Op == "sync" && slices.ContainsFunc(s.Steps[i:], func(o Step) bool {
				return o.At == st.At+f.For+100*sim.Millisecond && o.Fault == OpConfig{Node: f.Node, Param: "appendonly", Value: "no"}
			}):
				aimed["reopen_fsync"]++
			default:
				t.Fatalf("seed %d: %s at %d aims at nothing (between %v and %v)", seed, f.Args(), st.At, prev.Fault, next.Fault)
			}
			assert.Contains(t, aofFileGlobs, f.File)
			assert.Contains(t, aofOps, f.Op)
		}
	}
	for _, step := range []string{"restart", "rewrite_start", "rewrite_end", "reopen", "reopen_fsync"} {
		assert.Positive(t, aimed[step], step)
	}
}
