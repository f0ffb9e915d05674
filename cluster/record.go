package cluster

import (
	"sort"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/tap"
)

// recorder keeps what the checkers need beyond the operation histories:
// what every node's replication tap reported, and what restarted nodes
// loaded. Seq orders all of it.
type recorder struct {
	// probe is the write probe after the steady tail (probe.go).
	probe *checker.WriteProbe
	// probes are all the write probes, the retries of a refused one too.
	probes []checker.WriteProbe
	// waitProbe is the WAIT probe in the steady tail (probe_wait.go).
	waitProbe *checker.WaitProbe
	seq       int
	chunks    []checker.StreamChunk
	waits     []checker.WaitAck // record_wait.go
	// pendingWaits are the WAITs that never returned (record_wait.go).
	pendingWaits []checker.WaitAck
	// arena holds copies of stream chunks: one allocation per 64 KiB
	// rather than per chunk (slices into a full arena stay valid).
	arena      []byte
	syncs      []checker.FullSync
	promotions []checker.Promotion
	restarts   []checker.Restart
	// manifestDamages are the broken manifests (manifest_damage.go).
	manifestDamages []checker.ManifestDamage
	jumps           []clockJump            // record_clock.go
	disk            []checker.DiskFault    // record_disk.go
	aofSyncs        []checker.FileSync     // record_disk.go: successful fsyncs of incr AOF files
	rdbInstalls     []checker.RDBInstall   // record_disk.go: renames onto a node's dbfilename
	aofMoves        []checker.AOFMove      // record_disk.go: old AOFs moved into appenddirname
	operatorCalls   []checker.OperatorCall // record_operator.go: the operator's commands
	pauses          []checker.Pause        // record_pause.go
	heal            healMark               // record_sync.go
	maxDelay        map[string]int64       // record_sync.go
	// startWipes is how many times each node's disk had been wiped when
	// it last started.
	startWipes map[string]int
	// auth is every node's auth settings over time; lastAuth the latest
	// per node (record_auth.go).
	auth     []checker.AuthState
	lastAuth map[string]authSeen
	// linkResets are the master links reset under a wrong masterauth.
	linkResets []checker.LinkReset
	// settings are every node's settings over time (record_config.go).
	settings []checker.SettingsChange
	// obufDrops are the replicas dropped for their output buffer
	// (record_obuf.go).
	obufDrops []checker.ObufDrop
	// rewrites are the CONFIG REWRITEs answered OK (config_rewrite.go).
	rewrites []checker.ConfigRewrite
	// reloads are the operator's DEBUG RELOADs (reload.go).
	reloads []checker.Reload
	// monitors are the MONITOR sessions (monitor.go).
	monitors []checker.MonitorSession
	// cleanExits are the nodes' exits by SHUTDOWN (node.go).
	cleanExits []checker.CleanExit
	// acks are the REPLCONF ACKs masters took (record_steady.go).
	acks []checker.AckReceipt
	// backlogServes are the backlogs masters sent after +CONTINUE
	// (record_backlog.go).
	backlogServes []checker.BacklogServe
	// replClients are the replication client's sessions (replclient.go).
	replClients []checker.ReplClientSession
	// fakeSessions are the fake master's sessions (fakemaster.go).
	fakeSessions []checker.FakeMasterSession
	// exits are the masters' graceful shutdowns (record_shutdown.go).
	exits []checker.GracefulExit
	// shutdownCalls are the operator's SHUTDOWNs and SHUTDOWN ABORTs and
	// the shutdowns finishing from a tick (record_shutdown.go).
	shutdownCalls []checker.ShutdownCall
	// logs are every node's log lines (record_log.go).
	logs []checker.LogLine
	// linkDown are the replicas' master_link_down_since_seconds, read
	// while their link was down (record_linkdown.go).
	linkDown []checker.LinkDownSample
	// replIDs are every node's replication IDs, read after each of its
	// replicationCron runs (record_replids.go).
	replIDs []checker.ReplIDSample
	// replExpires are the nodes' slave_expires_tracked_keys, read after
	// each tick (when not 0) and each full sync (record_replexpires.go).
	replExpires []checker.ReplicaExpiresSample
	// expects are lines a node must have logged for an event the
	// cluster saw it handle; logExits are the nodes that shut themselves
	// down (record_log.go).
	expects  []checker.LogExpect
	logExits []checker.LogExit
	// aofStarts are the AOFs the nodes' processes found as they started
	// (record_aof_start.go).
	aofStarts []checker.AOFStart
	// rdbStarts are the RDB files processes started from, with their key
	// counts and replication histories (record_rdb_start.go).
	rdbStarts []checker.RDBStart
	// masterReads: the last read on a replica's master link before each
	// "MASTER timeout" line (record_master_read.go).
	masterReads []checker.MasterRead
	// tempAtCrash are the temp files of processes as they were killed
	// (record_temp.go).
	tempAtCrash []checker.TempFilesNode
	// starts are the nodes' process starts (record_cron.go).
	starts []checker.ProcessStart
	// finalRDBRepls are masters' final RDBs at SHUTDOWN with the
	// replication state they exited with (record_final_rdb.go).
	finalRDBRepls []checker.FinalRDBRepl
	// saves are the files successful saves left, read at their success
	// lines (record_saved.go).
	saves []checker.SavedFile
	// replicaLosses are masters' "Connection with replica %s lost."
	// lines with the replicas each left (record_log.go).
	replicaLosses []checker.ReplicaLoss
	// childReplies are the replies to the operator's BGSAVE and
	// BGREWRITEAOF (record_child.go).
	childReplies []checker.ChildReply
	// extraReplies are the bytes a node wrote to the operator's console
	// after the first reply to a command (Exec).
	extraReplies []checker.ExtraReply
	// loadEncodings are the datasets as RDB loads ended.
	loadEncodings []checker.LoadEncodings
	// operatorExpects are operator commands whose reply Redis fixes
	// (operator.go's typos).
	operatorExpects []checker.OperatorExpect
	// keepalive are the nodes' replicationCron runs (record_keepalive.go).
	keepalive []checker.KeepaliveRun
	// rewriteEnds are the AOF rewrites' ends that renamed files into
	// place (record_rewrite_end.go).
	rewriteEnds []checker.RewriteEnd
	// probeWrites are the probes' own writes, which no client history
	// holds (the WAIT probe's SET, the write probe's DEL): Return -1 while
	// unanswered (probe.go).
	probeWrites []checker.NodeCall
	// incrWrites are what each process appended to each incr AOF file
	// it left (record_aof_incr.go).
	incrWrites []checker.AOFIncrWrite
	// leftIncrs are the incr AOF files rewrites' starts left, with what
	// of them was unsynced then (record_aof_left_incr.go).
	leftIncrs []checker.LeftIncr
	// crons are the nodes' serverCron runs (record_cron.go).
	crons []checker.CronRun
}

func (r *recorder) next() int { r.seq++; return r.seq }

// The simulated node is its node's Env, and also its tap.Tap.
var _ tap.Tap = (*simNode)(nil)

// Stream implements tap.Tap.
func (s *simNode) Stream(replid string, start int64, p []byte, replica bool) {
	r := &s.h.rec
	r.chunks = append(r.chunks, checker.StreamChunk{Seq: r.next(), At: s.h.w.Now(), Node: s.name,
		ReplID: replid, Start: start, Data: r.keep(p), Replica: replica})
}

// keep copies p into the arena.
func (r *recorder) keep(p []byte) []byte {
	if cap(r.arena)-len(r.arena) < len(p) {
		r.arena = make([]byte, 0, max(64<<10, len(p)))
	}
	r.arena = append(r.arena, p...)
	n := len(r.arena)
	return r.arena[n-len(p) : n : n]
}

// FullSync implements tap.Tap. A full sync of the node the master clients
// are sent to replaces the dataset their operations read and wrote with
// another node's: the master epoch ends there (seed 3428291: a demoted,
// writable master answered INCR k1 -> 1 from its own AOF, full-synced
// from its stale target, then answered INCR k1 -> 812).
func (s *simNode) FullSync(replid string, offset int64, rdb []tap.KeyValue) {
	if s == s.h.master {
		s.h.epoch++
		s.h.NoteEnd(EventMasterResync, s.name, "from "+s.node.Repl().MasterHost)
	}
	r := &s.h.rec
	r.syncs = append(r.syncs, checker.FullSync{Seq: r.next(), At: s.h.w.Now(), Node: s.name,
		Master: s.node.Repl().MasterHost, ReplID: replid, Offset: offset, RDB: rdb, Loaded: s.node.Dataset()})
	s.sampleReplicaExpires(true)
}

// Promote implements tap.Tap.
func (s *simNode) Promote(before []tap.KeyValue, was tap.ReplStatus) {
	r := &s.h.rec
	r.promotions = append(r.promotions, checker.Promotion{Seq: r.next(), At: s.h.w.Now(), Node: s.name,
		Epoch: s.h.epoch, Before: before, After: s.node.Dataset(), Was: was, Now: s.node.Repl()})
}

// onRestart records what a restarted node loaded, before it serves anyone.
// Restart calls it once the node's files are loaded.
func (h *Cluster) onRestart(s *simNode, kind string) {
	rs := checker.Restart{Seq: h.rec.next(), Node: s.name, RestartAt: h.w.Now(),
		Persistence: persistenceOf(s.cfg), Loaded: s.node.Dataset(), Repl: s.node.Repl()}
	if kind == EventRestartWiped || s.wipes > h.rec.startWipes[s.name] {
		// Its files failed to load and were wiped (even if this start is
		// a later one, after the start on the wiped disk failed too): it
		// promised nothing.
		rs.Persistence = checker.Persistence{}
	}
	if h.rec.startWipes == nil {
		h.rec.startWipes = map[string]int{}
	}
	h.rec.startWipes[s.name] = s.wipes
	// The node's last end since its previous start: a crash, or an exit of
	// its own (a fatal AOF error). It ended a master epoch if the epoch
	// moved there.
	found := false
	for i := len(h.timeline) - 1; i >= 0 && !found; i-- {
		ev := h.timeline[i]
		if ev.Node != s.name {
			continue
		}
		switch ev.Kind {
		case EventRestart, EventRestartWiped:
			i = -1 // started since: no crash to judge
		case EventCrash, EventExit:
			prevEpoch := 0
			if i > 0 {
				prevEpoch = h.timeline[i-1].Epoch
			}
			rs.CrashAt = ev.At
			rs.WasMaster = ev.Epoch > prevEpoch
			rs.Epoch = ev.Epoch - 1
			found = true
		}
	}
	if !found {
		return
	}
	h.rec.restarts = append(h.rec.restarts, rs)
}

// roles derives every node's role over time from the configuration and
// the timeline: promotions make one node master and every other live node
// its replica, crashes take a node down, restarts bring it back in its
// configured role.
func (h *Cluster) roles() []checker.RoleChange {
	if h.roleLog != nil {
		return h.roleLog
	}
	return h.rolesFromTimeline()
}

// observeRoles records every node whose role (master, slave, down) changed
// since it was last looked at. The harness calls it after everything that
// can change a role (node start, operator commands, faults), so the log is
// exact: roles never change on their own.
func (h *Cluster) observeRoles() {
	h.observeAuth()
	h.observeSyncConfig() // record_sync.go
	for _, s := range h.nodes {
		h.observeSettings(s)
	}
	if h.lastRole == nil {
		h.lastRole = map[string]string{}
	}
	for _, s := range h.nodes {
		role := "down"
		if s.up {
			role = s.node.Repl().Role
		}
		if h.lastRole[s.name] != role {
			h.lastRole[s.name] = role
			h.roleLog = append(h.roleLog, checker.RoleChange{At: h.w.Now(), Node: s.name, Role: role})
		}
	}
}

// rolesFromTimeline reconstructs roles from the timeline alone, for
// harnesses that tests assemble from a synthetic timeline.
func (h *Cluster) rolesFromTimeline() []checker.RoleChange {
	var out []checker.RoleChange
	role := func(s *simNode) string {
		if s.cfg.ReplicaOfHost != "" {
			return "slave"
		}
		return "master"
	}
	down := map[string]bool{}
	for _, s := range h.nodes {
		out = append(out, checker.RoleChange{At: 0, Node: s.name, Role: role(s)})
	}
	for _, ev := range h.timeline {
		switch ev.Kind {
		case EventPromote:
			for _, s := range h.nodes {
				if down[s.name] {
					continue
				}
				r := "slave"
				if s.name == ev.Node {
					r = "master"
				}
				out = append(out, checker.RoleChange{At: ev.At, Node: s.name, Role: r})
			}
		case EventCrash:
			down[ev.Node] = true
			out = append(out, checker.RoleChange{At: ev.At, Node: ev.Node, Role: "down"})
		case EventRestart:
			down[ev.Node] = false
			if s := h.Node(ev.Node); s != nil {
				out = append(out, checker.RoleChange{At: ev.At, Node: ev.Node, Role: role(s)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// persistenceOf reads a node configuration's persistence settings.
func persistenceOf(cfg node.Config) checker.Persistence {
	return checker.Persistence{AppendOnly: cfg.AppendOnly, AppendFsync: cfg.AppendFsync, SaveRules: len(cfg.Save) > 0}
}
