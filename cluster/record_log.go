package cluster

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// recordLog keeps line format (with args) that node s logged, for
// checker.CheckNodeLog.
func (s *simNode) recordLog(format string, args []any) {
	l := checker.LogLine{Node: s.name, Gen: s.gen, Proc: s.procs, At: int64(s.h.w.Now()), Seq: s.h.rec.next(), ClockMs: s.Now() / 1e6,
		Settings: len(s.h.rec.settings), Call: s.calls, Format: format, Msg: fmt.Sprintf(format, args...)}
	if s.node != nil {
		cfg := s.node.Config()
		l.ReplTimeoutMs = int64(cfg.ReplTimeoutSec) * 1000
		l.StatResets = s.node.StatResets()
		l.DisklessSync = cfg.ReplDisklessSync
		l.DisklessDelaySec = cfg.ReplDisklessSyncDelay
		l.DisklessMaxReplicas = cfg.ReplDisklessSyncMaxReplicas
		l.ReplOffset = s.node.ReplOffset()
	}
	if len(args) > 0 {
		l.Args = make([]string, len(args))
		for i, a := range args {
			l.Args[i] = fmt.Sprint(a)
		}
	}
	s.h.rec.logs = append(s.h.rec.logs, l)
	s.lastMsg = l.Msg
	s.noteReplicaLinks(&l) // record_shutdown.go
	s.noteRewriteEnd(&l)
	s.noteIncrFile(&l)
	s.noteLoadEncodings(&l) // record_load_encoding.go
	s.noteSaved(&l)         // record_saved.go
	s.noteMasterTimeout(&l) // record_master_read.go
	if l.Format == logReplicaLost && s.node != nil {
		s.h.rec.replicaLosses = append(s.h.rec.replicaLosses, checker.ReplicaLoss{Node: s.name, At: l.At, Msg: l.Msg, Left: s.node.Repl().Replicas})
	}
}

// logReplicaLost is freeClient's line for a replica it frees.
const logReplicaLost = "Connection with replica %s lost."

// LogInput is every node's log and its state at the end of the run, for
// checker.CheckNodeLog.
func (h *Cluster) LogInput() checker.LogInput {
	in := checker.LogInput{Lines: h.rec.logs, Expects: h.rec.expects, Exits: h.rec.logExits, Ports: map[string]int{},
		Settings: h.rec.settings, DiskFaults: h.rec.disk, Clocks: h.nodeClocks(), LocalWritesFrom: math.MaxInt64,
		AOFStarts: h.rec.aofStarts, RDBStarts: h.rec.rdbStarts, MasterReads: h.rec.masterReads}
	for _, op := range h.localWrites() {
		in.LocalWritesFrom = min(in.LocalWritesFrom, op.Call)
	}
	if p := h.replClient; p != nil {
		in.ClientPorts = map[string]int{p.name: p.listenFor}
	}
	for _, s := range h.nodes {
		in.Ports[s.name] = s.port
		e := checker.LogEnd{Node: s.name, Gen: s.gen, Up: s.up && !s.exiting && !s.node.Down(),
			ClockMs: s.Now() / 1e6, ShutdownTimeoutMs: s.cfg.ShutdownTimeoutSec * 1000}
		if e.Up {
			e.Replicas = s.node.Repl().Replicas
			info := s.node.Info(false, map[string]bool{"persistence": true})
			e.AOFWriteOK = strings.Contains(info, "aof_last_write_status:ok\r\n")
		}
		in.Ends = append(in.Ends, e)
	}
	return in
}

// expectLog records that node s must have logged a line of format now,
// for an event the cluster saw it handle.
func (s *simNode) expectLog(format string) {
	s.h.rec.expects = append(s.h.rec.expects, checker.LogExpect{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()), Format: format})
}

// Manifests are the AOF manifests on the running nodes' disks (as they
// are, without injected faults), for checker.CheckManifests.
func (h *Cluster) Manifests() []checker.ManifestFile {
	var out []checker.ManifestFile
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		cfg := s.node.Config()
		if !cfg.AppendOnly {
			continue
		}
		p := path.Join(cfg.AppendDirname, cfg.AppendFilename+".manifest")
		text, ok := s.fs.CurrentContent(p)
		if !ok {
			continue
		}
		f := checker.ManifestFile{Node: s.name, Path: p, Text: string(text), Bases: map[string]string{}, Sizes: map[string]int64{},
			Info: s.node.Info(false, map[string]bool{"persistence": true}), SizeUnknown: h.loadTruncated(s) || h.aofSyncFailed(s),
			Waiting: checker.AOFWaiting(h.rec.logs, s.name)}
		for _, c := range h.rec.settings {
			f.Timestamps = f.Timestamps || c.Node == s.name && c.AOFTimestamps
		}
		f.Timestamps = f.Timestamps || cfg.AofTimestampEnabled
		f.TimestampsAlways = cfg.AofTimestampEnabled
		for _, c := range h.rec.settings {
			if c.Node == s.name && c.At >= int64(s.startedAt) && !c.AOFTimestamps {
				f.TimestampsAlways = false
			}
		}
		f.AutoGCOff = cfg.AofDisableAutoGC
		f.DiskFaulted = h.aofDirFaulted(s, cfg.AppendDirname)
		f.Unlisted, f.DirFaultAny = h.unlistedAOFFiles(s, f.Text)
		fromNothing := h.startedWithoutAOF(s)
		for _, e := range checker.ManifestEntries(f.Text) {
			if e.Type == "i" && fromNothing {
				f.IncrLeftover += int64(s.aofLoaded[e.Name])
			}
			if e.Type == "b" && h.removeFailed(s, path.Join(cfg.AppendDirname, e.Name)) {
				f.BaseUnlinkFailed = true
			}
			if b, ok := s.fs.CurrentContent(path.Join(cfg.AppendDirname, e.Name)); ok {
				f.Sizes[e.Name] = int64(len(b))
				if e.Type == "i" {
					f.LastIncr, f.LastIncrOwn = e.Name, nil
					f.OwnFromStart = s.incrAtStart != "" && e.Name == s.incrAtStart
					if from := s.aofLoaded[e.Name]; from <= len(b) {
						f.LastIncrOwn = b[from:]
					}
				}
				if e.Type == "b" && strings.HasSuffix(e.Name, ".rdb") {
					f.Bases[e.Name] = string(b)
				}
				if e.Type == "b" && strings.HasSuffix(e.Name, ".base.aof") { // a rewrite's, not an old-style AOF migrated as base
					if f.CommandBases == nil {
						f.CommandBases = map[string]string{}
					}
					f.CommandBases[e.Name] = string(b)
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// startedWithoutAOF reports whether node s's current process found no AOF
// and made one (aofOpenIfNeededOnServerStart's "Creating AOF base file ...
// on server start").
func (h *Cluster) startedWithoutAOF(s *simNode) bool {
	for _, l := range h.rec.logs {
		if l.Node == s.name && l.Gen == s.gen && l.Format == "Creating AOF base file %s on server start" {
			return true
		}
	}
	return false
}

// loadTruncated reports whether node s, in its current process, loaded an
// AOF whose truncated tail it cut: Redis then counts the bytes cut in
// aof_current_size (checker.CheckAOFSizes).
func (h *Cluster) loadTruncated(s *simNode) bool {
	for i := len(h.rec.logs) - 1; i >= 0; i-- {
		l := &h.rec.logs[i]
		if l.Node == s.name && l.Gen == s.gen && l.Format == checker.LogLoadTruncated {
			return true
		}
	}
	return false
}

// removeFailed reports whether node s's disk failed a removal of file p
// in its current process.
func (h *Cluster) removeFailed(s *simNode, p string) bool {
	for _, f := range h.rec.disk {
		if f.Node == s.name && f.Op == "remove" && f.Path == p && sim.Time(f.At) >= s.startedAt {
			return true
		}
	}
	return false
}

// aofSyncFailed reports whether an fsync of one of node s's incr AOF
// files failed in its current process: the simulated disk then drops the
// unsynced pages (fsyncgate), which no byte count of Redis's follows.
func (h *Cluster) aofSyncFailed(s *simNode) bool {
	for _, f := range h.rec.disk {
		if f.Node == s.name && f.Op == "sync" && int64(s.stoppedAt) <= f.At && checker.IsIncrAOF(f.Path) {
			return true
		}
	}
	return false
}

// InfoCountersInput is every node's log and the running nodes' INFO stats
// and persistence, for checker.CheckInfoCounters.
func (h *Cluster) InfoCountersInput() checker.InfoCountersInput {
	in := checker.InfoCountersInput{Lines: h.rec.logs, Replies: h.rec.childReplies, Crons: h.rec.crons}
	for _, ops := range [][]checker.Op{h.masterOps, h.replicaOps} {
		for i := range ops {
			if ops[i].Quiet == "REWRITE" {
				in.QuietRewrites = append(in.QuietRewrites, checker.NodeCall{Node: ops[i].Node, Call: int64(ops[i].Call), Return: int64(ops[i].Return)})
			}
		}
	}
	sort.Slice(in.QuietRewrites, func(i, j int) bool { return in.QuietRewrites[i].Call < in.QuietRewrites[j].Call })
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		in.Nodes = append(in.Nodes, checker.InfoCountersNode{Node: s.name, Gen: s.gen, Proc: s.procs, StartClockMs: s.startClockMs,
			StatResets: s.node.StatResets(),
			Info:       s.node.Info(false, map[string]bool{"stats": true, "persistence": true})})
	}
	return in
}

// aofDirFaulted says s's disk failed an operation that changes its AOF
// directory (a failed read or a flipped bit changes no file) since its
// process started.
func (h *Cluster) aofDirFaulted(s *simNode, dir string) bool {
	for _, d := range h.rec.disk {
		inDir := d.Path == dir || strings.HasPrefix(d.Path, dir+"/")
		if d.Node == s.name && sim.Time(d.At) >= s.startedAt && inDir && d.Op != "read" && d.Op != "bitflip" {
			return true
		}
	}
	return false
}
