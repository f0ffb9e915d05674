package cluster

import (
	"strconv"

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
	id, okID := snap.AuxValue("repl-id")
	offStr, okOff := snap.AuxValue("repl-offset")
	dbStr, okDB := snap.AuxValue("repl-stream-db")
	if !okID || len(id) != 40 || !okOff || !okDB {
		return
	}
	off, err := strconv.ParseInt(offStr, 10, 64)
	if err != nil || off == -1 {
		return
	}
	if db, err := strconv.Atoi(dbStr); err != nil || db == -1 {
		return
	}
	h.rec.rdbStarts = append(h.rec.rdbStarts, checker.RDBStart{Node: s.name, Proc: s.procs, At: int64(h.w.Now()), ReplID: id, Offset: off})
}
