package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckClientReply(t *testing.T) {
	quiet := func(mode, reply string) Op {
		return Op{Kind: OpDel, Key: "k1", Node: "n1", Quiet: mode, QuietReply: reply, Unknown: true}
	}
	assert.Empty(t, CheckClientReply([]Op{
		quiet("OFF", "OK"), quiet("SKIP", QuietEcho),
		quiet("SKIP", ""), // the connection went before any reply
		quiet("SKIP", "NOAUTH Authentication required."),
		{Kind: OpDel, Key: "k1", Int: 1}, // not quiet
	}))
	for _, op := range []Op{quiet("SKIP", "1"), quiet("OFF", "0"), quiet("SKIP", "OK")} {
		vs := CheckClientReply([]Op{op})
		require.Len(t, vs, 1, op.QuietReply)
		assert.Equal(t, PropAccess, vs[0].Check)
	}
}
