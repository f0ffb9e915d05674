package cluster

import (
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// Reload implements fault.Target: DEBUG RELOAD or LOADAOF (args are the command) on
// a live node, with its dataset recorded just before and just after for
// the reload check (checker.CheckReloads). An error reply is recorded and
// judged too, not returned: the save's failure is part of what is checked.
//
// The operator does not reload a node whose disk may fail or corrupt a
// read, or fail an open: Redis 7.0.15 then answers "Error trying to load the RDB dump" and
// serves on with an empty dataset (checked on redis-server), a loss of
// data outside every other check's model.
//
// A NOSAVE reload loads the file on disk as it is: the operator SAVEs
// just before (a failed SAVE skips the step), so the file is the dataset
// and the reload must leave it unchanged too. Over an older file Redis
// would lose the writes since, which no other check models. DEBUG
// LOADAOF runs only on a node whose AOF is on and settled (no rewrite in
// progress or scheduled, the last write fine) and whose disk may not fail
// writes or fsyncs: it writes the AOF buffer out and loads the AOF back,
// so the dataset must come back as it was. A LOADAOF that ends the
// process (no AOF to load) is left to the restart checks.
func (h *Cluster) Reload(name string, args ...string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	for _, inj := range s.injectors {
		switch {
		case !inj.Enabled:
		case inj.Ops.Has(disksim.OpRead):
			return fmt.Errorf("%s: its disk may fail reads (%s): no DEBUG RELOAD", name, inj.Name)
		case inj.Ops.Has(disksim.OpOpen):
			return fmt.Errorf("%s: its disk may fail opens (%s): no DEBUG RELOAD", name, inj.Name)
		}
	}
	master := s.node.Repl().Role == "master"
	before := s.node.Dataset()
	if master {
		for _, kv := range before {
			if kv.ExpireAt != 0 {
				return fmt.Errorf("%s: a master with keys that may expire: no DEBUG RELOAD", name)
			}
		}
	}
	nosave := false
	for _, a := range args[2:] {
		nosave = nosave || strings.EqualFold(a, "NOSAVE")
	}
	loadaof := len(args) >= 2 && strings.EqualFold(args[1], "LOADAOF")
	if loadaof {
		if err := h.aofSettled(s); err != nil {
			return err
		}
	}
	nev := len(h.evictions)
	if nosave {
		if err := h.execOK(name, "SAVE"); err != nil {
			return err
		}
		before = s.node.Dataset()
	}
	aofBefore := int64(-1)
	if loadaof {
		aofBefore = h.aofBytes(s)
		if aofBefore >= 0 {
			info := s.node.Info(false, map[string]bool{"persistence": true})
			_, rest, _ := strings.Cut(info, "\r\naof_buffer_length:")
			field, _, _ := strings.Cut(rest, "\r\n")
			buffered, err := strconv.ParseInt(field, 10, 64)
			if err != nil {
				aofBefore = -1
			} else {
				aofBefore += buffered
			}
		}
	}
	logsBefore := len(h.rec.logs)
	v, err := h.Exec(name, args...)
	if err != nil {
		return err
	}
	var evicted []tap.KeyValue
	for _, ev := range h.evictions[nev:] {
		if ev.node == name {
			evicted = append(evicted, tap.KeyValue{DB: ev.db, Key: ev.key})
		}
	}
	if !s.up || s.node.Down() {
		return nil // the load ended the process: the restart checks judge
	}
	reply := v.String()
	if v.Kind == resp.Error {
		reply = string(v.Str)
	}
	r := checker.Reload{At: int64(h.w.Now()), Node: name, Args: args, Master: master,
		Reply: reply, Before: before, After: s.node.Dataset(), Evicted: evicted, AOFBytesBefore: aofBefore, AOFBytesAfter: -1}
	if aofBefore >= 0 {
		r.AOFBytesAfter = h.aofBytes(s)
	}
	for _, l := range h.rec.logs[logsBefore:] {
		if l.Node == name {
			r.Logged = append(r.Logged, l)
		}
	}
	h.rec.reloads = append(h.rec.reloads, r)
	return nil
}

// aofSettled says why s cannot run DEBUG LOADAOF and expect its dataset
// back (nil if it can).
func (h *Cluster) aofSettled(s *simNode) error {
	for _, inj := range s.injectors {
		if inj.Enabled && (inj.Ops.Has(disksim.OpWrite) || inj.Ops.Has(disksim.OpSync)) {
			return fmt.Errorf("%s: its disk may fail writes (%s): no DEBUG LOADAOF", s.name, inj.Name)
		}
	}
	// A disk fault earlier in the run may have left the files and memory
	// apart for good: a read that returned a flipped bit may have put a
	// corrupted value in memory (an AOF has no checksum), which a LOADAOF
	// of the intact files changes back (seed 5518); a failed fsync may
	// have dropped the AOF's unsynced writes (disksim's
	// SyncErrorDropProbability, as a kernel drops dirty pages), which a
	// LOADAOF then loses (seed 2615432); a failed write may leave a
	// torn command. Redis would do the same, so no LOADAOF is drawn there.
	for _, f := range h.rec.disk {
		if f.Node == s.name {
			return fmt.Errorf("%s: a %s fault hit its disk at %.6fs: no DEBUG LOADAOF", s.name, f.Op, float64(f.At)/1e9)
		}
	}
	// A writable replica's own writes go to its AOF as they ran, with
	// no DEL before them for a key whose TTL had passed: a replica keeps
	// such a key (expireIfNeeded returns "expired" without deleting it
	// when masterhost is set, Redis 7.0.15 db.c), so the write saw no
	// key, while the load sees it live (keyIsExpired is false while
	// loading). The replay then diverges: SINTERSTORE k2 k6 k5 over an
	// expired string k6 answered 0 and deleted k2, and the load fails it
	// with WRONGTYPE, keeping k2, and what follows from k2 (seed 2084497).
	// Redis would do the same, so no LOADAOF is drawn on a node that was
	// ever a writable replica.
	if h.writableReplica(s.name, 0, int64(h.w.Now())+1) {
		return fmt.Errorf("%s: it was a writable replica (its own writes may have read keys past their TTL, which an AOF load sees live): no DEBUG LOADAOF", s.name)
	}
	// A FLUSHALL replayed with save points on saves the RDB file
	// (flushAllDataAndResetRDB's rdbSave) in the middle of the replay,
	// with the process's replication ID and offset of now: a later start
	// from that file (appendonly turned off) resumes that offset with the
	// replay's dataset of that moment, and a partial resync then leaves it
	// apart from its master's (seed 6086486). Redis would do the same, so
	// no LOADAOF is drawn over such an AOF.
	if len(s.node.Config().Save) > 0 && h.aofHasFlushAll(s) {
		return fmt.Errorf("%s: its AOF replays a FLUSHALL with save points on (an RDB saved mid-replay): no DEBUG LOADAOF", s.name)
	}
	info := s.node.Info(false, map[string]bool{"persistence": true})
	for _, want := range []string{"aof_enabled:1", "aof_rewrite_in_progress:0", "aof_rewrite_scheduled:0", "aof_last_write_status:ok", "aof_last_bgrewrite_status:ok"} {
		if !strings.Contains(info, "\r\n"+want+"\r\n") {
			return fmt.Errorf("%s: not %s: no DEBUG LOADAOF", s.name, want)
		}
	}
	return nil
}

// Reloads are the operator's DEBUG RELOADs, for the reload check.
func (h *Cluster) Reloads() []checker.Reload { return h.rec.reloads }

// aofHasFlushAll says whether a file s's AOF manifest names holds a
// FLUSHALL command (its name as a bulk argument, in any case).
func (h *Cluster) aofHasFlushAll(s *simNode) bool {
	dir := s.cfg.AppendDirname
	text, _ := s.fs.CurrentContent(path.Join(dir, s.cfg.AppendFilename+".manifest"))
	for _, e := range checker.ManifestEntries(string(text)) {
		b, _ := s.fs.CurrentContent(path.Join(dir, e.Name))
		if bytes.Contains(bytes.ToUpper(b), []byte("$8\r\nFLUSHALL\r\n")) {
			return true
		}
	}
	return false
}

// aofBytes is the size of every file s's AOF manifest names, as they are
// on its disk now (-1 when the manifest or a file cannot be read).
func (h *Cluster) aofBytes(s *simNode) int64 {
	dir := s.cfg.AppendDirname
	text, ok := s.fs.CurrentContent(path.Join(dir, s.cfg.AppendFilename+".manifest"))
	if !ok {
		return -1
	}
	var n int64
	for _, e := range checker.ManifestEntries(string(text)) {
		b, ok := s.fs.CurrentContent(path.Join(dir, e.Name))
		if !ok {
			return -1
		}
		n += int64(len(b))
	}
	return n
}
