package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func expectOp(args []string, want, got string) Op {
	op := Op{Kind: OpRead, Mode: "EXPECT", Args: args, Value: want, Node: "n1", Call: 10, Return: 20}
	op.Err = got
	return op
}

func TestFixedReplies(t *testing.T) {
	arity := "ERR wrong number of arguments for 'get' command"
	syntax := "ERR syntax error"
	assert.Empty(t, CheckFixedReplies([]Op{
		expectOp([]string{"GET"}, arity, arity),
		expectOp([]string{"SET", "k", "v", "BADOPT"}, syntax, syntax),
		// Refused for the node's state before the arguments are read.
		expectOp([]string{"SET", "k", "v", "BADOPT"}, syntax, "READONLY You can't write against a read only replica."),
		expectOp([]string{"SET", "k", "v", "BADOPT"}, syntax, ReplyNoAuth),
		{Kind: OpRead, Mode: "EXPECT", Args: []string{"GET"}, Value: arity, Unknown: true},
		// INCRBYFLOAT checks the key's type before its increment (chaos
		// seed 41: a hash key).
		expectOp([]string{"INCRBYFLOAT", "k", "abc"}, "ERR value is not a valid float", "WRONGTYPE Operation against a key holding the wrong kind of value"),
		// syncCommand's refusals come before it reads the offset.
		expectOp([]string{"PSYNC", "id", "x"}, "ERR value is not an integer or out of range", "NOMASTERLINK Can't SYNC while not connected with my master"),
		expectOp([]string{"PSYNC", "id", "x"}, "ERR value is not an integer or out of range", "ERR SYNC and PSYNC are invalid with pending output"),
	}))
	for _, bad := range []Op{
		expectOp([]string{"SET", "k", "v", "BADOPT"}, syntax, ""), // it ran
		expectOp([]string{"GET"}, arity, ReplyNoAuth),             // arity comes before AUTH
		expectOp([]string{"SET", "k", "v", "EX", "0"}, "ERR invalid expire time in 'set' command", syntax),
		// INCRBY parses its increment first: never WRONGTYPE.
		expectOp([]string{"INCRBY", "k", "abc"}, "ERR value is not an integer or out of range", "WRONGTYPE Operation against a key holding the wrong kind of value"),
		// The offset read, a full sync answered (mutant repl_master.go:176:4).
		expectOp([]string{"PSYNC", "id", "x"}, "ERR value is not an integer or out of range", ""),
		expectOp([]string{"GET"}, arity, "NOMASTERLINK Can't SYNC while not connected with my master"),
	} {
		vs := CheckFixedReplies([]Op{bad})
		require.Len(t, vs, 1, bad.Describe())
		assert.Equal(t, PropLinearizability, vs[0].Check)
		assert.Contains(t, vs[0].Detail, "whatever the data, it must answer")
	}
}

// TestPreAuthErrorsAreNotNoAuth: a command refused before authentication
// is looked at (wrong arity) is not owed a NOAUTH on an unauthenticated
// connection; a HELLO gets its own NOAUTH wording.
func TestPreAuthErrorsAreNotNoAuth(t *testing.T) {
	unauthed := &ConnAuth{Dial: 140, Conn: 141}
	arity := expectOp([]string{"GET"}, "ERR wrong number of arguments for 'get' command", "ERR wrong number of arguments for 'get' command")
	arity.Call, arity.Return, arity.Auth = 150, 160, unauthed
	hello := Op{Kind: OpRead, Mode: "ADMIN", Args: []string{"HELLO"}, Node: "n1", Call: 150, Return: 160, Auth: unauthed,
		Err: "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"}
	assert.Empty(t, clientAccess(arity, hello))
	hello.Err = ""
	require.Len(t, clientAccess(hello), 1)
}

// TestExecReplyShape: an EXEC answered with fewer replies than commands
// queued (mutant cmd_conn.go:98 drops queued commands) is a violation.
func TestExecReplyShape(t *testing.T) {
	tx := Op{Kind: OpTx, Args: []string{"MULTI"}, Sub: []Op{{Kind: OpIncr, Key: "k1"}}, Node: "n1", Call: 10, Return: 20,
		Err: UnexpectedExec + "(empty array)"}
	vs := CheckFixedReplies([]Op{tx})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "got a reply Redis never gives to 1 queued commands")
	tx.Err = "EXECABORT Transaction discarded because of previous errors."
	assert.Empty(t, CheckFixedReplies([]Op{tx}))
}

// A hostile client's malformed request (Mode PROTOX) gets Redis's protocol
// error, whatever the node's state, and nothing after it: Redis closes the
// connection, so the PING sent behind the bad bytes is never answered.
func TestProtocolErrors(t *testing.T) {
	bad := "ERR Protocol error: invalid multibulk length"
	proto := func(got, after string) Op {
		op := expectOp([]string{"PROTO", "mbulk-abc"}, bad, got)
		op.Mode, op.AfterError = "PROTOX", after
		return op
	}
	pong := Op{Kind: OpRead, Mode: "PROTOX", Args: []string{"PROTO", "mbulk-neg"}, Value: "PONG", Reply: "PONG", Node: "n1"}
	unauth := "ERR Protocol error: unauthenticated multibulk length"
	big := func(got string) Op {
		op := expectOp([]string{"PROTO", "mbulk-11"}, "ERR Protocol error: expected '$', got 'P'", got)
		op.Mode, op.Value2 = "PROTOX", unauth
		return op
	}
	assert.Empty(t, CheckFixedReplies([]Op{proto(bad, ""), pong, big(unauth), big("ERR Protocol error: expected '$', got 'P'")}))
	for name, op := range map[string]Op{
		"nothing more after a protocol error":           proto(bad, "PONG"),
		"no refusal comes before the parse":             proto("READONLY You can't write against a read only replica.", ""),
		"the exact error":                               proto("ERR Protocol error: invalid bulk length", ""),
		"unauthenticated only where a count is over 10": proto(unauth, ""),
	} {
		vs := CheckFixedReplies([]Op{op})
		require.Len(t, vs, 1, name)
		assert.Equal(t, PropLinearizability, vs[0].Check, name)
	}
}

// TestPingArityIsChecked after auth: PING's arity is -1, so Redis's
// processCommand lets "PING a b" through to NOAUTH, MISCONF and the other
// refusals of the node's state before pingCommand's own arity error.
func TestPingArityIsChecked(t *testing.T) {
	assert.True(t, PreAuthError("ERR wrong number of arguments for 'get' command"))
	assert.False(t, PreAuthError("ERR wrong number of arguments for 'ping' command"))
	ping := expectOp([]string{"PING", "a", "b"}, "ERR wrong number of arguments for 'ping' command", "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.")
	assert.Empty(t, CheckFixedReplies([]Op{ping}))
}
