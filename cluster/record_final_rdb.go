package cluster

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
