package checker

import "fmt"

// CheckAOFStartOpens judges which incr file each start that loaded its AOF
// opened for appending (Redis 7.0.15 aofOpenIfNeededOnServerStart): the
// last one the manifest lists, "Opening AOF incr file %s on server start",
// when it lists any; a new one, "Creating AOF incr file %s on server
// start", only when it lists none. A start whose reads an injected fault
// hit saw another manifest and is not judged.
func CheckAOFStartOpens(starts []AOFStart, lines []LogLine, faults []DiskFault) []Violation {
	var out []Violation
	for _, s := range starts {
		if readFaulted(faults, s.Node, s.At) {
			continue
		}
		for _, l := range lines {
			if l.Node != s.Node || l.Proc != s.Proc || l.At != s.At || len(l.Args) == 0 {
				continue
			}
			bad := ""
			switch {
			case l.Format == logAOFCreatedAtStart && s.Incr:
				bad = fmt.Sprintf("its manifest listed incr files up to %s, which it must open", s.Last)
			case l.Format == logAOFOpened && !s.Incr:
				bad = "its manifest listed no incr file to open"
			case l.Format == logAOFOpened && l.Args[0] != s.Last:
				bad = fmt.Sprintf("the manifest's last incr file is %s", s.Last)
			}
			if bad != "" {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s logged %q at its start, but %s (aofOpenIfNeededOnServerStart)", l.Node, l.Msg, bad)})
			}
		}
	}
	return out
}
