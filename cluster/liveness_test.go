package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStuckWorkloadNamesClientsAndNodes: an unfinished workload's liveness
// detail names each client with work left, its node's state and what the
// client waits for; finished clients are not listed.
func TestStuckWorkloadNamesClientsAndNodes(t *testing.T) {
	h := &Cluster{}
	down := &simNode{name: "n1"}
	paused := &simNode{name: "n2", up: true, paused: true}
	h.clients = []*simClient{
		{name: "c1", target: down, opsLeft: 7, pending: -1},
		{name: "c2", target: paused, opsLeft: 3, pending: 4, sentAt: 1_500_000_000},
		{name: "c3", target: paused, opsLeft: 0, pending: -1},
	}
	assert.Equal(t, "; c1 on n1 (down): 7 ops left, connecting; c2 on n2 (paused): 3 ops left, waiting for a reply since 1.500000s",
		h.StuckWorkload())
	h.clients = h.clients[2:]
	assert.Empty(t, h.StuckWorkload())
}
