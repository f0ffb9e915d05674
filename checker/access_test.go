package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var twoNodes = []RoleChange{{At: 0, Node: "n1", Role: "master"}, {At: 0, Node: "n2", Role: "slave"}}

func TestAccessReadOnlyReplica(t *testing.T) {
	refused := set(5, "k1", "x", 10, 20)
	refused.Node, refused.Err = "n2", "READONLY You can't write against a read only replica."
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{refused}, Roles: twoNodes}))

	accepted := set(5, "k1", "x", 10, 20)
	accepted.Node = "n2"
	vs := CheckAccess(AccessInput{Ops: []Op{accepted}, Roles: twoNodes})
	require.Len(t, vs, 1)
	assert.Equal(t, "access", vs[0].Check)
	assert.Contains(t, vs[0].Detail, `read-only replica n2 accepted a client write instead of answering READONLY: client 5, SET k1 "x" -> OK`)

	// Once promoted, it takes writes.
	roles := append(append([]RoleChange{}, twoNodes...), RoleChange{At: 5, Node: "n2", Role: "master"})
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{accepted}, Roles: roles}))
}

// A transaction sent one command at a time, on a master demoted between
// its MULTI and its EXEC: Redis refuses the EXEC of queued writes there
// (EXECABORT ... READONLY).
func TestAccessExecAfterDemotion(t *testing.T) {
	tx := Op{Client: 3, Node: "n1", Kind: OpTx, Mode: "RT", Call: 10, LastSent: 30, Return: 40,
		Sub: []Op{set(3, "k1", "x", 10, 40)}}
	demoted := append(append([]RoleChange{}, twoNodes...), RoleChange{At: 20, Node: "n1", Role: "slave"})
	vs := CheckAccess(AccessInput{Ops: []Op{tx}, Roles: demoted})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "read-only replica n1 accepted a client write instead of answering READONLY")

	tx.Err = "EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica."
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{tx}, Roles: demoted}), "refused")
	tx.Err = ""
	tx.LastSent = 15
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{tx}, Roles: demoted}), "the EXEC went out while it was master")
	tx.LastSent = 0
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{tx}, Roles: demoted}), "sent in one write")
}

func TestAccessNoAuth(t *testing.T) {
	op := get(1, "k1", "", false, 10, 20)
	op.NoAuth = true
	vs := CheckAccess(AccessInput{Ops: []Op{op}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "without authenticating while a password was required, and it ran")
	op.Err = "NOAUTH Authentication required."
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{op}}))
}

// n1 requires "pw"; n2's masterauth is right until the fault at 10 makes it
// wrong (resetting its link), and right again at 50.
func wrongAuthInput(syncAt int64) AccessInput {
	return AccessInput{
		LinkResets: []LinkReset{{At: 10, Node: "n2"}},
		AuthStates: []AuthState{
			{At: 0, Node: "n1", RequirePass: "pw", Start: true},
			{At: 0, Node: "n2", MasterAuth: "pw", Start: true},
			{At: 10, Node: "n2", MasterAuth: "wrong-n2"},
			{At: 50, Node: "n2", MasterAuth: "pw"},
		},
		FullSyncs: []FullSync{{At: syncAt, Node: "n2", Master: "n1"}},
	}
}

func TestAccessWrongMasterAuth(t *testing.T) {
	vs := CheckAccess(wrongAuthInput(30))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `replica n2 completed a full resync from n1 at 0.000000s, but since its master link was reset with a wrong masterauth at 0.000000s its masterauth ("wrong-n2") never was n1's requirepass ("pw")`)
	assert.Empty(t, CheckAccess(wrongAuthInput(60)), "fixed at 50")
}

// The fix need not be the fault's own end: auth_follow (or a restart from
// the config file) sets the right password on every node.
func TestAccessMasterAuthFixedByAnyChange(t *testing.T) {
	in := wrongAuthInput(40)
	in.AuthStates = append(in.AuthStates[:3], AuthState{At: 30, Node: "n2", MasterAuth: "pw"})
	assert.Empty(t, CheckAccess(in))

	in = wrongAuthInput(40)
	in.AuthStates = append(in.AuthStates[:3], AuthState{At: 30, Node: "n2", MasterAuth: "pw", Start: true})
	assert.Empty(t, CheckAccess(in))
}

// A master without a password answers AUTH with an error, and a Redis
// replica gives up on it: any masterauth is wrong there. Without a
// masterauth the replica sends no AUTH and syncs.
func TestAccessMasterAuthAgainstPasswordlessMaster(t *testing.T) {
	in := AccessInput{
		AuthStates: []AuthState{{At: 0, Node: "n1", Start: true}, {At: 0, Node: "n2", MasterAuth: "x", Start: true}},
		FullSyncs:  []FullSync{{At: 30, Node: "n2", Master: "n1"}},
	}
	vs := CheckAccess(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `since it started at 0.000000s its masterauth ("x") never was n1's requirepass (none)`)
	in.AuthStates[1].MasterAuth = ""
	assert.Empty(t, CheckAccess(in))
}

// The master reads an AUTH after the replica sent it: a password the
// master dropped before the replica sent it does not count, one it took
// up after the replica sent it does.
func TestAccessMasterAuthOrder(t *testing.T) {
	in := AccessInput{
		AuthStates: []AuthState{
			{At: 0, Node: "n1", RequirePass: "a", Start: true},
			{At: 0, Node: "n2", MasterAuth: "b", Start: true},
			{At: 10, Node: "n1", RequirePass: "c"},
			{At: 20, Node: "n2", MasterAuth: "a"},
		},
		FullSyncs: []FullSync{{At: 30, Node: "n2", Master: "n1"}},
	}
	vs := CheckAccess(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `its masterauth ("b", then "a") never was n1's requirepass ("a", then "c")`)

	in.AuthStates[2].RequirePass = "b" // n2 sent "b" at 0..20; n1 wanted it from 10
	assert.Empty(t, CheckAccess(in))

	// A second full resync's handshake began after the first ended (at
	// 22): n2 sent only "a" then, which n1 no longer wanted.
	in.FullSyncs = []FullSync{{At: 22, Node: "n2", Master: "n1"}, {At: 30, Node: "n2", Master: "n1"}}
	vs = CheckAccess(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "from n1 at 0.000000s, but since its previous full resync at 0.000000s")
	assert.NotContains(t, vs[0].Detail, "more like it")
}

// Nothing known of a node's passwords: nothing judged.
func TestAccessMasterAuthUnknownNode(t *testing.T) {
	in := AccessInput{
		AuthStates: []AuthState{{At: 0, Node: "n2", MasterAuth: "x", Start: true}},
		FullSyncs:  []FullSync{{At: 30, Node: "n2", Master: "n9"}},
	}
	assert.Empty(t, CheckAccess(in))
}

// A replica that connected while its master had no password, and sends no
// AUTH, passes even though the master set a password meanwhile: the
// connection was authenticated when it was accepted (seed 59044).
func TestAccessConnectionAcceptedBeforePasswordChange(t *testing.T) {
	in := AccessInput{
		AuthStates: []AuthState{
			{Node: "n2", At: 0, MasterAuth: "wrong-n2", Start: true},
			{Node: "n5", At: 0, RequirePass: "", Start: true},
			{Node: "n5", At: 30, RequirePass: "pw"},
			{Node: "n2", At: 40, MasterAuth: ""},
		},
		FullSyncs: []FullSync{{Node: "n2", Master: "n5", At: 100}},
	}
	assert.Empty(t, CheckAccess(in))

	// Had the master's password been set before the connection could be
	// accepted, a replica sending no AUTH is refused.
	in.AuthStates[2].At = 0
	in.AuthStates[1].At = -1
	assert.NotEmpty(t, CheckAccess(in))
}
