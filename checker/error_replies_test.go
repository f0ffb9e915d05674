package checker

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorRepliesToMaster(t *testing.T) {
	incr := LogLine{Node: "n2", At: 50, Msg: logErrorToMaster + "value is not an integer or out of range' after processing the command 'incr'"}
	proto := LogLine{Node: "n2", At: 50, Msg: logErrorToMaster + "Protocol error: invalid bulk length' after processing the command 'set'"}
	other := LogLine{Node: "n2", At: 50, Msg: "Latest backlog is: ''"}

	assert.Empty(t, errorRepliesToMaster([]LogLine{other}, math.MaxInt64))
	v := errorRepliesToMaster([]LogLine{incr}, math.MaxInt64)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "diverged")
	}
	assert.Empty(t, errorRepliesToMaster([]LogLine{incr}, 40), "a local write came first")
	assert.Len(t, errorRepliesToMaster([]LogLine{incr}, 60), 1, "the local write came later")
	v = errorRepliesToMaster([]LogLine{proto}, 40)
	if assert.Len(t, v, 1, "local writes do not excuse a stream that does not parse") {
		assert.Contains(t, v[0].Detail, "does not parse")
	}
}
