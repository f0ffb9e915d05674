package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The no-op line and the "Already connected" reply go together
// (mutant repl_replica.go:37:3 drops the line).
func TestCheckReplicaofNoops(t *testing.T) {
	lines := []LogLine{
		{Node: "n2", Format: logReplicaofNoop, Msg: logReplicaofNoop},
		{Node: "n2", Format: "REPLICAOF %s:%d enabled (user request from '%s')", Msg: "REPLICAOF n1:6379 enabled (...)"},
	}
	call := func(reply string, from, to int) OperatorCall {
		return OperatorCall{Node: "n2", Args: []string{"SLAVEOF", "n1", "6379"}, Answered: true, Reply: reply, LogFrom: from, LogTo: to}
	}
	assert.Empty(t, CheckReplicaofNoops(lines, []OperatorCall{call(replyAlreadyLinked, 0, 1), call("OK", 1, 2)}))
	v := CheckReplicaofNoops(lines, []OperatorCall{call(replyAlreadyLinked, 1, 2)})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "without the line")
	v = CheckReplicaofNoops(lines, []OperatorCall{call("OK", 0, 1)})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with another reply")
	unanswered := call(replyAlreadyLinked, 1, 2)
	unanswered.Answered = false
	assert.Empty(t, CheckReplicaofNoops(lines, []OperatorCall{unanswered}), "a call without a reply is not judged")
}
