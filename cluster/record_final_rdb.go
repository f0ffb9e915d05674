package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/rdb"
)

// The lines prepareForShutdown logs around the final RDB save (Redis
// 7.0.15's texts).
const (
	logFinalRDB = "Saving the final RDB snapshot before exiting."
	logRDBSaved = "DB saved on disk"
)

// finalRDBSaved reports whether s's process, exiting by SHUTDOWN now,
// saved its final RDB: its last lines of this instant say so.
func (s *simNode) finalRDBSaved() bool {
	now := int64(s.h.w.Now())
	saving := false
	for _, l := range s.h.rec.logs {
		if l.Node != s.name || l.Proc != s.procs || l.At != now {
			continue
		}
		switch l.Format {
		case logFinalRDB:
			saving = true
		case logRDBSaved:
			if saving {
				return true
			}
		}
	}
	return false
}

// recordFinalRDBRepl notes, for a node whose SHUTDOWN saved its final
// RDB, the replication state it exited with and the replication AUX
// fields of the file it wrote (checker.CheckFinalRDBRepl).
func (s *simNode) recordFinalRDBRepl() {
	st := s.node.Repl()
	if s.damage != nil {
		return
	}
	data, ok := s.fs.CurrentContent(s.cfg.DBFilename)
	if !ok {
		return
	}
	snap, err := rdb.Parse(data)
	if err != nil {
		return
	}
	f := checker.FinalRDBRepl{Node: s.name, At: int64(s.h.w.Now()), Replica: st.Role != "master", Backlog: st.Backlog,
		CachedMaster: st.CachedMaster, ReplID: st.ReplID, Offset: st.Offset}
	f.FileReplID, f.FileOffset, _, f.FileHasRepl = snap.ReplInfo()
	s.h.rec.finalRDBRepls = append(s.h.rec.finalRDBRepls, f)
}
