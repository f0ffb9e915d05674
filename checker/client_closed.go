package checker

import (
	"fmt"
	"strings"
)

// PropClosedUnanswered names the rule that a node answers a request
// before it closes the connection. Redis 7.0.15 writes a reply to every
// command it runs and closes a client's connection after the reply (QUIT,
// a protocol error, an unblocked client on a role change:
// CLIENT_CLOSE_AFTER_REPLY); it closes one with a request in flight and
// no reply only when its process exits (the kernel closes the sockets) or
// when the reply overcame the client's output buffer limit
// ("Client ... scheduled to be closed ASAP for overcoming of output
// buffer limits."). A graceful close (all bytes sent arrived, so no reply
// was lost in the network) that reached a client waiting for a reply is a
// violation unless one of those two happened on the node during the call.
const PropClosedUnanswered = "closed_unanswered"

const logObufClose = "scheduled to be closed ASAP for overcoming of output buffer limits."

// CheckClosedUnanswered judges every operation the node's close ended
// (Op.ClosedByNode) against the nodes' exits and log.
func CheckClosedUnanswered(ops []Op, exits []LogExit, lines []LogLine) []Violation {
	var out []Violation
	for i := range ops {
		op := &ops[i]
		if !op.ClosedByNode || excusedClose(op, exits, lines) {
			continue
		}
		out = append(out, Violation{Check: PropClosedUnanswered, At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()},
			Detail: fmt.Sprintf("client %d's %s on %s at %s: the node closed the connection (every byte it sent arrived) at %s without a reply, and neither exited nor logged an output buffer limit meanwhile: Redis replies before it closes (QUIT, a protocol error) and otherwise keeps the connection",
				op.Client, op.Describe(), op.Node, seconds(op.Call), seconds(op.Return))})
	}
	return out
}

// excusedClose reports whether op's node exited, or closed a client for
// its output buffer limit, during op's call.
func excusedClose(op *Op, exits []LogExit, lines []LogLine) bool {
	for _, e := range exits {
		if e.Node == op.Node && e.At >= op.Call && e.At <= op.Return {
			return true
		}
	}
	for i := range lines {
		l := &lines[i]
		if l.Node == op.Node && l.At >= op.Call && l.At <= op.Return && strings.HasSuffix(l.Msg, logObufClose) {
			return true
		}
	}
	return false
}
