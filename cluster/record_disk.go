package cluster

import (
	"errors"
	"path"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
)

// watchDisk records every failed write, rename, fsync (of a file or a
// directory), create, open, remove or mkdir, and every bit flip on a
// read, that an injector causes on
// s's disk, for the durability and liveness checks. It must be called
// whenever s gets a new disk.
func (h *Cluster) watchDisk(s *simNode) {
	name := s.name
	s.fs.OnFault = func(op disksim.Op, path, fault string) {
		var kind string
		switch op {
		case disksim.OpWrite:
			kind = "write"
		case disksim.OpSync:
			kind = "sync"
		case disksim.OpSyncDir:
			kind = "syncdir"
		case disksim.OpRename:
			kind = "rename"
		case disksim.OpRead:
			// A flipped bit, or a read that failed (disk_aof_error).
			kind = "bitflip"
			if fault != disksim.KindBitFlip {
				kind = "read"
			}
		case disksim.OpCreate, disksim.OpOpen, disksim.OpRemove, disksim.OpMkdir:
			kind = op.String()
		default:
			return
		}
		f := checker.DiskFault{At: int64(h.w.Now()), Seq: h.rec.next(), Node: name, Op: kind, Path: path}
		if kind == "bitflip" {
			f.FlipOffset, f.FlipSize, f.RDBAuxEnd = s.fs.LastFlip.Offset, s.fs.LastFlip.Size, -1
			if data, ok := s.fs.CurrentContent(path); ok && strings.HasSuffix(path, ".rdb") {
				f.RDBAuxEnd = checker.RDBAuxEnd(data)
			}
		}
		if kind == "write" {
			w := s.fs.LastFailedWrite
			f.Stored, f.Size, f.Errno = int64(w.Stored), int64(w.Size), errnoName(w.Err)
		}
		h.rec.disk = append(h.rec.disk, f)
	}
	s.fs.OnRename = func(from, to string) {
		if to == cleanName(s.cfg.DBFilename) {
			h.rec.rdbInstalls = append(h.rec.rdbInstalls, checker.RDBInstall{At: int64(h.w.Now()), Node: name, From: from, To: to, Held: s.paused})
		}
		if from == cleanName(s.cfg.AppendFilename) && to == cleanName(s.cfg.AppendDirname+"/"+s.cfg.AppendFilename) {
			h.rec.aofMoves = append(h.rec.aofMoves, checker.AOFMove{At: int64(h.w.Now()), Node: name})
		}
	}
	s.fs.TornCut = h.tornInsideMulti
	s.fs.OnWrite = func(path string) {
		if checker.IsIncrAOF(path) {
			s.aofWrittenPath, s.aofWrittenAt = path, h.w.Now()
		}
	}
	s.fs.OnSync = func(path string, changed bool) {
		if checker.IsIncrAOF(path) {
			h.rec.aofSyncs = append(h.rec.aofSyncs, checker.FileSync{At: int64(h.w.Now()), Node: name, Path: path, Unchanged: !changed,
				Written: s.aofWrittenPath == path && s.aofWrittenAt == h.w.Now()})
		}
	}
}

// cleanName is a file name as disksim cleans it (OnRename's paths).
func cleanName(name string) string { return strings.TrimPrefix(path.Clean("/"+name), "/") }

// RDBInstalls is every rename onto a node's dbfilename, for
// checker.CheckRDBInstalls.
func (h *Cluster) RDBInstalls() []checker.RDBInstall { return h.rec.rdbInstalls }

// AOFMoves is every move of a node's old single-file AOF into its AOF
// directory, for checker.CheckAOFUpgradeLines.
func (h *Cluster) AOFMoves() []checker.AOFMove { return h.rec.aofMoves }

// errnoName names the errno a simulated disk error stands for.
func errnoName(err error) string {
	switch {
	case errors.Is(err, vfs.ErrNoSpace):
		return "ENOSPC"
	case errors.Is(err, vfs.ErrIO):
		return "EIO"
	case errors.Is(err, vfs.ErrNotExist):
		return "ENOENT"
	}
	return ""
}

// AOFFsyncInput is what checker.CheckAOFFsyncs reads.
func (h *Cluster) AOFFsyncInput() checker.AOFFsyncInput {
	return checker.AOFFsyncInput{Syncs: h.rec.aofSyncs, Faults: h.rec.disk, Settings: h.rec.settings, Lines: h.rec.logs, Crons: h.rec.crons}
}
