package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplicaofNoReconnect(t *testing.T) {
	reconnect := line(5, logReconnecting, "n1", 6379)
	replicaof := line(5, logReplicaOfOn, "n3", 6381, "id=4 addr=...")
	v := replicaofNoReconnect([]LogLine{line(5, "Connection with master lost."), reconnect, line(5, "MASTER <-> REPLICA sync started"), replicaof})
	require.Len(t, v, 1, "mutant repl_replica.go:51:2: the old master's host kept while the link drops")
	assert.Contains(t, v[0].Detail, "REPLICAOF clears masterhost before it drops the master link")
	assert.Empty(t, replicaofNoReconnect([]LogLine{reconnect, line(6, logReplicaOfOn, "n3", 6381, "x")}), "a later REPLICAOF")
	assert.Empty(t, replicaofNoReconnect([]LogLine{line(5, "Connection with master lost."), replicaof}))
	// Seed 21436: the reconnection came from an earlier call in the
	// instant (a resumed node's lost link), not from the REPLICAOF.
	earlier := reconnect
	earlier.Call = replicaof.Call - 1
	assert.Empty(t, replicaofNoReconnect([]LogLine{earlier, replicaof}))
}
