package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
)

// A long run gets time for its operations: the default-sized runs keep the
// schedule's horizon (so their verdicts do not move), a 100,000-op run
// gets ten times as long.
func TestWorkloadDeadlineGrowsWithOps(t *testing.T) {
	assert.Equal(t, fault.Horizon, workloadDeadline(1000))
	assert.Equal(t, fault.Horizon, workloadDeadline(10_000))
	assert.Equal(t, 3000*sim.Second, workloadDeadline(100_000))
	assert.Less(t, workloadDeadline(20_000), workloadDeadline(20_001))
}
