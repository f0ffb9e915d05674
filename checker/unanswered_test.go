package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckUnanswered(t *testing.T) {
	timedOut := Op{Kind: OpDel, Key: "k1", Node: "n1", Client: 2, Call: 100, Return: 2100, Unknown: true}
	assert.Empty(t, CheckUnanswered([]Op{timedOut, {Kind: OpDel, Key: "k1", Int: 1}}),
		"a timeout with a fault in the way is not judged")
	dropped := timedOut
	dropped.Unanswered = true
	vs := CheckUnanswered([]Op{timedOut, dropped})
	require.Len(t, vs, 1)
	assert.Equal(t, PropLiveness, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "owed the open connection nothing")
	assert.Equal(t, []string{"n1"}, vs[0].Nodes)
}
