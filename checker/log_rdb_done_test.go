package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A DEBUG RELOAD logs the end of its RDB load before its own line (mutant
// node/persist_rdb.go: the "Done loading RDB" line removed).
func TestRDBLoadsDone(t *testing.T) {
	version := line(1, logRDBVersion, "7.0.15")
	done := line(1, logRDBLoaded, 3, 0)
	reloaded := line(1, logDebugReloaded)
	assert.Empty(t, rdbLoadsDone([]LogLine{version, done, reloaded}))
	assert.Empty(t, rdbLoadsDone([]LogLine{reloaded}), "no version line: nothing to judge")
	vs := rdbLoadsDone([]LogLine{version, reloaded})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `with no "Done loading RDB" between`)
}
