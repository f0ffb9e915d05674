package checker

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// offsetAheadWarned checks the warning that follows a refused partial
// resync: Redis's masterTryPartialResynchronization logs "Unable to
// partial resync ... for lack of backlog (Replica request was: %d)." and,
// right after it, the "tried to PSYNC with an offset that is greater than
// the master replication offset" warning exactly when the request is
// beyond master_repl_offset (psync_offset > server.master_repl_offset).
func offsetAheadWarned(lines []LogLine) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	pending := map[genKey]LogLine{}
	var out []Violation
	judge := func(refused LogLine, warned bool) {
		if len(refused.Args) < 2 {
			return
		}
		req, err := strconv.ParseInt(refused.Args[1], 10, 64)
		if err != nil {
			return
		}
		if ahead := req > refused.ReplOffset; ahead != warned {
			what := "no warning after it"
			if warned {
				what = "the warning after it"
			}
			out = append(out, Violation{Check: "node_log", At: refused.At, Nodes: []string{refused.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q with master_repl_offset %d, and %s (%q): Redis warns exactly when the request is beyond its offset",
					refused.Node, refused.Gen, refused.Msg, refused.ReplOffset, what, logOffsetAhead)})
		}
	}
	for _, l := range lines {
		k := genKey{l.Node, l.Gen}
		if p, ok := pending[k]; ok {
			judge(p, l.Format == logOffsetAhead)
			delete(pending, k)
		}
		if l.Format == logNoBacklog {
			pending[k] = l
		}
	}
	left := slices.SortedFunc(maps.Values(pending), func(a, b LogLine) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Node, b.Node), cmp.Compare(a.Gen, b.Gen))
	})
	for _, p := range left {
		judge(p, false)
	}
	return out
}
