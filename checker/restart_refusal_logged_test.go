package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefusalsLogged(t *testing.T) {
	refused := NodeEvent{At: 5e9, Kind: EventRestartFailed, Node: "n1",
		Detail: "Unexpected end of file reading the append only file appendonly.aof.2.incr.aof (last complete command ends at offset 0)"}
	line := LogLine{Node: "n1", At: 5e9, Msg: "Unexpected end of file reading the append only file appendonly.aof.2.incr.aof. You can: ..."}
	assert.Empty(t, CheckRefusalsLogged([]NodeEvent{refused}, []LogLine{line}))
	v := CheckRefusalsLogged([]NodeEvent{refused}, []LogLine{{Node: "n2", At: 5e9, Msg: "x"}, {Node: "n1", At: 4e9, Msg: "y"}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "refused to start at 5.000000s")
	assert.Empty(t, CheckRefusalsLogged([]NodeEvent{{At: 5e9, Kind: EventRestart, Node: "n1"}}, nil), "a start")
}
