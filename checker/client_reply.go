package checker

import "fmt"

// CLIENT REPLY. A command sent with replies off gets none: the client
// sends CLIENT REPLY OFF, the command (and, in mode REWRITE, BGREWRITEAOF:
// the rewrite starts with the command's write still in the AOF buffer),
// CLIENT REPLY ON (whose +OK is the request's only reply), or CLIENT
// REPLY SKIP, the command, ECHO (whose bulk reply is the only one). The command's outcome is unknown, as a
// timed-out request's (the linearizability check lets the next read
// decide); the one reply that came must be the last command's.

// QuietEcho is what the ECHO after a CLIENT REPLY SKIP sends.
const QuietEcho = "quiet"

// processedBy reports whether op, a quiet command, surely ran (or was
// refused) by op.Return: its request's trailing reply came then, and a
// connection's commands run in order. Its own outcome stays unknown.
func (op *Op) processedBy() bool {
	return op.Quiet != "" && op.QuietReply == QuietWant(op.Quiet) && op.Return > op.Call
}

// QuietWant returns the reply the request of a command sent quietly (mode
// "OFF", "REWRITE" or "SKIP") must get.
func QuietWant(mode string) string {
	if mode == "OFF" || mode == "REWRITE" {
		return "OK"
	}
	return QuietEcho
}

// CheckClientReply checks every request with replies switched off got
// exactly one reply, the last command's (or a refusal of the node's
// state, which the last command gets too).
func CheckClientReply(ops []Op) []Violation {
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if op.Quiet == "" || op.QuietReply == "" {
			continue // no reply came: the connection went first
		}
		want := QuietWant(op.Quiet)
		if op.QuietReply == want || isEnvRefusal(op.QuietReply) {
			continue
		}
		agg.addV("client-reply/"+op.Quiet, Violation{Detail: fmt.Sprintf(
			"client %d sent CLIENT REPLY %s and %s to %s at %s and the first reply was %q, not the %q of the command after it: the quiet command answered",
			op.Client, op.Quiet, op.Describe(), op.Node, seconds(op.Call), op.QuietReply, want),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropAccess)
}
