package cluster

import "github.com/replsim/replsim/checker"

// WaitLatencyInput is what checker.CheckWaitLatency reads: every WAIT's
// return (record_wait.go) and every REPLCONF ACK a master took
// (record_steady.go).
func (h *Cluster) WaitLatencyInput() ([]checker.WaitAck, []checker.AckReceipt) {
	return h.rec.waits, h.rec.acks
}

// PendingWaits are the WAITs that blocked and never returned, as the
// harness stopped watching them (checker.CheckPendingWaits).
func (h *Cluster) PendingWaits() []checker.WaitAck { return h.rec.pendingWaits }

// MinReplicasInput is what checker.CheckNoReplicas reads: the clients'
// operations, the probes, the masters' ACKs, the nodes' replicationCron runs (the
// replication-ID samples are taken after each, record_replids.go), their
// settings and clocks.
func (h *Cluster) MinReplicasInput(ops []checker.Op, clocks checker.Clocks) checker.MinReplicasInput {
	crons := make([]checker.ReplCronRun, len(h.rec.replIDs))
	for i, s := range h.rec.replIDs {
		crons[i] = checker.ReplCronRun{Node: s.Node, At: s.At}
	}
	return checker.MinReplicasInput{Ops: ops, WriteProbes: h.rec.probes, WaitProbe: h.WaitProbeResult(), Acks: h.rec.acks,
		Crons: crons, Settings: h.rec.settings, Clocks: clocks, Losses: h.rec.replicaLosses, Lines: h.rec.logs}
}
