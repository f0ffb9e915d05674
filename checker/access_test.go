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

func TestAccessNoAuth(t *testing.T) {
	op := get(1, "k1", "", false, 10, 20)
	op.NoAuth = true
	vs := CheckAccess(AccessInput{Ops: []Op{op}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "without authenticating while a password was required, and it ran")
	op.Err = "NOAUTH Authentication required."
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{op}}))
}

func TestAccessWrongMasterAuth(t *testing.T) {
	in := AccessInput{
		Auth:      []AuthEvent{{At: 10, Node: "n2", Kind: "auth_wrong_masterauth"}, {At: 50, Node: "n2", Kind: "auth_masterauth_fixed"}},
		FullSyncs: []FullSync{{At: 30, Node: "n2", Master: "n1"}},
	}
	vs := CheckAccess(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "replica n2, whose masterauth has been wrong since")
	in.FullSyncs[0].At = 60
	assert.Empty(t, CheckAccess(in))
}
