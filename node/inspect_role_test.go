package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RoleValue answers what ROLE answers, on a master and on a replica.
func TestRoleValueIsROLE(t *testing.T) {
	tn := newTestNode(t, DefaultConfig(), nil)
	for _, setup := range [][]string{{"PING"}, {"REPLICAOF", "m", "6379"}} {
		tn.do(setup...)
		got, err := tn.n.RoleValue()
		require.NoError(t, err)
		want, _, err := tn.n.AdminValue("ROLE")
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.NotEmpty(t, got.Array)
	}
}
