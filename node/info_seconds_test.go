package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// INFO's second counts are differences of whole seconds of the clock, as
// Redis subtracts time_t values: a node started at x.9 s shows 1 s of
// uptime 0.2 s later, when the second turned.
func TestInfoCountsWholeSeconds(t *testing.T) {
	env := newFakeEnv(nil)
	env.now = testEpochNs + 900_000_000
	n := New(DefaultConfig(), env)
	env.now += 200_000_000
	assert.Contains(t, n.Info(false, map[string]bool{"server": true}), "\r\nuptime_in_seconds:1\r\nuptime_in_days:0\r\n")
	env.now += 700_000_000
	assert.Contains(t, n.Info(false, map[string]bool{"server": true}), "\r\nuptime_in_seconds:1\r\n", "the same second")
	assert.Equal(t, int64(1), wholeSeconds(1999, 2000))
	assert.Equal(t, int64(0), wholeSeconds(2000, 2999))
}
