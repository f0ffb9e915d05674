package checker

import "fmt"

// AOFMove is a node's rename of its old single-file AOF (appendfilename
// in the working directory) into appenddirname.
type AOFMove struct {
	At   int64
	Node string
}

// CheckAOFUpgradeLines pairs Redis 7.0.15's aofUpgradePrepare line with
// its rename: the upgrade renames the old file into the directory and,
// with nothing between them that can fail, logs "Successfully migrated an
// old-style AOF file ..." (a failed rename is logged as such, and the
// process exits). So every such line needs a move of that node in its
// instant, and every move is followed by the line in its instant.
func CheckAOFUpgradeLines(moves []AOFMove, lines []LogLine) []Violation {
	type key struct {
		node string
		at   int64
	}
	moved := map[key]int{}
	for _, m := range moves {
		moved[key{m.Node, m.At}]++
	}
	logged := map[key]int{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if l.Format != logAOFMigrated {
			continue
		}
		k := key{l.Node, l.At}
		logged[k]++
		if logged[k] > moved[k] {
			out = append(out, lineViolation(l, "%q with no rename of the old file into the AOF directory in that instant: aofUpgradePrepare logs it right after the rename succeeded", l.Msg))
		}
	}
	for _, m := range moves {
		k := key{m.Node, m.At}
		if logged[k] < moved[k] {
			out = append(out, Violation{Check: "node_log", At: m.At, Nodes: []string{m.Node},
				Detail: fmt.Sprintf("%s moved its old single-file AOF into the AOF directory at %s without logging %q in that instant: aofUpgradePrepare logs it right after the rename",
					m.Node, seconds(m.At), logAOFMigrated)})
			logged[k] = moved[k] // one violation per instant
		}
	}
	return out
}
