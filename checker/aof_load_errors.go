package checker

import (
	"fmt"
	"regexp"
	"strings"
)

// logAOFClientError is afterErrorReply's line for an error reply to the
// AOF-loading client (networking.c), Redis 7.0.15's text.
const logAOFClientError = "== CRITICAL == This server is sending an error to its AOF-loading-client: '%s' after processing the command '%s'"

// errInvalidExpireSet is the error SET gives for an expire time that is
// not positive (getExpireMillisecondsOrReply), without its "ERR ".
const errInvalidExpireSet = "invalid expire time in 'set' command"

// refusedAnyway reports whether Redis 7.0.15 refuses the command args
// whatever the dataset holds, with errInvalidExpireSet: here a SET whose
// EX or PX is 0, which getExpireMillisecondsOrReply refuses before SET
// looks at the key (it refuses other forms too; those are not counted).
func refusedAnyway(args [][]byte) bool {
	if len(args) < 5 || !strings.EqualFold(string(args[0]), "set") {
		return false
	}
	for i := 3; i+1 < len(args); i++ {
		opt := string(args[i])
		if (strings.EqualFold(opt, "ex") || strings.EqualFold(opt, "px")) && string(args[i+1]) == "0" {
			return true
		}
	}
	return false
}

// CheckAOFLoadErrors checks that each start that loaded its AOF logged
// an error for each command of the last file that Redis refuses whatever
// the dataset (refusedAnyway) and that runs outside a MULTI: Redis 7.0.15
// runs an AOF's commands through a client whose error replies
// afterErrorReply logs ("== CRITICAL == This server is sending an error
// to its AOF-loading-client: ..."), and goes on loading. A start whose
// reads an injected fault hit saw other bytes and is not judged.
func CheckAOFLoadErrors(starts []AOFStart, lines []LogLine, faults []DiskFault) []Violation {
	want := fmt.Sprintf(logAOFClientError, errInvalidExpireSet, "set")
	var out []Violation
	for _, s := range starts {
		if readFaulted(faults, s.Node, s.At) {
			continue
		}
		refused := scanAOFTail(s.Data).refused
		if refused == 0 {
			continue
		}
		loaded, logged := false, 0
		for _, l := range lines {
			if l.Node != s.Node || l.Proc != s.Proc || l.At != s.At {
				continue
			}
			switch {
			case strings.HasPrefix(l.Msg, logAOFLoaded):
				loaded = true
			case l.Msg == want:
				logged++
			}
		}
		if loaded && logged < refused {
			out = append(out, Violation{Check: "node_log", At: s.At, Nodes: []string{s.Node},
				Detail: fmt.Sprintf("%s: its AOF's last file %s holds %d SET command(s) with an expire of 0, which Redis refuses as it loads them, logging %q each time; the node logged it %d time(s)",
					s.Node, s.Last, refused, want, logged)})
		}
	}
	return out
}

// errorNamesCommand finds the command an error reply names as its source,
// as getExpireMillisecondsOrReply's "invalid expire time in 'set' command"
// does.
var errorNamesCommand = regexp.MustCompile(`in '([a-z|]+)' command`)

// CheckAOFClientErrorsOwnCommand checks that each error the AOF-loading
// client got and afterErrorReply logged, when its text names the command
// it came from, names the command the line says it followed (or EXEC,
// whose reply holds its queued commands' errors): the line is logged after
// each command whose own reply is an error, so an error reported again
// after a later, successful command (a reply buffer not emptied between
// commands) names another command.
func CheckAOFClientErrorsOwnCommand(lines []LogLine) []Violation {
	var out []Violation
	for _, l := range lines {
		if l.Format != logAOFClientError || len(l.Args) != 2 {
			continue
		}
		m := errorNamesCommand.FindStringSubmatch(l.Args[0])
		if m == nil || m[1] == l.Args[1] || l.Args[1] == "exec" {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): %q: the error names the command '%s', but the line says it followed '%s': "+
				"afterErrorReply logs a command's own error reply, once", l.Node, l.Gen, l.Msg, m[1], l.Args[1])})
	}
	return out
}
