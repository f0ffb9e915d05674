package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONFIG RESETSTAT clears INFO persistence's counters of AOF rewrites and
// RDB saves as Redis 7.0.15's resetServerStats does (redis-server: aof_rewrites
// 1 -> 0 after a BGREWRITEAOF), and keeps aof_last_rewrite_time_sec.
func TestResetStatClearsPersistenceCounters(t *testing.T) {
	tn := startNode(t, aofConfig("always"), nil)
	require.Equal(t, "Background append only file rewriting started", tn.do("BGREWRITEAOF"))
	tn.runJobs()
	tn.advance(200)
	require.Equal(t, "OK", tn.do("SAVE"))
	assert.Equal(t, "1", infoField(t, tn, "aof_rewrites"))
	assert.Equal(t, "1", infoField(t, tn, "rdb_saves"))
	assert.Equal(t, "0", infoField(t, tn, "aof_last_rewrite_time_sec"))
	assert.Equal(t, 0, tn.n.StatResets())

	require.Equal(t, "OK", tn.do("CONFIG", "RESETSTAT"))
	assert.Equal(t, "0", infoField(t, tn, "aof_rewrites"))
	assert.Equal(t, "0", infoField(t, tn, "rdb_saves"))
	assert.Equal(t, "0", infoField(t, tn, "aof_last_rewrite_time_sec"))
	assert.Equal(t, 1, tn.n.StatResets())
}
