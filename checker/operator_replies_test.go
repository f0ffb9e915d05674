package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOperatorRepliesOnce(t *testing.T) {
	assert.Empty(t, CheckOperatorReplies(nil, nil))
	v := CheckOperatorReplies([]ExtraReply{{Node: "n1", Gen: 2, At: 3e9, Args: []string{"SAVE"}, Reply: "ERR", Extra: "+OK\r\n"}}, nil)
	if assert.Len(t, v, 1) {
		assert.Equal(t, "operator_reply", v[0].Check)
		assert.Equal(t, []string{"n1"}, v[0].Nodes)
		assert.Contains(t, fmt.Sprint(v), `n1 (incarnation 2): the operator's SAVE got ERR and then "+OK\r\n": Redis answers a command once`)
	}
}

func TestOperatorRepliesAsRedis(t *testing.T) {
	typo := OperatorExpect{Node: "n2", At: 1e9, Args: []string{"SLAVEOF", "n1", "0"}, Want: "+OK", Got: "+OK"}
	assert.Empty(t, CheckOperatorReplies(nil, []OperatorExpect{typo}))
	typo.Got = "-ERR Invalid master port"
	v := CheckOperatorReplies(nil, []OperatorExpect{typo})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "n2 answered the operator's SLAVEOF n1 0 with -ERR Invalid master port: Redis 7.0.15 answers +OK")
	}
}
