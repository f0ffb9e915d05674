package cluster

import "github.com/replsim/replsim/fault"

// maxmemoryPolicies are Redis's eight maxmemory-policy values.
var maxmemoryPolicies = []string{"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
	"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}

// Memory the node counts against maxmemory before any data (node/memory.go:
// Redis 7.0.15's used_memory_startup) and per connected client.
const (
	startupMemory   = 876144
	perClientMemory = 20 * 1024
)

// drawMaxMemory gives some seeds (stream "setup/maxmemory", so the other
// draws stay as they were) a maxmemory just above what the master holds
// with its clients and replicas connected, so the workload's data crosses
// it, and one of Redis's eight policies. Every node gets it; replicas
// ignore it for their master's writes (replica-ignore-maxmemory) and apply
// it once promoted.
func (h *Cluster) drawMaxMemory(t fault.Topology) {
	r := h.w.Rand("setup/maxmemory")
	if !r.Chance(0.3) {
		return
	}
	conns := t.Clients + 1 // the clients, and a bad-auth client or a reconnection's overlap
	for i := range t.Nodes() {
		if i > 0 && t.Upstream(i) == t.Nodes()[0] {
			conns++
		}
	}
	budget := []int64{512, 2048, 8192, 32768}[r.IntN(4)]
	h.baseCfg.MaxMemory = startupMemory + perClientMemory*int64(conns) + budget
	h.baseCfg.MaxMemoryPolicy = maxmemoryPolicies[r.IntN(len(maxmemoryPolicies))]
}
