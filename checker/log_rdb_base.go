package checker

import (
	"fmt"
	"strings"
)

// Lines of an AOF's base RDB being loaded (Redis 7.0.15: aof.c
// loadSingleAppendOnlyFile announces it, rdb.c rdbLoadRio logs the AUX
// field aof-base when it is non-zero, and its "Done loading RDB" ends it).
const (
	logReadingBase = "Reading RDB base file on AOF loading..."
	// logReadingPreamble announces the same for a file named as the AOF
	// of Redis before 7.0 (appendonly.aof, which an upgrade keeps as the
	// base's name): a rewrite's base renamed so logs it too.
	logReadingPreamble = "Reading RDB preamble from AOF file..."
	logRDBIsBase       = "RDB is base AOF"
	logDoneLoading     = "Done loading RDB, keys loaded: "
)

// checkRDBIsBase flags "RDB is base AOF" outside the load of an AOF's
// base: only rewriteAppendOnlyFile's RDB sets the aof-base AUX field; a
// dump.rdb, a full sync's payload and DEBUG RELOAD's file carry it as 0.
// rdbLoadRio logs the AUX fields as it reads them, before it checks the
// file's checksum, so a flipped bit may write it: only a load that ends
// well ("Done loading RDB") is judged.
func checkRDBIsBase(lines []LogLine) []Violation {
	inBase := map[incarnation]bool{}
	suspect := map[incarnation]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		switch {
		case l.Msg == logReadingBase || l.Msg == logReadingPreamble:
			inBase[k] = true
		case l.Format == logRDBVersion:
			suspect[k] = nil // a new load
		case l.Msg == logRDBIsBase && !inBase[k]:
			suspect[k] = l
		case strings.HasPrefix(l.Msg, logDoneLoading):
			if s := suspect[k]; s != nil {
				out = append(out, Violation{Check: "node_log", At: s.At, Nodes: []string{s.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q in a load that ended well outside the load of an AOF's base file (after %q): only an AOF rewrite's RDB has a non-zero aof-base AUX field",
						s.Node, s.Gen, s.Msg, logReadingBase)})
			}
			inBase[k], suspect[k] = false, nil
		}
	}
	return out
}
