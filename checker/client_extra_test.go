package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtraReplies(t *testing.T) {
	ops := []Op{
		{ID: 0, Client: 1, Node: "n2", Kind: OpCmd, Args: []string{"WAIT", "1", "0"}, Err: "ERR WAIT cannot be used with replica instances."},
		{ID: 1, Client: 1, Node: "n2", Kind: OpGet, Key: "k1", Exists: true, Result: "v"},
	}
	assert.Empty(t, CheckExtraReplies(ops), "one reply each")

	ops[0].Extra = "0"
	v := CheckExtraReplies(ops)
	require.Len(t, v, 1)
	assert.Equal(t, PropExtraReply, v[0].Check)
	assert.Contains(t, v[0].Detail, `got a second reply, "0"`)
	assert.Equal(t, []OpRef{ops[0].Ref()}, v[0].Ops)
}
