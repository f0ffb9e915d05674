package checker

import (
	"fmt"
	"strings"
)

// logErrorToMaster starts the line Redis's afterErrorReply logs when a
// replica's command from its master fails (the reply is never sent).
const logErrorToMaster = "== CRITICAL == This replica is sending an error to its master: '"

// errorRepliesToMaster checks that a replica's commands from its master
// do not fail. A master streams only what it ran, and the replica holds
// what its master had, so such an error is a replica that diverged or a
// stream that does not parse (a protocol error, which a simulated master
// never sends): Redis logs it, with the latest backlog, as a CRITICAL
// line. Only a writable replica's local writes (from localFrom on) let a
// master's command meet a value it never had there.
func errorRepliesToMaster(lines []LogLine, localFrom int64) []Violation {
	var out []Violation
	for _, l := range lines {
		if !strings.HasPrefix(l.Msg, logErrorToMaster) {
			continue
		}
		protocol := strings.HasPrefix(l.Msg[len(logErrorToMaster):], "Protocol error")
		if !protocol && l.At >= localFrom {
			continue
		}
		why := "the replica diverged from its master, with no local write before it"
		if protocol {
			why = "its master's stream does not parse"
		}
		out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): %q: %s", l.Node, l.Gen, l.Msg, why)})
	}
	return out
}
