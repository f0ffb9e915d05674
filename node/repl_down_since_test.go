package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// downSince is INFO replication's master_link_down_since_seconds ("" when
// INFO has none).
func downSince(n *Node) string {
	for _, l := range strings.Split(n.Info(false, map[string]bool{"replication": true}), "\r\n") {
		if v, ok := strings.CutPrefix(l, "master_link_down_since_seconds:"); ok {
			return v
		}
	}
	return ""
}

// master_link_down_since_seconds counts whole seconds of the clock
// (server.unixtime - repl_down_since) from the loss of the link; a
// REPLICAOF to another master keeps it (replicationSetMaster leaves
// repl_down_since), REPLICAOF NO ONE clears it (replicationUnsetMaster),
// as real Redis 7.0.15 answers.
func TestMasterLinkDownSince(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	assert.Equal(t, "-1", downSince(n), "never up")
	id := strings.Repeat("d", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 0\r\n"))
	n.OnData(link, bulkRDB(id, 0, true))
	require.True(t, n.Repl().LinkUp)
	assert.Equal(t, "", downSince(n), "link up")

	env.now += 900e6 // 0.9 s into the epoch's second
	n.OnClosed(link, nil)
	require.True(t, env.logged("Connection with master lost."))
	env.now += 200e6
	assert.Equal(t, "1", downSince(n), "seconds of the clock, not 200 ms")
	env.now += 3e9
	assert.Equal(t, "4", downSince(n))

	n.setMaster("m2", 6380, true)
	assert.Equal(t, "4", downSince(n), "REPLICAOF another master keeps the time")
	n.unsetMaster()
	n.setMaster("m3", 6381, true)
	assert.Equal(t, "-1", downSince(n), "REPLICAOF NO ONE clears it")
}
