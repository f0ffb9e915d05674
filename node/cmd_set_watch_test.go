package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// SMOVE of a member the destination holds already leaves the destination
// unchanged: a client watching it still gets its EXEC through (Redis's
// unit/type/set "SMOVE only notify dstset when the addition is
// successful").
func TestSmoveIntoHeldMemberKeepsWatch(t *testing.T) {
	tn := startNode(t, DefaultConfig(), nil)
	other := &testNode{t: tn.t, env: tn.env, n: tn.n, conn: 8}
	tn.n.OnAccept(other.conn, "127.0.0.1:5001")
	tn.do("SADD", "src", "a", "b")
	tn.do("SADD", "dst", "a")
	tn.do("WATCH", "dst")
	tn.do("MULTI")
	tn.do("SADD", "dst", "c")
	assert.Equal(t, "(integer) 1", other.do("SMOVE", "src", "dst", "a"))
	assert.Equal(t, "1) (integer) 1", tn.do("EXEC"))
	assert.Equal(t, "(integer) 2", tn.do("SCARD", "dst"))
}
