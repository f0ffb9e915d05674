package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/rdb"
)

// recordRDBStart notes, for a node about to start from its RDB (the AOF
// off), how many keys the file holds and, when the file holds its
// replication history as Redis 7.0.15's loadDataFromDisk requires (repl-id
// of 40 bytes, repl-offset and repl-stream-db not -1), that history: a
// replica makes a cached master of it, so its first PSYNC offers it.
func (h *Cluster) recordRDBStart(s *simNode) {
	if s.cfg.AppendOnly || s.damage != nil {
		return
	}
	data, ok := s.fs.CurrentContent(s.cfg.DBFilename)
	if !ok {
		return
	}
	snap, err := rdb.Parse(data)
	if err != nil {
		return // the load fails, or reads what this cannot: not judged
	}
	start := checker.RDBStart{Node: s.name, Proc: s.procs, At: int64(h.w.Now()), Replica: s.cfg.ReplicaOfHost != ""}
	for _, db := range snap.DBs {
		start.Keys += len(db.Entries)
	}
	if id, off, _, ok := snap.ReplInfo(); ok {
		start.ReplID, start.Offset = id, off
	}
	h.rec.rdbStarts = append(h.rec.rdbStarts, start)
}
