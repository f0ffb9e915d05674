package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// backlogHeld checks a master's "for lack of backlog" refusals against
// what its backlog must hold. syncCommand logs "Replication backlog
// created" when it creates the backlog for its first replica, at offset
// C (the backlog's first byte is C+1). Redis 7.0 trims the backlog only
// while it holds more than repl-backlog-size and never below it
// (incrementalTrimReplicationBacklog), so at master_repl_offset M it
// holds at least the last min(S, M-C) bytes, where S is the smallest
// repl-backlog-size in force since the creation. A request for offset R
// with C+1 <= R, M-S+1 <= R and R <= M+1 is one masterTryPartialResynchronization
// accepts; the refusal line comes only after the replication ID matched.
// The rule follows a backlog only while the process stays a master with
// it: a line about a master link or REPLICAOF, or the backlog's freeing,
// ends it (a replica's backlog is made anew, silently, at a full sync).
func backlogHeld(lines []LogLine, settings []SettingsChange) []Violation {
	type created struct {
		line     LogLine
		settings int // in.Settings index of the first change after the line
	}
	live := map[process]created{}
	var out []Violation
	for i := range lines {
		l := lines[i]
		k := processOf(&l)
		switch {
		case l.Format == logBacklogCreated:
			live[k] = created{line: l, settings: l.Settings}
		case l.Format == logBacklogFreed || endsMasterBacklog(l.Format):
			delete(live, k)
		case l.Format == logNoBacklog:
			c, ok := live[k]
			if !ok || len(l.Args) < 2 {
				continue
			}
			req, err := strconv.ParseInt(l.Args[1], 10, 64)
			if err != nil {
				continue
			}
			size := smallestBacklogSize(settings, l.Node, c.settings, l.Settings)
			if size <= 0 {
				continue
			}
			first := max(c.line.ReplOffset+1, l.ReplOffset-size+1)
			if req >= first && req <= l.ReplOffset+1 {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q at master_repl_offset %d, but its backlog, created at offset %d (%q) with repl-backlog-size at least %d since, holds offsets %d to %d: Redis never trims it below repl-backlog-size, so it accepts that request",
						l.Node, l.Gen, l.Msg, l.ReplOffset, c.line.ReplOffset, c.line.Msg, size, first, l.ReplOffset)})
			}
		}
	}
	return out
}

// endsMasterBacklog reports whether a line with this format marks a
// change after which a master's logged backlog is no longer known: the
// process turns replica (REPLICAOF, a master link).
func endsMasterBacklog(format string) bool {
	return strings.Contains(format, "MASTER") || strings.Contains(format, "REPLICAOF") ||
		strings.Contains(format, "SLAVEOF") || strings.Contains(format, "turning into a replica")
}

// smallestBacklogSize is the smallest repl-backlog-size node had from
// the change in force before settings index from to the last change
// before index to; 0 if none is known.
func smallestBacklogSize(settings []SettingsChange, node string, from, to int) int64 {
	var size int64
	take := func(c SettingsChange) {
		if c.Down || c.ReplBacklogSize <= 0 {
			return
		}
		if size == 0 || c.ReplBacklogSize < size {
			size = c.ReplBacklogSize
		}
	}
	for i := min(from, len(settings)) - 1; i >= 0; i-- {
		if settings[i].Node == node {
			take(settings[i])
			break
		}
	}
	for i := from; i < to && i < len(settings); i++ {
		if settings[i].Node == node {
			take(settings[i])
		}
	}
	return size
}
