package cluster

import (
	"slices"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mixNames(m *workloadMix) []string {
	var out []string
	for _, f := range m.families {
		out = append(out, f.name)
	}
	return out
}

// A focused family is in every seed's mix; the seed's other draws (the
// share, big values, shared keys, the other families and their weights)
// are the ones it draws unfocused.
func TestFocusForcesFamilyKeepingDraws(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		plain := newWorkloadMix(sim.NewRand(seed, "workload/mix"), sim.NewRand(seed, "workload/focus"), nil)
		focused := newWorkloadMix(sim.NewRand(seed, "workload/mix"), sim.NewRand(seed, "workload/focus"), []string{"list"})
		require.Contains(t, mixNames(focused), "list", "seed %d", seed)
		assert.Equal(t, [3]any{plain.extraShare, plain.bigValues, plain.sharedKeys},
			[3]any{focused.extraShare, focused.bigValues, focused.sharedKeys}, "seed %d", seed)
		var kept []string
		var keptW []int
		for i, f := range focused.families {
			if f.name != "list" || slices.Contains(mixNames(plain), "list") {
				kept = append(kept, f.name)
				keptW = append(keptW, focused.weights[i])
			}
		}
		assert.Equal(t, mixNames(plain), kept, "seed %d", seed)
		assert.Equal(t, plain.weights, keptW, "seed %d", seed)
	}
}

// Every family the CLI offers is in the table, in its order.
func TestFamilyNames(t *testing.T) {
	names := FamilyNames()
	require.Len(t, names, len(families))
	assert.Equal(t, "expiry", names[0])
	assert.Contains(t, names, "zset")
}
