package cluster

import "github.com/replsim/replsim/checker"

// refusedAOFCommand is a command Redis 7.0.15 refuses whatever the
// dataset holds (SET with an expire of 0: "invalid expire time in 'set'
// command"), on a key outside the workload's.
const refusedAOFCommand = "*5\r\n$3\r\nSET\r\n$15\r\nreplsim:refused\r\n$1\r\nx\r\n$2\r\nEX\r\n$1\r\n0\r\n"

// plantRefusedCommand sometimes (a tenth of the restarts of a node with
// appendonly yes whose last incr file ends after a whole command) appends
// refusedAOFCommand to that file, as a hand edit or another writer might,
// and notes it (EventAOFRefusedCommand). It changes no data: Redis loads
// the file, logs the error its AOF client got and goes on
// (checker.CheckAOFLoadErrors).
func (h *Cluster) plantRefusedCommand(s *simNode) {
	if !s.cfg.AppendOnly || !h.w.Rand("restart/aof-refused-command").Chance(0.1) {
		return
	}
	s.fs.WithoutInjectors(func() { h.writeRefusedCommand(s) })
}

// writeRefusedCommand appends refusedAOFCommand to s's last incr file if
// it ends after a whole command. Run it without s's injectors.
func (h *Cluster) writeRefusedCommand(s *simNode) {
	last, name, ok := lastIncr(s)
	if !ok {
		return
	}
	if data, ok := s.fs.CurrentContent(last); !ok || !checker.AOFEndsWhole(data) {
		return
	}
	f, err := s.fs.OpenAppend(last)
	if err != nil {
		return
	}
	_, werr := f.Write([]byte(refusedAOFCommand))
	serr := f.Sync()
	if f.Close() != nil || werr != nil || serr != nil {
		return
	}
	h.Note(EventAOFRefusedCommand, s.name, name)
}
