package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// logAOFMigrated is aofUpgradePrepare's line: the old single-file AOF
// became base 1 of a multi-part AOF.
const logAOFMigrated = "Successfully migrated an old-style AOF file (%s) into the AOF directory (%s)."

// baseSeqsFollow checks the sequence numbers of a process's new AOF base
// files. The manifest in memory counts its bases (curr_base_file_seq):
// creating one at start names it, an old-style AOF's migration makes it
// 1, and a rewrite's done handler names the next base seq+1 in a copy of
// the manifest that replaces the original only when the rewrite finishes
// ("Background AOF rewrite finished successfully"); a failed one leaves
// the count as it was. So once the log gives the count, each base a
// rewrite renames into place is the next number. A process that loaded
// an existing manifest gives no count until its first base.
func baseSeqsFollow(lines []LogLine) []Violation {
	type state struct {
		known   bool
		seq     int64 // the manifest's base seq
		renamed int64 // the seq of the base the running rewrite renamed, -1 for none
		why     string
	}
	states := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		s := stateOf(states, processOf(l), func() *state { return &state{renamed: -1} })
		switch l.Format {
		case logAOFMigrated:
			s.known, s.seq, s.why = true, 1, fmt.Sprintf("%q made it 1", l.Msg)
		case logAOFBaseAtStart:
			if seq, ok := baseSeqOf(argAt(*l, 0)); ok {
				s.known, s.seq, s.why = true, seq, fmt.Sprintf("%q", l.Msg)
			}
		case logRWRenamedBase:
			seq, ok := baseSeqOf(argAt(*l, 1))
			if !ok {
				continue
			}
			s.renamed = seq
			if s.known && seq != s.seq+1 {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q names base %d, but the manifest's base was %d (%s): a rewrite names the next base, seq+1 (aof.c getNewBaseFileNameAndMarkPreAsHistory)",
						l.Node, l.Gen, l.Msg, seq, s.seq, s.why)})
			}
		case logRewriteOK:
			if s.renamed >= 0 {
				s.known, s.seq, s.why = true, s.renamed, "the last rewrite that finished"
			}
			s.renamed = -1
		}
		if rewriteEndsFailed(l) {
			s.renamed = -1
		}
	}
	return out
}

// rewriteEndsFailed reports whether l is a rewrite done handler's failure.
func rewriteEndsFailed(l *LogLine) bool {
	for _, p := range rewriteDoneFailures {
		if strings.HasPrefix(l.Msg, p) {
			return true
		}
	}
	return false
}

// baseSeqOf reads N from a base file's name, PREFIX.N.base.rdb or
// PREFIX.N.base.aof.
func baseSeqOf(name string) (int64, bool) {
	for _, ext := range []string{".base.rdb", ".base.aof"} {
		if rest, ok := strings.CutSuffix(name, ext); ok {
			i := strings.LastIndexByte(rest, '.')
			if i < 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(rest[i+1:], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
