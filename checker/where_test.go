package checker

import (
	"testing"

	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamKeys(t *testing.T) {
	var p []byte
	p = resp.AppendCommandStrings(p, "SELECT", "1")
	p = resp.AppendCommandStrings(p, "MULTI")
	p = resp.AppendCommandStrings(p, "SET", "k6", "613")
	p = resp.AppendCommandStrings(p, "SET", "k3", "399")
	p = resp.AppendCommandStrings(p, "INCR", "k6")
	p = resp.AppendCommandStrings(p, "EXEC")
	p = resp.AppendCommandStrings(p, "PING")
	assert.Equal(t, []string{"k6", "k3"}, streamKeys(p))
	assert.Equal(t, []string{"k6"}, streamKeys(append(resp.AppendCommandStrings(nil, "DEL", "k6"), "*3\r\n$3\r\nSE"...)),
		"a command cut short ends the list")
	assert.Empty(t, streamKeys([]byte("garbage")))
}

func TestDiffKeys(t *testing.T) {
	assert.Equal(t, []string{"a", "c", "d"}, diffKeys(kvs("a", "1", "b", "2", "c", "3"), kvs("b", "2", "c", "4", "d", "5"), 5))
	assert.Equal(t, []string{"a", "c"}, diffKeys(kvs("a", "1", "b", "2", "c", "3"), kvs("b", "2", "c", "4", "d", "5"), 2))
	assert.Empty(t, diffKeys(kvs("a", "1"), kvs("a", "1"), 5))
}

// The checkers say where a violation is, besides their words; the words
// stay as they were.
func TestViolationsSayWhere(t *testing.T) {
	vs := CheckConvergence(nodeState("n1", mst, "k", "1", "j", "2"), nodeState("n2", rep, "k", "2", "j", "2"))
	require.Len(t, vs, 1)
	assert.Equal(t, []string{"n2", "n1"}, vs[0].Nodes)
	assert.Equal(t, []string{"k"}, vs[0].Keys)
	assert.Equal(t, []int64{100, 100}, vs[0].Offsets)
	assert.Equal(t, "R", vs[0].ReplID)

	op := Op{Client: 3, Node: "n2", Kind: OpSet, Key: "k1", Value: "v", Call: 10, Return: 20}
	acc := CheckAccess(AccessInput{Ops: []Op{op}, Roles: []RoleChange{{At: 0, Node: "n2", Role: "slave"}}})
	require.Len(t, acc, 1)
	assert.Equal(t, []OpRef{{Client: 3, Call: 10}}, acc[0].Ops)
	assert.Equal(t, []string{"k1"}, acc[0].Keys)
	assert.Equal(t, int64(20), acc[0].At)
	assert.Contains(t, acc[0].Detail, "client 3, SET k1")
}
