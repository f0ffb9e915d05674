package checker

import (
	"fmt"
	"slices"
	"strings"
)

// Commands whose reply does not depend on the data (Op.Mode "EXPECT"): a
// malformed command (wrong arity, an unknown command or option, a bad
// integer) gets the error in Op.Value, exactly. The node may also refuse it
// first for reasons of its own state, as Redis does before looking at a
// command's arguments: a connection not authenticated (NOAUTH), a replica
// (READONLY, MASTERDOWN), a failed save (MISCONF), a load in progress
// (LOADING), memory (OOM), too few good replicas (NOREPLICAS): the
// refusals of the node's state every strict judge accepts (envRefusals,
// errors_args.go).

// IsAdmin reports whether op is an introspection command whose reply is
// not judged (INFO, CONFIG GET, CLIENT, ROLE...: many of them are served
// by a stale replica too, and only what they leave alone is checked).
func (o *Op) IsAdmin() bool { return o.Kind == OpRead && (o.Mode == "ADMIN" || o.Mode == "INLINE") }

// IsExpect reports whether op is a command with a fixed reply (Mode
// "INLINEX": sent in the inline protocol; "PROTOX": raw bytes, malformed
// RESP or inline, from a hostile client).
func (o *Op) IsExpect() bool {
	return o.Kind == OpRead && (o.Mode == "EXPECT" || o.Mode == "INLINEX" || o.Mode == "PROTOX")
}

// ProtocolError starts the errors Redis answers a request it cannot parse
// (networking.c's setProtocolError): it then closes the connection, the
// rest of the request unread. It parses the request before it looks at
// anything else, so nothing of the node's state may refuse it first.
const ProtocolError = "ERR Protocol error: "

// PreAuthError reports whether a fixed reply is an error Redis gives before
// checking authentication (an unknown command or subcommand, a wrong
// number of arguments, a protocol error): a connection that has not
// authenticated gets it rather than NOAUTH.
func PreAuthError(reply string) bool {
	if strings.HasPrefix(reply, "ERR unknown subcommand or wrong number of arguments") {
		return false // DEBUG's own check, inside the command (after auth)
	}
	if reply == "ERR wrong number of arguments for 'ping' command" {
		return false // PING's arity is -1: its own check, inside the command
	}
	for _, p := range []string{"ERR unknown command", "ERR unknown subcommand", "ERR wrong number of arguments", ProtocolError} {
		if strings.HasPrefix(reply, p) {
			return true
		}
	}
	return false
}

// UnexpectedExec starts the Err the harness records for an EXEC reply that
// is neither an error nor one reply per queued command.
const UnexpectedExec = "EXECABORT unexpected EXEC reply: "

// CheckFixedReplies checks every command with a fixed reply got it (or a
// refusal of the node's state, for a command Redis checks that first), and
// every EXEC a reply of the shape Redis gives.
func CheckFixedReplies(ops []Op) []Violation {
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if op.Kind == OpTx && strings.HasPrefix(op.Err, UnexpectedExec) {
			// Redis answers EXEC with one reply per queued command, or an
			// error; never anything else (no WATCH here).
			agg.addV("exec-reply", Violation{Detail: fmt.Sprintf(
				"client %d's EXEC on %s at %s got a reply Redis never gives to %d queued commands: %s",
				op.Client, op.Node, seconds(op.Call), len(op.Sub), op.Describe()),
				At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
			continue
		}
		if !op.IsExpect() || op.Unknown {
			continue
		}
		if op.AfterError != "" {
			got := op.Reply
			if op.Err != "" {
				got = op.Err
			}
			agg.addV("protocol-close", Violation{Detail: fmt.Sprintf(
				"client %d sent %s to %s at %s, got %q, then %q: after a protocol error or QUIT Redis closes the connection and runs nothing more",
				op.Client, strings.Join(op.Args, " "), op.Node, seconds(op.Call), got, op.AfterError),
				At: op.Return, Nodes: []string{op.Node}, Ops: []OpRef{op.Ref()}})
			continue
		}
		got := op.Reply
		if op.Err != "" {
			got = op.Err
		}
		if got == op.Value || (op.Mode == "PROTOX" && op.Value2 != "" && got == op.Value2) {
			// Value2: the reply on a connection not authenticated while
			// a password is required (a multibulk count over 10 is
			// refused there first; cluster/workload_protocol.go).
			continue
		}
		refused := !PreAuthError(op.Value) && isEnvRefusal(got) || isSyncRefusal(op.Args, got) || isWaitOnReplica(op.Args, got)
		if isWrongType(got) && lookupCmd(op.Args) != nil {
			// A command of the typed model may check the key's type
			// before its arguments (INCRBYFLOAT does; INCRBY, which the
			// model does not hold, parses first): the model judges it
			// (LinOps).
			refused = true
		}
		if refused {
			continue
		}
		agg.addV("fixed/"+op.Args[0], Violation{Detail: fmt.Sprintf(
			"client %d sent %s to %s at %s and got %q; whatever the data, it must answer %q",
			op.Client, strings.Join(op.Args, " "), op.Node, seconds(op.Call), got, op.Value),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropLinearizability)
}

// syncRefusals are the errors Redis's syncCommand answers a SYNC or PSYNC
// for the node's state before it reads the arguments: a replica whose
// link is down, a connection with replies still to send (a pipelined
// AUTH's +OK).
var syncRefusals = []string{"NOMASTERLINK Can't SYNC while not connected with my master", "ERR SYNC and PSYNC are invalid with pending output"}

// isSyncRefusal reports whether got is one of syncRefusals, for a SYNC or
// PSYNC.
func isSyncRefusal(args []string, got string) bool {
	if len(args) == 0 || !strings.EqualFold(args[0], "PSYNC") && !strings.EqualFold(args[0], "SYNC") {
		return false
	}
	return slices.Contains(syncRefusals, got)
}

// errWaitOnReplica is waitCommand's refusal on a replica, before it reads
// its arguments.
const errWaitOnReplica = "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated."

// isWaitOnReplica reports whether got is a WAIT's refusal on a replica.
func isWaitOnReplica(args []string, got string) bool {
	return len(args) > 0 && strings.EqualFold(args[0], "WAIT") && got == errWaitOnReplica
}
