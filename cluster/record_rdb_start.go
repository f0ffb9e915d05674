package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/rdb"
)

// recordRDBStart notes, for a replica about to start from its RDB (the AOF
// off), the replication history the file holds: Redis 7.0.15's
// loadDataFromDisk makes a replica's cached master of it (repl-id of 40
// bytes, repl-offset and repl-stream-db not -1), so its first PSYNC offers
// that history.
func (h *Cluster) recordRDBStart(s *simNode) {
	if s.cfg.AppendOnly || s.cfg.ReplicaOfHost == "" || s.damage != nil {
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
	id, off, _, ok := snap.ReplInfo()
	if !ok {
		return
	}
	h.rec.rdbStarts = append(h.rec.rdbStarts, checker.RDBStart{Node: s.name, Proc: s.procs, At: int64(h.w.Now()), ReplID: id, Offset: off})
}
