package cluster

import (
	"strconv"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/node"
)

// quotedAOFNames are appendfilename values (Redis 7.0.15 accepts any name
// without '/' or '\'), each with one kind of byte that decides whether the
// manifest quotes the AOF's file names: a blank, a single or a double
// quote, a tab, BEL, 0x01, 0x1f, bytes over 0x7e and 0x7f (quoted), and
// '~' (the last byte written bare).
var quotedAOFNames = []string{"append only.aof", "it's.aof", `say"hi".aof`, "tab\there.aof", "bell\a.aof",
	"ctl\x01.aof", "unit\x1fsep.aof", "caf\xc3\xa9.aof", "del\x7f.aof", "back~up.aof"}

// Build starts a seeded run's topology: n1 as master, its replicas and
// chained replicas (all with persistence p), the master's clients (the last
// one in db 1, so the replication stream switches dbs) sharing the cluster's
// Ops, and one reader per replica.
func (h *Cluster) Build(t fault.Topology, p fault.Persistence) {
	bugs := map[string]bool{}
	for _, b := range h.opts.Bugs {
		bugs[b] = true
	}
	h.baseCfg = node.DefaultConfig()
	h.baseCfg.Save = nil
	// The workload sends DEBUG, which Redis 7.0 refuses by default; its
	// own test suite turns it on the same way.
	h.baseCfg.EnableDebugCommand = "yes"
	if p.SaveSeconds > 0 {
		h.baseCfg.Save = []node.SaveRule{{Seconds: p.SaveSeconds, Changes: p.SaveChanges}}
	}
	if p.AppendFsync != "" {
		h.baseCfg.AppendOnly, h.baseCfg.AppendFsync = true, p.AppendFsync
	}
	// Both sync framings, and a diskless delay short enough that replicas
	// sync while the workload runs (Redis's default 5 s would outlast it).
	setup := h.w.Rand("setup")
	h.baseCfg.ReplDisklessSync = setup.IntN(2) == 0
	h.baseCfg.ReplDisklessSyncDelay = setup.Int64N(2)
	// Half the seeds rewrite the AOF with its base as commands (its own
	// stream, so the draws above keep their values).
	h.baseCfg.AofUseRdbPreamble = h.w.Rand("setup/preamble").IntN(2) == 0
	h.baseCfg.AofTimestampEnabled = h.w.Rand("setup/aof-timestamps").IntN(4) == 0
	// SHUTDOWN (the op_shutdown fault) exits at once, or, in a third of
	// the seeds, waits up to shutdown-timeout for lagging replicas (the
	// shutdown-wait check, checker/shutdown_wait.go). Its own stream, so
	// no other draw moves.
	h.baseCfg.ShutdownTimeoutSec = 0
	if sd := h.w.Rand("setup/shutdown"); sd.IntN(3) == 0 {
		h.baseCfg.ShutdownTimeoutSec = 1 + sd.Int64N(3)
	}
	// In a quarter of the seeds saves take time (rdb-key-save-delay, per
	// key), so a BGSAVE, a full sync or a SHUTDOWN's save is still in
	// progress when a crash, a sync or a write comes (node/job_delay.go).
	if sd := h.w.Rand("setup/save-delay"); sd.IntN(4) == 0 {
		h.baseCfg.RdbKeySaveDelay = []int64{200, 1000, 5000, -3}[sd.IntN(4)]
	}
	// In a quarter of the seeds the AOF's file names need quoting in the
	// manifest (sdscatrepr: a blank, quotes, a control byte, a byte over
	// 0x7e), so that writing and reading them back is exercised (its own
	// stream).
	if af := h.w.Rand("setup/appendfilename"); af.IntN(4) == 0 {
		h.baseCfg.AppendFilename = quotedAOFNames[af.IntN(len(quotedAOFNames))]
	}
	// In a quarter of the seeds the master pings its replicas more often
	// than Redis's default 10 s, down to every replicationCron run, so the
	// keepalive check (checker/keepalive.go) sees several periods. Its own
	// stream.
	if pp := h.w.Rand("setup/ping-period"); pp.IntN(4) == 0 {
		h.baseCfg.ReplPingPeriodSec = []int64{1, 2, 3, 5}[pp.IntN(4)]
	}
	// In a quarter of the seeds the backlog is Redis's smallest, 16 KiB:
	// the stream outgrows it, so a replica away for long needs a full
	// sync, and a big value is one write larger than the whole backlog.
	// Its own stream.
	if bl := h.w.Rand("setup/backlog"); bl.IntN(4) == 0 {
		h.baseCfg.ReplBacklogSize = 16 << 10
		h.scheduleBacklogGrowth()
	}
	// In a sixth of the seeds aof-load-truncated is no: a node whose AOF
	// ends inside a command (a crash lost its tail, a torn first write)
	// refuses to start, as Redis exits, until the heal wipes it. Its own
	// stream.
	if lt := h.w.Rand("setup/aof-load-truncated"); lt.IntN(6) == 0 {
		h.baseCfg.AofLoadTruncated = false
	}
	// In a sixth of the seeds min-replicas-max-lag is 0, which turns the
	// min-replicas check off whatever min-replicas-to-write op_config sets:
	// no NOREPLICAS then. In a fifth of the rest it is 1 second: replicas
	// ack once a second, so a good replica's lag is often exactly the
	// limit, which Redis still counts (unixtime - repl_ack_time <=
	// min-replicas-max-lag). Its own stream.
	if ml := h.w.Rand("setup/min-replicas-max-lag"); ml.IntN(6) == 0 {
		h.baseCfg.MinReplicasMaxLag = 0
	} else if ml.IntN(5) == 0 {
		h.baseCfg.MinReplicasMaxLag = 1
	}
	// In an eighth of the seeds every node starts with
	// min-replicas-to-write 1 (op_config sets it only now and then, on one
	// node): a master refuses writes with NOREPLICAS while it counts no
	// good replica (none attached yet, all cut off), and its count comes
	// from its replicationCron (checker/min_replicas.go). Its own stream.
	if mw := h.w.Rand("setup/min-replicas-to-write"); mw.IntN(8) == 0 {
		h.baseCfg.MinReplicasToWrite = 1
	}
	// In a tenth of the seeds every node starts with repl-backlog-ttl of
	// 1 to 3 seconds (op_config sets it only now and then, on one node):
	// a master left without replicas that long frees its backlog and
	// changes its replication ID, so its replicas must sync in full
	// (checker: the freeing's timing and lines). Its own stream.
	if bt := h.w.Rand("setup/repl-backlog-ttl"); bt.IntN(10) == 0 {
		h.baseCfg.ReplBacklogTTLSec = int64(1 + bt.IntN(3))
	}
	h.baseCfg.Bugs = bugs
	h.drawObufLimits() // build_obuf.go
	h.drawMaxMemory(t)
	h.pass = h.initialPass()
	h.baseCfg.RequirePass, h.baseCfg.MasterAuth = h.pass, h.pass
	// With writableReplicaSeeds, one replica starts writable
	// (replica-read-only no) in that share of the seeds, so that its
	// reader's writes are its own (checker.LocalWrites) and its own TTLs
	// are expired by it (checker.CheckLocalExpiry). Its own stream.
	writable := -1
	if wr := h.w.Rand("setup/writable-replica"); writableReplicaSeeds > 0 && wr.IntN(writableReplicaSeeds) == 0 && len(t.Nodes()) > 1 {
		writable = 1 + wr.IntN(len(t.Nodes())-1)
	}
	sigs := h.w.Rand("setup/shutdown-on-sig")
	encs := h.w.Rand("setup/encoding-limits")
	smallEncodings := encs.IntN(encodingLimitSeeds) == 0
	for i, name := range t.Nodes() {
		cfg := h.baseCfg
		if smallEncodings {
			drawEncodingLimits(encs, &cfg) // build_encodings.go
		}
		if up := t.Upstream(i); up != "" {
			cfg.ReplicaOfHost, cfg.ReplicaOfPort = up, h.baseCfg.Port
		}
		if i == writable {
			cfg.ReplicaReadOnly = false
		}
		given := drawShutdownOnSig(sigs, &cfg) // build_signal.go
		s := h.addNode(name, cfg)
		s.sigFlags = given
		if i == 0 {
			h.master = s
		}
	}
	ops := h.opts.Ops
	per := ops / t.Clients
	for i := 0; i < t.Clients; i++ {
		n := per
		if i == 0 {
			n += ops - per*t.Clients
		}
		c := h.addClient("c"+strconv.Itoa(i+1), h.master, n, false)
		c.db = ClientDB(t, c.name)
		if h.opts.Replay != nil {
			c.db = h.opts.Replay.DB(c.name)
		}
	}
	for i, r := range h.nodes[1:] {
		h.addClient("r"+strconv.Itoa(i+1), r, ops/8, true)
	}
	if h.opts.Replay == nil {
		h.addBadAuthClients(ops)
	} else {
		h.addListedBadClients()
	}
	h.addMonitor()
	h.addReplClient()
	h.addFakeMaster()
}

// WorkloadDone reports whether every client has finished.
func (h *Cluster) WorkloadDone() bool {
	for _, c := range h.clients {
		if !c.done() {
			return false
		}
	}
	return true
}

// Converged reports whether the master is a master and every other node is
// linked and caught up with it: the same offset of the same history (a
// chained replica whose master just resynced onto a new history may still
// sit at an equal offset of the old one).
func (h *Cluster) Converged() bool {
	if !h.master.up {
		return false
	}
	m := h.master.node.Repl()
	if m.Role != "master" {
		return false
	}
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		r := s.node.Repl()
		if !r.LinkUp || r.Offset != m.Offset || r.ReplID != m.ReplID {
			return false
		}
	}
	return true
}

// writableReplicaSeeds is one over the share of seeds with a replica that
// starts writable; 0 turns the draw off (see the setup in build).
const writableReplicaSeeds = 4
