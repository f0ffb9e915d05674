package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOperatorRepliesOnce(t *testing.T) {
	assert.Empty(t, CheckOperatorReplies(nil))
	v := CheckOperatorReplies([]ExtraReply{{Node: "n1", Gen: 2, At: 3e9, Args: []string{"SAVE"}, Reply: "ERR", Extra: "+OK\r\n"}})
	if assert.Len(t, v, 1) {
		assert.Equal(t, "operator_reply", v[0].Check)
		assert.Equal(t, []string{"n1"}, v[0].Nodes)
		assert.Contains(t, fmt.Sprint(v), `n1 (incarnation 2): the operator's SAVE got ERR and then "+OK\r\n": Redis answers a command once`)
	}
}
