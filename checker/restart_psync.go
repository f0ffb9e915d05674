package checker

import (
	"fmt"
	"strconv"
)

// A replica restarted from an RDB that holds its replication history
// resumes it: Redis 7.0.15's loadDataFromDisk, for a replica, takes the
// file's repl-id and repl-offset as its own and makes a cached master of
// them (replicationCacheMasterUsingMyself), so the process's first sync
// attempt offers "PSYNC <repl-id> <repl-offset+1>" and logs "Trying a
// partial resynchronization (request <repl-id>:<repl-offset+1>)." A
// REPLICAOF before that attempt (NO ONE discards the cached master) ends
// the judging.

// RDBStart is the RDB a process started from (the AOF off): how many keys
// it holds, whether the process started as a replica, and the replication
// history it holds, valid as loadDataFromDisk requires (ReplID "" when
// not).
type RDBStart struct {
	Node    string
	Proc    int // the LogLine.Proc of the process's lines
	At      int64
	Keys    int
	Replica bool
	ReplID  string
	Offset  int64
}

// rdbStartsByProcess indexes the starts keep takes by their process.
func rdbStartsByProcess(starts []RDBStart, keep func(RDBStart) bool) map[process]RDBStart {
	out := map[process]RDBStart{}
	for _, s := range starts {
		if keep(s) {
			out[process{s.Node, s.Proc}] = s
		}
	}
	return out
}

// checkRestartPsync judges each recorded start's first PSYNC offer.
func checkRestartPsync(in LogInput) []Violation {
	if len(in.RDBStarts) == 0 {
		return nil
	}
	starts := rdbStartsByProcess(in.RDBStarts, func(s RDBStart) bool { return s.Replica && s.ReplID != "" })
	done := map[process]bool{}
	var out []Violation
	for _, l := range in.Lines {
		p := processOf(&l)
		s, ok := starts[p]
		if !ok || done[p] {
			continue
		}
		switch l.Format {
		case logMasterMode, logReplicaOfOn:
			done[p] = true
		case logNoCached, logTryPartial:
			done[p] = true
			want := fmt.Sprintf(logTryPartial, s.ReplID, s.Offset+1)
			if l.Msg != want {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d) started from an RDB holding replication ID %s at offset %s, then logged %q first, where Redis offers that history: %q (loadDataFromDisk makes a cached master of it)",
						l.Node, l.Gen, s.ReplID, strconv.FormatInt(s.Offset, 10), l.Msg, want)})
			}
		}
	}
	return out
}
