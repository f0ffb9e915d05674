package checker

import "strings"

// aofTxErrors flags a transaction error of the AOF-loading client. Redis
// writes a transaction to the AOF whole, MULTI ... EXEC, as one unit
// (propagatePendingCommands), and a load reverts a MULTI the file leaves
// open at its end before replaying it; its client (CLIENT_MULTI like any
// client) queues what comes between. So "MULTI calls can not be nested"
// and "EXEC without MULTI" are never among the errors
// afterErrorReply logs for it ("== CRITICAL == This server is sending an
// error to its AOF-loading-client: ..."), whatever the disk did to the
// file (a bit flipped in a command's name makes it unknown, which fails
// the load before any command runs).
func aofTxErrors(lines []LogLine) []Violation {
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if l.Format != logAOFClientError || len(l.Args) == 0 {
			continue
		}
		if strings.Contains(l.Args[0], "MULTI calls can not be nested") || strings.Contains(l.Args[0], "EXEC without MULTI") {
			out = append(out, lineViolation(l, "%q: an AOF holds each transaction whole (MULTI ... EXEC), and its loading client queues the commands between them", l.Msg))
		}
	}
	return out
}
