package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// A node given a new master keeps its own replicas attached (Redis's
// replicationSetMaster does not disconnect them): they become chained
// replicas and stay while the node syncs.
func TestReplicaofKeepsSubReplicas(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	r := h.Replica()
	ticks(h, time.Second)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "10.0.0.1", "6379"))
	assert.False(t, h.Env.Closed(r.Conn), "the sub-replica stays")
	info := h.DoString(c, "INFO", "replication")
	assert.Contains(t, info, "role:slave\r\n")
	assert.Contains(t, info, "connected_slaves:1\r\n")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "10.0.0.2", "6379"))
	assert.False(t, h.Env.Closed(r.Conn))
}
