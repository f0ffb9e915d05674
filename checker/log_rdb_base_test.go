package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// "RDB is base AOF" belongs to the load of an AOF's base only, unless
// the load then fails its checksum (a flipped bit: seed 335).
func TestRDBIsBaseOnlyInAOFBase(t *testing.T) {
	done := line(1, logDoneLoading+"3, keys expired: 0.")
	base := []LogLine{line(1, logReadingBase), line(1, logRDBVersion, "7.0.15"), line(1, logRDBIsBase), done}
	assert.Empty(t, checkRDBIsBase(base))
	sync := []LogLine{line(2, "MASTER <-> REPLICA sync: Loading DB in memory"), line(2, logRDBVersion, "7.0.15"), line(2, logRDBIsBase)}
	flipped := append(append([]LogLine{}, sync...), line(2, "Wrong RDB checksum expected: (1) but got (2). Aborting now."))
	assert.Empty(t, checkRDBIsBase(append(append([]LogLine{}, base...), flipped...)))
	assert.Empty(t, checkRDBIsBase(append(append(append([]LogLine{}, base...), flipped...), line(3, logRDBVersion, "7.0.15"), done)),
		"a later load that ends well is another load")
	v := checkRDBIsBase(append(append(append([]LogLine{}, base...), sync...), done))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, `"RDB is base AOF" in a load that ended well outside the load of an AOF's base file`)
}
