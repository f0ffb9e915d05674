package cluster

import (
	"time"

	"github.com/replsim/replsim/checker"
)

// What the cluster recorded, in the shapes the checkers read. Each method
// assembles one checker's input; none judges anything.

// Clocks returns every node's clock as the checkers model it.
func (h *Cluster) Clocks() checker.Clocks { return h.nodeClocks() }

// ClockSlack is how far apart the nodes' clocks can be, for the
// linearizability check's real-time order.
func (h *Cluster) ClockSlack(clocks checker.Clocks) time.Duration {
	return time.Duration(h.clockSlack(clocks))
}

// ClockOffset is how far any node's clock may be from virtual time, for
// absolute expiry times.
func (h *Cluster) ClockOffset(clocks checker.Clocks) time.Duration {
	return time.Duration(h.clockOffset(clocks))
}

// LinHistory is what the linearizability check judges (record_lin.go).
func (h *Cluster) LinHistory() []checker.Op { return h.linHistory() }

// PrefixInput is what the prefix check reads.
func (h *Cluster) PrefixInput(clocks checker.Clocks) checker.PrefixInput {
	return checker.PrefixInput{
		Chunks: h.rec.chunks, FullSyncs: h.rec.syncs, Promotions: h.rec.promotions, Restarts: h.rec.restarts,
		Reads: h.replicaOps, MasterReads: h.masterOps, Clocks: clocks, LocalWrites: h.localWrites(),
		ReplClients: h.rec.replClients,
	}
}

// DurabilityInput is what the durability check reads; like the promotion
// check it needs the writes readers sent to a master (seed 197).
func (h *Cluster) DurabilityInput(linHist []checker.Op, clocks checker.Clocks) checker.DurabilityInput {
	return checker.DurabilityInput{Restarts: h.rec.restarts, Ops: linHist, FullSyncs: h.rec.syncs,
		Clocks: clocks, DiskFaults: h.rec.disk, Pauses: h.rec.pauses, Settings: h.rec.settings, Lines: h.rec.logs, LocalWrites: h.localWrites()}
}

// DiskFaults are the injected disk faults the nodes' operations hit, in
// time order.
func (h *Cluster) DiskFaults() []checker.DiskFault { return h.rec.disk }

// CleanRestartInput is what the clean-restart check reads: the clean
// exits, restarts and disk faults, the writes that may have run on
// writable replicas and every client's history.
func (h *Cluster) CleanRestartInput() ([]checker.CleanExit, []checker.Restart, []checker.DiskFault, []checker.Op, []checker.Op) {
	all := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	all = append(append(all, h.masterOps...), h.replicaOps...)
	return h.rec.cleanExits, h.rec.restarts, h.rec.disk, h.localWrites(), all
}

// FinalRDBRepls are the masters' final RDBs at SHUTDOWN, with the
// replication state they exited with.
func (h *Cluster) FinalRDBRepls() []checker.FinalRDBRepl { return h.rec.finalRDBRepls }

// Saves are the files successful saves left, for checker.CheckSavesWhole.
func (h *Cluster) Saves() []checker.SavedFile { return h.rec.saves }

// LivenessInput is what the bounded-liveness check reads (record_sync.go).
func (h *Cluster) LivenessInput(clocks checker.Clocks) checker.LivenessInput {
	return h.livenessInput(clocks)
}

// Roles is every node's role over time.
func (h *Cluster) Roles() []checker.RoleChange { return h.roles() }

// PromotionInput is what the promotion check reads. Its operations are the
// linearizability history's: a replica reader's write to a node while that
// node was master is one of that master's writes too (seed 189).
func (h *Cluster) PromotionInput(linHist []checker.Op, roles []checker.RoleChange) checker.PromotionInput {
	return checker.PromotionInput{
		Promotions: h.rec.promotions, Ops: linHist, Chunks: h.rec.chunks, Roles: roles, Replicas: h.opts.Replicas,
		FullSyncs: h.rec.syncs, Restarts: h.rec.restarts, WaitAcks: h.rec.waits, LocalWrites: h.localWrites(),
	}
}

// AccessInput is what the access check reads.
func (h *Cluster) AccessInput(roles []checker.RoleChange) checker.AccessInput {
	all := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	all = append(append(all, h.masterOps...), h.replicaOps...)
	return checker.AccessInput{Ops: all, Roles: roles, FullSyncs: h.rec.syncs, LinkResets: h.rec.linkResets, AuthStates: h.rec.auth,
		Settings: h.rec.settings}
}

// localWrites are the client writes that may have run on writable
// replicas (checker.LocalWrites), from every client's history.
func (h *Cluster) localWrites() []checker.Op {
	// Six inputs ask for it once the run is over: worked out once for
	// what was recorded then (the key says how much that was).
	key := [6]int{len(h.masterOps), len(h.replicaOps), len(h.rec.settings), len(h.rec.syncs), len(h.rec.reloads), len(h.rec.restarts)}
	if h.localCache != nil && h.localKey == key {
		return h.localCache
	}
	// One call over both histories: a local value moves with, or a local
	// flush removes, keys of either (seed 3115: a reader's BRPOP l0 on a
	// writable replica, then the master's BRPOPLPUSH l0 l5).
	all := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	all = append(append(all, h.masterOps...), h.replicaOps...)
	local := checker.LocalWrites(checker.LocalInput{Ops: all, Settings: h.rec.settings, FullSyncs: h.rec.syncs,
		Reloads: h.rec.reloads, Restarts: h.rec.restarts})
	if local == nil {
		local = []checker.Op{}
	}
	h.localCache, h.localKey = local, key
	return local
}

// Promotions is how many times a node was promoted.
func (h *Cluster) Promotions() int { return len(h.rec.promotions) }

// ConvergenceStates returns the master's state and every live replica's,
// for the convergence check; ok is false when there is no live master to
// converge to.
func (h *Cluster) ConvergenceStates() (master checker.NodeState, replicas []checker.NodeState, ok bool) {
	if h.master == nil || !h.master.up {
		return checker.NodeState{}, nil, false
	}
	local := h.localWrites()
	now := int64(h.w.Now())
	master = h.state(h.master)
	master.Local = checker.LocalKeys(local, h.rec.syncs, master.Name, now)
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		st := h.state(s)
		st.Local = checker.LocalKeys(local, h.rec.syncs, st.Name, now)
		replicas = append(replicas, st)
	}
	return master, replicas, true
}

// state is a node's state as the convergence check compares it.
func (h *Cluster) state(s *simNode) checker.NodeState {
	st := checker.NodeState{Name: s.name, Repl: s.node.Repl(), Data: s.node.Dataset(), Digest: s.node.Digest(),
		Crashed: !s.up, Chain: h.chain(s), SyncedBySYNC: checker.LastSyncBySYNC(h.rec.syncs, h.rec.promotions, h.rec.restarts, s.name)}
	for _, n := range append([]string{s.name}, st.Chain...) {
		if st.FlushallResume == "" {
			st.FlushallResume = checker.FlushallResume(h.rec.chunks, h.rec.restarts, h.rec.syncs, n)
		}
	}
	for _, n := range st.Chain {
		if st.StuckAOF == "" && checker.StuckAOFWriteError(h.rec.logs, h.rec.disk, n, int64(h.w.Now())) {
			st.StuckAOF = n
		}
	}
	return st
}

// chain follows master links upwards from s: its master, that node's
// master, and so on, stopping at a master, a missing or down node, or a
// cycle.
func (h *Cluster) chain(s *simNode) []string {
	var out []string
	seen := map[string]bool{s.name: true}
	for cur := s; cur != nil && cur.up; {
		r := cur.node.Repl()
		if r.Role != "slave" {
			break
		}
		out = append(out, r.MasterHost)
		if seen[r.MasterHost] {
			break
		}
		seen[r.MasterHost] = true
		cur = h.Node(r.MasterHost)
	}
	return out
}

// MasterOps and ReplicaOps are the operation histories of the master's
// clients and of the replica readers.
func (h *Cluster) MasterOps() []checker.Op  { return h.masterOps }
func (h *Cluster) ReplicaOps() []checker.Op { return h.replicaOps }

// Timeline is every event the cluster recorded, in order.
func (h *Cluster) Timeline() []TimelineEvent { return h.timeline }

// Faults counts the events recorded per kind.
func (h *Cluster) Faults() map[string]int { return h.faults }

// SyncStats adds up every node's full and partial resyncs and the bytes
// written to its disk.
func (h *Cluster) SyncStats() (full, partial, diskBytes int64) {
	for _, s := range h.nodes {
		st := s.node.Repl()
		full += st.SyncFull
		partial += st.SyncPartialOK
		diskBytes += s.fs.Stats().BytesWritten
	}
	return full, partial, diskBytes
}

// NodeEvents are the timeline's events that concern a node, for the
// checks that read faults and restarts (checker.CheckRestartLoads).
func (h *Cluster) NodeEvents() []checker.NodeEvent {
	var out []checker.NodeEvent
	for _, e := range h.timeline {
		if e.Node != "" {
			out = append(out, checker.NodeEvent{At: int64(e.At), Kind: e.Kind, Node: e.Node, Detail: e.Detail})
		}
	}
	return out
}

// LocalExpiryInput is what the writable replicas' expiry check reads
// (checker.CheckLocalExpiry): every client's history, the settings, full
// syncs, reloads and pauses, and every up node's dataset now.
func (h *Cluster) LocalExpiryInput(clocks checker.Clocks) checker.LocalExpiryInput {
	all := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	all = append(append(all, h.masterOps...), h.replicaOps...)
	in := checker.LocalExpiryInput{Ops: all, Settings: h.rec.settings, FullSyncs: h.rec.syncs, Reloads: h.rec.reloads,
		Pauses: h.rec.pauses, Clocks: clocks, End: int64(h.w.Now())}
	for _, s := range h.nodes {
		if s.up {
			in.States = append(in.States, checker.NodeState{Name: s.name, Data: s.node.Dataset()})
		}
	}
	return in
}
