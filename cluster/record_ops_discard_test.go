package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
)

// A transaction that ends with DISCARD: sent pipelined or one command at
// a time, its reply is DISCARD's +OK, and anything else is recorded as an
// unexpected reply (CheckFixedReplies reports it).
func TestDiscardTransaction(t *testing.T) {
	op := checker.Op{Kind: checker.OpTx, Discard: true, Sub: []checker.Op{{Kind: checker.OpSet, Key: "k", Value: "1", Args: []string{"SET", "k", "1"}}}}
	req, skip := encodeOp(&op)
	want := resp.AppendCommandStrings(resp.AppendCommandStrings(resp.AppendCommandStrings(nil, "MULTI"), "SET", "k", "1"), "DISCARD")
	assert.Equal(t, string(want), string(req))
	assert.Equal(t, 2, skip)
	parts := txRoundTrips(&op)
	assert.Equal(t, string(resp.AppendCommandStrings(nil, "DISCARD")), string(parts[len(parts)-1]))

	ok := op
	recordCommandReply(&ok, resp.Value{Kind: resp.SimpleString, Str: []byte("OK")})
	assert.Empty(t, ok.Err)
	ran := op
	recordCommandReply(&ran, resp.Value{Kind: resp.Array, Array: []resp.Value{{Kind: resp.SimpleString, Str: []byte("OK")}}})
	assert.Contains(t, ran.Err, checker.UnexpectedExec+"DISCARD answered")
	assert.Empty(t, checker.LinOps([]checker.Op{ok}), "a discarded transaction runs nothing")

	assert.Equal(t, "MULTI ; SET k 1 ; DISCARD", FormatCommand(&op))
}
