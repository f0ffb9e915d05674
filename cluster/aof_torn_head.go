package cluster

// firstAOFCommand is what a process writes first to an incr file: Redis
// starts with aof_selected_db at -1, so feedAppendOnlyFile opens with a
// SELECT (of db 0 here; only its prefix is kept).
const firstAOFCommand = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"

// openMultiHead is a transaction left open at the head of a file, as a
// hand edit might leave it (Redis itself writes a SELECT first): a MULTI
// and a whole command, no EXEC. Redis 7.0.15 logs "Revert incomplete
// MULTI/EXEC transaction" and, with aof-load-truncated yes, truncates the
// file at offset 0 (valid_before_multi).
const openMultiHead = "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"

// plantTornHead sometimes (a quarter of the restarts of a node with
// appendonly yes whose last incr file is empty) leaves a proper prefix of
// firstAOFCommand in that file, as a power loss during the process's
// first AOF write leaves it (or, a quarter of the time, openMultiHead),
// and notes it (EventAOFTornHead). No write was
// acknowledged from it, so nothing is lost; Redis 7.0.15 reads the file to
// its end inside the command and, with aof-load-truncated yes, logs the
// short read and truncates it at offset 0 (loadSingleAppendOnlyFile's
// valid_up_to): checker.CheckAOFTails judges it.
func (h *Cluster) plantTornHead(s *simNode) {
	if !s.cfg.AppendOnly || !h.w.Rand("restart/aof-torn-head").Chance(0.25) {
		return
	}
	s.fs.WithoutInjectors(func() { h.writeTornHead(s) })
}

// writeTornHead writes the torn SELECT or the open MULTI into s's last
// incr file if it is empty. Run it without s's injectors.
func (h *Cluster) writeTornHead(s *simNode) {
	last, name, ok := lastIncr(s)
	if !ok {
		return
	}
	if data, ok := s.fs.CurrentContent(last); !ok || len(data) > 0 {
		return
	}
	head := openMultiHead
	if !h.w.Rand("restart/aof-torn-head-multi").Chance(0.25) {
		n := 1 + h.w.Rand("restart/aof-torn-head-len").IntN(len(firstAOFCommand)-1)
		head = firstAOFCommand[:n]
	}
	if writeSynced(s.fs, last, []byte(head)) != nil {
		return
	}
	h.Note(EventAOFTornHead, s.name, name)
}
