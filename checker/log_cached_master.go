package checker

import (
	"fmt"
	"strings"
)

// logSynthCached starts the line of REPLICAOF on a master: it makes its
// own history a cached master (replicationCacheMasterUsingMyself).
const logSynthCached = "Before turning into a replica, using my own master parameters to synthesize a cached master"

// cachedMasterDiscarded checks that REPLICAOF NO ONE drops a cached
// master with its line: Redis's replicationUnsetMaster calls
// replicationDiscardCachedMaster, which logs "Discarding previously cached
// master state." whenever a cached master exists, before replicaofCommand
// logs "MASTER MODE enabled". A cached master exists, by the log, from
// "Caching the disconnected master state." or the synthesized one of a
// master turned replica, until it is discarded or a partial resync makes
// it the master again.
func cachedMasterDiscarded(lines []LogLine) []Violation {
	cached := map[incarnation]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := incarnationOf(&l)
		switch {
		case l.Msg == logCachingMaster || strings.HasPrefix(l.Msg, logSynthCached):
			cached[k] = l
		case l.Msg == logDiscardCached || l.Msg == logPartialSuccess:
			delete(cached, k)
		case l.Format == logMasterMode:
			if c, ok := cached[k]; ok {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q with a cached master (%q at %s) and no %q before it: replicationUnsetMaster discards a cached master with that line",
						l.Node, l.Gen, l.Msg, c.Msg, seconds(c.At), logDiscardCached)})
				delete(cached, k)
			}
		}
	}
	return out
}

// masterTurnedReplicaSynthesizes checks the other side: REPLICAOF on a
// master (replicationSetMaster with was_master) logs logSynthCached
// (replicationCacheMasterUsingMyself, unconditionally) in the instant of
// its "REPLICAOF %s:%d enabled" line, before it. The role before comes
// from the lines of the process earlier in that instant, else from the
// settings in force before it.
func masterTurnedReplicaSynthesizes(lines []LogLine, settings []SettingsChange) []Violation {
	setLog := newSettingsLog(settings)
	type state struct {
		synthAt          int64 // the instant of the last synthesize line, -1 none
		roleAt           int64 // the instant of the last role line, -1 none
		replicaAfterRole bool  // that line made the process a replica
	}
	states := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		s := stateOf(states, processOf(l), func() *state { return &state{synthAt: -1, roleAt: -1} })
		switch {
		case strings.HasPrefix(l.Msg, logSynthCached):
			s.synthAt = l.At
		case l.Format == logMasterMode:
			s.roleAt, s.replicaAfterRole = l.At, false
		case l.Format == logReplicaOfOn:
			wasMaster := false
			if s.roleAt == l.At {
				wasMaster = !s.replicaAfterRole
			} else {
				cs := setLog[l.Node]
				if j := inForce(cs, l.At-1); j >= 0 && !cs[j].Down {
					wasMaster = !cs[j].Replica
				}
			}
			if wasMaster && s.synthAt != l.At {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q on a master, with no %q... before it: replicationSetMaster makes a master's own history a cached master with that line",
						l.Node, l.Gen, l.Msg, logSynthCached)})
			}
			s.roleAt, s.replicaAfterRole, s.synthAt = l.At, true, -1
		}
	}
	return out
}
