package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// REPLICAOF NO ONE with a cached master logs its discarding first; a
// partial resync or an earlier discard leaves nothing cached.
func TestCachedMasterDiscarded(t *testing.T) {
	caching := line(5, logCachingMaster)
	promote := line(9, logMasterMode, "id=3")
	assert.Empty(t, cachedMasterDiscarded([]LogLine{caching, line(9, logDiscardCached), promote}))
	assert.Empty(t, cachedMasterDiscarded([]LogLine{caching, line(6, logPartialSuccess), promote}))
	assert.Empty(t, cachedMasterDiscarded([]LogLine{promote}))
	v := cachedMasterDiscarded([]LogLine{caching, promote})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "replicationUnsetMaster discards a cached master")
	synth := line(3, logSynthCached+": I may be able to synchronize with the new master with just a partial transfer.")
	require.Len(t, cachedMasterDiscarded([]LogLine{synth, promote}), 1)
}
