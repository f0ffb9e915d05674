package checker

import (
	"testing"

	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamTransactions(t *testing.T) {
	cmd := func(args ...string) []byte { return resp.AppendCommandStrings(nil, args...) }
	var good []byte
	for _, c := range [][]string{{"SELECT", "0"}, {"MULTI"}, {"SET", "a", "1"}, {"SELECT", "1"}, {"INCR", "b"}, {"EXEC"}, {"PING"}, {"SET", "c", "2"}} {
		good = append(good, cmd(c...)...)
	}
	chunks := func(data []byte) []StreamChunk {
		// Two chunks, split inside the transaction.
		return []StreamChunk{{Seq: 1, Node: "n1", ReplID: "R", Start: 1, Data: data[:30]}, {Seq: 2, Node: "n1", ReplID: "R", Start: 31, Data: data[30:]}}
	}
	assert.Empty(t, CheckStreamTransactions(chunks(good)))

	var one []byte
	for _, c := range [][]string{{"SELECT", "0"}, {"MULTI"}, {"SELECT", "1"}, {"SET", "a", "1"}, {"EXEC"}} {
		one = append(one, cmd(c...)...)
	}
	vs := CheckStreamTransactions(chunks(one))
	require.Len(t, vs, 1, "a single command wrapped")
	assert.Contains(t, vs[0].Detail, "n1's stream under R wraps 1 command(s) in MULTI/EXEC")

	nested := append(append(append([]byte(nil), cmd("MULTI")...), good...), cmd("EXEC")...)
	vs = CheckStreamTransactions(chunks(nested))
	require.NotEmpty(t, vs)
	assert.Contains(t, vs[0].Detail, "nests a MULTI in a MULTI")

	replica := chunks(one)
	for i := range replica {
		replica[i].Replica = true
	}
	assert.Empty(t, CheckStreamTransactions(replica), "a replica's chunks are its master's business")
}
