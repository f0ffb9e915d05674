package checker

import "fmt"

// PropExtraReply names the one-reply-per-command property of client
// connections: Redis answers a command once, so a reply that comes after
// an operation's own, with no request in flight, would answer the
// client's next command (a WAIT refused on a replica that went on to
// count its replicas as well).
const PropExtraReply = "extra_reply"

// CheckExtraReplies reports every operation whose client got a second
// reply to it.
func CheckExtraReplies(ops []Op) []Violation {
	var out []Violation
	for i := range ops {
		op := &ops[i]
		if op.Extra == "" {
			continue
		}
		out = append(out, Violation{Check: PropExtraReply, At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()},
			Detail: fmt.Sprintf("client %d's %s on %s at %s got a second reply, %q, before its next request: Redis answers a command once (this command, or one before it on the connection whose reply this one took, was answered twice)",
				op.Client, op.Describe(), op.Node, seconds(op.Call), op.Extra)})
	}
	return out
}
