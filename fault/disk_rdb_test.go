package fault

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every disk_rdb_error a seed generates sits at the instant of the step it
// aims at: right before a restart (after its crash; a node with
// appendonly no), a BGSAVE or a SAVE.
func TestDiskRDBErrorAimsAtSteps(t *testing.T) {
	aimed := map[string]int{}
	for seed := uint64(1); seed <= 60; seed++ {
		s := Generate(Params{Seed: seed, Ops: 1000, Replicas: 2, Clients: 2, Force: []string{"disk_rdb_error"}})
		require.NoError(t, s.Validate())
		for i, st := range s.Steps {
			f, ok := st.Fault.(DiskRDBError)
			if !ok {
				continue
			}
			require.Less(t, i+1, len(s.Steps))
			next := s.Steps[i+1]
			require.Equal(t, st.At, next.At, "seed %d: %v", seed, f.Args())
			switch next.Fault {
			case ProcRestart{Node: f.Node}:
				aimed["restart"]++
				assert.Equal(t, "dump", f.File)
			case OpBgsave{Node: f.Node}:
				aimed["bgsave"]++
			case OpSave{Node: f.Node}:
				aimed["save"]++
			default:
				t.Fatalf("seed %d: %v aims at nothing (before %v)", seed, f.Args(), next.Fault)
			}
			assert.Contains(t, rdbFileGlobs, f.File)
			assert.Contains(t, rdbOps, f.Op)
		}
	}
	for _, step := range []string{"restart", "bgsave", "save"} {
		assert.Positive(t, aimed[step], step)
	}
}
