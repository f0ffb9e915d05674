package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// n1 has no password until 100, requires "old" from 100, "new" from 200.
var passChanges = []AuthState{
	{At: 0, Node: "n1", Start: true},
	{At: 100, Node: "n1", RequirePass: "old"},
	{At: 200, Node: "n1", RequirePass: "new"},
}

func authAt(pass string, call, ret int64, reply string) Op {
	op := Op{Kind: OpRead, Mode: "AUTH", Args: []string{"AUTH", pass}, Node: "n1", Call: call, Return: ret,
		Auth: &ConnAuth{Dial: call - 5, Conn: call - 1}}
	if reply == "OK" {
		op.Reply = reply
	} else {
		op.Err = reply
	}
	return op
}

func clientAccess(ops ...Op) []Violation {
	return CheckAccess(AccessInput{Ops: ops, AuthStates: passChanges})
}

func TestClientAuthReplies(t *testing.T) {
	assert.Empty(t, clientAccess(
		authAt("x", 10, 20, ReplyAuthNoPW),
		authAt("old", 110, 120, "OK"),
		authAt("x", 110, 120, ReplyWrongPass),
		authAt("old", 210, 220, ReplyWrongPass),
		authAt("new", 210, 220, "OK"),
		authAt("old", 190, 210, "OK"), // the change fell inside the call
		authAt("old", 190, 210, ReplyWrongPass),
	))

	// A stale password accepted after the change (the planted bug
	// stale-password-accepted), a wrong one accepted, a WRONGPASS worded
	// otherwise, a password refused while it was the right one.
	for _, bad := range []Op{
		authAt("old", 210, 220, "OK"),
		authAt("x", 110, 120, "OK"),
		authAt("x", 110, 120, "ERR invalid password"),
		authAt("new", 210, 220, ReplyWrongPass),
		authAt("x", 10, 20, ReplyWrongPass),
	} {
		vs := clientAccess(bad)
		require.Len(t, vs, 1, bad.Describe())
		assert.Equal(t, PropAccess, vs[0].Check)
		assert.Contains(t, vs[0].Detail, "client 0 sent AUTH")
	}
}

func TestClientNoAuth(t *testing.T) {
	// A connection made while n1 required "old", that never authenticated.
	unauthed := &ConnAuth{Dial: 140, Conn: 141}
	refused := get(1, "k1", "", false, 150, 160)
	refused.Node, refused.Auth, refused.Err = "n1", unauthed, ReplyNoAuth
	ran := get(1, "k1", "7", true, 150, 160)
	ran.Node, ran.Auth = "n1", unauthed
	assert.Empty(t, clientAccess(refused))
	big := refused
	big.Err = "ERR Protocol error: unauthenticated bulk length"
	assert.Empty(t, clientAccess(big), "a 16 KiB+ value is refused before it is parsed")
	authSyntax := Op{Kind: OpRead, Mode: "EXPECT", Args: []string{"AUTH", "default", "x", "y"}, Value: "ERR syntax error",
		Err: "ERR syntax error", Node: "n1", Auth: unauthed, Call: 150, Return: 160}
	assert.Empty(t, clientAccess(authSyntax), "AUTH runs without authentication, its syntax error too")
	setSyntax := authSyntax
	setSyntax.Args = []string{"SET", "k1", "v", "BADOPT"}
	assert.Len(t, clientAccess(setSyntax), 1, "SET's syntax error comes after authentication")
	vs := clientAccess(ran)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `client 1 sent GET to n1 at 0.000000s on a connection made at 0.000000s that never authenticated`)

	// The same reply is fine when the connection was made before the
	// password (Redis keeps it authenticated), when its dial straddles the
	// change, after an AUTH answered OK, or when the call is unknown.
	for name, a := range map[string]*ConnAuth{
		"before":   {Dial: 50, Conn: 51},
		"straddle": {Dial: 95, Conn: 105},
		"authed":   {Dial: 140, Conn: 141, AuthOK: true},
	} {
		op := ran
		op.Auth = a
		assert.Empty(t, clientAccess(op), name)
	}
	lost := ran
	lost.Unknown = true
	assert.Empty(t, clientAccess(lost))

	// A NOAUTH worded otherwise is wrong too.
	odd := refused
	odd.Err = "NOAUTH please authenticate"
	require.Len(t, clientAccess(odd), 1)

	// A restart within the window: the node's state is new; no judgement.
	restart := append(append([]AuthState{}, passChanges[:2]...), AuthState{At: 155, Node: "n1", RequirePass: "old", Start: true})
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{ran}, AuthStates: restart}))
	// requirepass "" for an instant lets everyone in.
	open := append(append([]AuthState{}, passChanges[:2]...), AuthState{At: 150, Node: "n1"}, AuthState{At: 152, Node: "n1", RequirePass: "old"})
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{ran}, AuthStates: open}))
}
