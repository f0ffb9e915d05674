package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRDBAgeBound(t *testing.T) {
	clocks := Clocks{"n1": FixedClock(epochMs*1e6, 0), "n2": FixedClock(epochMs*1e6-5e9, 0)}
	load := func(age int64, end string) []LogLine {
		return []LogLine{line(20, logRDBVersion, "7.0.15"), line(20, logRDBAge, age), line(20, "%s", end)}
	}
	done := logDoneLoading + "3, keys expired: 0."
	// At 20 s n1's clock reads epoch + 20 s; n2's read epoch - 5 s at the
	// run's start: an RDB can be at most 25 s old.
	assert.Empty(t, checkRDBAgeBound(load(25, done), clocks))
	assert.Empty(t, checkRDBAgeBound(load(9_000_000, "Wrong RDB checksum expected: (%s) got (%s). Aborting now."), clocks),
		"a load that fails is not judged: the ctime may be the flipped bit")

	v := checkRDBAgeBound(load(26, done), clocks)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "its age is at most 25 seconds")

	t.Run("mutant rdb_log.go:27:4 (a negative age not clamped)", func(t *testing.T) {
		assert.Empty(t, checkRDBAgeBound(load(0, done), clocks))
		v := checkRDBAgeBound(load(-3, done), clocks)
		require.Len(t, v, 1)
		assert.Contains(t, v[0].Detail, "as 0")
	})

	t.Run("mutant rdb_log.go:21:26 (the clock plus the ctime)", func(t *testing.T) {
		assert.Len(t, checkRDBAgeBound(load(2*(epochMs/1000)+20, done), clocks), 1)
	})
}
