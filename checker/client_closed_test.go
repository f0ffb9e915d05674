package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClosedUnanswered(t *testing.T) {
	quit := Op{ID: 3, Client: 1, Node: "n1", Kind: OpCmd, Args: []string{"PROTO", "quit"}, Mode: "PROTOX", Unknown: true,
		Call: 5e9, Return: 5e9 + 2e6, ClosedByNode: true}
	v := CheckClosedUnanswered([]Op{quit}, nil, nil)
	require.Len(t, v, 1, "QUIT closed without its +OK (mutant cmd_conn.go:60:2)")
	assert.Equal(t, PropClosedUnanswered, v[0].Check)
	assert.Contains(t, v[0].Detail, "without a reply")

	assert.Empty(t, CheckClosedUnanswered([]Op{quit}, []LogExit{{Node: "n1", At: 5e9 + 1e6}}, nil), "the process exited")
	assert.Len(t, CheckClosedUnanswered([]Op{quit}, []LogExit{{Node: "n2", At: 5e9 + 1e6}}, nil), 1, "another node exited")
	obuf := LogLine{Node: "n1", At: 5e9 + 1e6, Msg: "Client id=7 addr=c1:1 " + logObufClose}
	assert.Empty(t, CheckClosedUnanswered([]Op{quit}, nil, []LogLine{obuf}), "the reply overcame the output buffer limit")
	quit.ClosedByNode = false
	assert.Empty(t, CheckClosedUnanswered([]Op{quit}, nil, nil))
}
