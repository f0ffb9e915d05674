package cluster

import "github.com/replsim/replsim/node"

// drawObufLimits gives a fifth of the seeds a small client-output-buffer-
// limit for replicas on every node, from its own stream (so other draws
// keep their choices): a slow link or a cut during the workload then
// holds enough stream in flight to overcome the soft limit, the master
// drops the replica and it resyncs. The hard limit is often under the
// backlog size, which Redis raises it to (checker.CheckObufDrops judges
// every drop against the limit Redis enforces).
func (h *Cluster) drawObufLimits() {
	r := h.w.Rand("setup/obuf")
	if !r.Chance(0.2) {
		return
	}
	h.baseCfg.OutputLimits[node.OutputClassReplica] = node.OutputLimit{
		Hard:        []int64{1024, 16384, 65536}[r.IntN(3)],
		Soft:        []int64{1024, 4096, 16384}[r.IntN(3)],
		SoftSeconds: []int64{0, 0, 1}[r.IntN(3)],
	}
}
