package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// The access rule for clients that authenticate badly (a wrong, stale or
// missing password): what the harness records of their connections, and
// what the node must have answered given the passwords in force.

// Replies of the default user's authentication, exactly as Redis 7.0 words
// them.
const (
	ReplyNoAuth    = "NOAUTH Authentication required."
	ReplyWrongPass = "WRONGPASS invalid username-password pair or user is disabled."
	ReplyAuthNoPW  = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
)

// unauthRefusals are the replies a command may get on a connection that
// has not authenticated: NOAUTH (HELLO's own wording for HELLO), or
// (before it is parsed whole) the protocol errors for a request too large
// to come from an unauthenticated client, which also close the connection.
var unauthRefusals = map[string]bool{
	ReplyNoAuth: true,
	"NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time": true,
	"ERR Protocol error: unauthenticated bulk length":      true,
	"ERR Protocol error: unauthenticated multibulk length": true,
}

// ConnAuth is what a client did to authenticate the connection an
// operation went out on. The node accepted the connection at an instant of
// [Dial, Conn]; it starts authenticated if the node had no requirepass
// then. AuthOK says an AUTH sent on it earlier was answered OK.
type ConnAuth struct {
	Dial, Conn int64
	AuthOK     bool
}

// IsAuth reports whether op is an AUTH command a client sent (it is an
// OpRead with Mode "AUTH" and Args AUTH <password>).
func (o *Op) IsAuth() bool { return o.Kind == OpRead && o.Mode == "AUTH" && len(o.Args) == 2 }

// passLog is each node's requirepass over time.
type passLog map[string][]AuthState

func newPassLog(states []AuthState) passLog {
	l := passLog{}
	for _, s := range states {
		l[s.Node] = append(l[s.Node], s)
	}
	return l
}

// values returns the requirepass values node had during [from, to], and
// whether it restarted in (from, to]; ok is false when nothing is known of
// it at from.
func (l passLog) values(node string, from, to int64) (vals []string, restarted, ok bool) {
	states := l[node]
	i := -1
	for j, s := range states {
		if s.At <= from {
			i = j
		}
	}
	if i < 0 {
		return nil, false, false
	}
	seen := map[string]bool{}
	for j := i; j < len(states) && states[j].At <= to; j++ {
		s := states[j]
		if j > i && s.Start {
			restarted = true
		}
		if !seen[s.RequirePass] {
			seen[s.RequirePass] = true
			vals = append(vals, s.RequirePass)
		}
	}
	return vals, restarted, true
}

// mustRefuse reports whether op went out on a connection that cannot have
// been authenticated when the node ran it: the node required a password
// during all of [Dial, Return] (so the connection started unauthenticated
// and no CONFIG SET requirepass "" let everyone in), did not restart, and
// no AUTH on the connection was answered OK before.
func (l passLog) mustRefuse(op *Op) bool {
	a := op.Auth
	// A raw request whose reply on a connection not authenticated is its
	// reply (Value2: QUIT, which Redis runs without authentication) is
	// owed no NOAUTH either.
	noAuth := op.Mode == "PROTOX" && op.Value2 == op.Value
	// AUTH runs without authentication (CMD_NO_AUTH), its argument
	// errors too.
	authCmd := len(op.Args) > 0 && strings.EqualFold(op.Args[0], "AUTH")
	if a == nil || a.AuthOK || op.IsAuth() || op.Unknown || (op.IsExpect() && (PreAuthError(op.Value) || authCmd)) || noAuth {
		return false
	}
	vals, restarted, ok := l.values(op.Node, a.Dial, op.Return)
	if !ok || restarted {
		return false
	}
	for _, v := range vals {
		if v == "" {
			return false
		}
	}
	return true
}

// authReplies returns the replies AUTH pass may have got from node during
// [from, to]: OK if pass was its requirepass at some instant, WRONGPASS if
// another password was, the no-password error if none was.
func (l passLog) authReplies(node, pass string, from, to int64) (map[string]bool, bool) {
	vals, _, ok := l.values(node, from, to)
	if !ok {
		return nil, false
	}
	out := map[string]bool{}
	for _, v := range vals {
		switch v {
		case "":
			out[ReplyAuthNoPW] = true
		case pass:
			out["OK"] = true
		default:
			out[ReplyWrongPass] = true
		}
	}
	return out, true
}

// checkClientAuth judges the operations of clients that record their
// connections (Op.Auth): an AUTH gets the reply the passwords in force
// allow, exactly; an operation on a connection that cannot have been
// authenticated is refused with NOAUTH (or a protocol error for a request
// too large for an unauthenticated client, or an error Redis gives before
// it checks authentication: an unknown command, a wrong arity), exactly (the rule Op.NoAuth
// states, derived here from the record instead of set by the harness).
func checkClientAuth(in AccessInput, agg *aggregator) {
	if len(in.AuthStates) == 0 {
		return
	}
	l := newPassLog(in.AuthStates)
	for i := range in.Ops {
		op := &in.Ops[i]
		if op.Auth == nil || op.Unknown {
			continue
		}
		if op.IsAuth() {
			ok, known := l.authReplies(op.Node, op.Args[1], op.Call, op.Return)
			got := op.Reply
			if op.Err != "" {
				got = op.Err
			}
			if known && !ok[got] {
				agg.addV("auth-reply/"+op.Node, Violation{Detail: fmt.Sprintf(
					"client %d sent AUTH %s to %s at %s and got %s; the requirepass in force [%s..%s] allows only %s",
					op.Client, strconv.Quote(op.Args[1]), op.Node, seconds(op.Call), strconv.Quote(got),
					seconds(op.Call), seconds(op.Return), allowedReplies(ok)),
					At: op.Return, Nodes: []string{op.Node}, Ops: []OpRef{op.Ref()}})
			}
			continue
		}
		if !l.mustRefuse(op) {
			continue
		}
		if !unauthRefusals[op.Err] && !PreAuthError(op.Err) {
			agg.addV("noauth/"+op.Node, Violation{Detail: fmt.Sprintf(
				"client %d sent %s to %s at %s on a connection made at %s that never authenticated, while %s required a password throughout; it must answer %q: %s",
				op.Client, op.Kind, op.Node, seconds(op.Call), seconds(op.Auth.Conn), op.Node, ReplyNoAuth, op.Describe()),
				At: op.Call, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
		}
	}
}

func allowedReplies(ok map[string]bool) string {
	out := ""
	for _, r := range []string{"OK", ReplyWrongPass, ReplyAuthNoPW} {
		if ok[r] {
			if out != "" {
				out += " or "
			}
			out += strconv.Quote(r)
		}
	}
	return out
}
