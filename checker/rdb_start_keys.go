package checker

import (
	"fmt"
	"strconv"
)

// The keys a start from an RDB loads. Redis 7.0.15's rdbLoad counts every
// key of the file once, as loaded or as expired: a master skips a key
// whose expiry is already past (rdb_last_load_keys_expired, and a DEL into
// the backlog), a replica loads it all the same (its master will expire
// it). Its "Done loading RDB, keys loaded: L, keys expired: E." line ends
// the load, so L + E is the file's key count, and a replica's E is 0.

// checkRDBStartKeys judges the first "Done loading RDB" line of each
// process that started from a file the harness read (RDBStart).
func checkRDBStartKeys(in LogInput) []Violation {
	starts := rdbStartsByProcess(in.RDBStarts, func(RDBStart) bool { return true })
	done := map[process]bool{}
	var out []Violation
	for i := range in.Lines {
		l := &in.Lines[i]
		p := processOf(l)
		s, ok := starts[p]
		if !ok || done[p] || l.Format != logRDBLoaded || len(l.Args) != 2 {
			continue
		}
		done[p] = true
		loaded, err1 := strconv.Atoi(l.Args[0])
		expired, err2 := strconv.Atoi(l.Args[1])
		switch {
		case err1 != nil || err2 != nil:
			continue
		case loaded+expired != s.Keys:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d) started from an RDB holding %d keys and logged %q: Redis's rdbLoad counts each key of the file once, as loaded or as expired", l.Node, l.Gen, s.Keys, l.Msg)})
		case s.Replica && expired != 0:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d) started as a replica and logged %q: a replica loads keys whose expiry is past (rdbLoad skips them only on a master; the master's DEL expires them)", l.Node, l.Gen, l.Msg)})
		}
	}
	return out
}
