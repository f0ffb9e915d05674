package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every watch transaction the family draws reads back from its text form.
func TestWatchOpsReadBack(t *testing.T) {
	r := sim.NewWorld(7).Rand("test")
	modes := map[string]bool{}
	for i := 0; i < 200; i++ {
		op := checker.Op{Key: "k" + string(rune('0'+i%8))}
		drawWatch(r, &op, 8)
		for j := range op.Sub {
			if op.Sub[j].Kind == checker.OpCmd {
				cmdKeys(&op.Sub[j], 0)
			}
			if op.Sub[j].Args == nil {
				op.Sub[j].Args = commandArgs(&op.Sub[j])
			}
		}
		op.Args = watchArgs(&op)
		modes[op.Mode] = true
		l, err := ParseOps("t", "c1 "+FormatCommand(&op)+"\n")
		require.NoError(t, err, FormatCommand(&op))
		assert.Equal(t, inputOf(&op), l.Ops[0].Op, FormatCommand(&op))
	}
	assert.True(t, modes[checker.TxWatch] && modes[checker.TxUnwatch])
}

func TestCasValue(t *testing.T) {
	assert.Equal(t, "8", casValue(&checker.Op{Exists: true, Result: "7"}))
	assert.Equal(t, "1", casValue(&checker.Op{}))
	assert.Equal(t, "1", casValue(&checker.Op{Exists: true, Result: "v7"}))
	assert.Equal(t, "1", casValue(&checker.Op{Exists: true, Result: "7", Err: "WRONGTYPE"}))
}

// EXEC's reply: results (it ran: Int 1), nil (the WATCH aborted it, or
// never after UNWATCH), an error.
func TestRecordWatchExec(t *testing.T) {
	mk := func(mode string) *checker.Op {
		return &checker.Op{Kind: checker.OpTx, Mode: mode, Sub: []checker.Op{
			{Kind: checker.OpGet, Key: "k", Args: []string{"GET", "k"}},
			{Kind: checker.OpSet, Key: "k", Value: "1", Args: []string{"SET", "k", "1"}}}}
	}
	ok := resp.Value{Kind: resp.Array, Array: []resp.Value{{Kind: resp.SimpleString, Str: []byte("OK")}}}
	nilArr := resp.Value{Kind: resp.Array, Null: true}
	op := mk(checker.TxWatch)
	recordCommandReply(op, ok)
	assert.Equal(t, int64(1), op.Int)
	assert.Empty(t, op.Err)
	op = mk(checker.TxWatch)
	recordCommandReply(op, nilArr)
	assert.Equal(t, int64(0), op.Int)
	assert.Empty(t, op.Err)
	op = mk(checker.TxUnwatch)
	recordCommandReply(op, nilArr)
	assert.Contains(t, op.Err, checker.UnexpectedExec, "EXEC after UNWATCH is never nil")
	op = mk(checker.TxWatch)
	recordCommandReply(op, resp.Value{Kind: resp.Error, Str: []byte("EXECABORT x")})
	assert.Equal(t, "EXECABORT x", op.Err)
}

// The client sets the CAS's value from GET's reply before sending it, and
// checks the reply to a WATCH inside MULTI.
func TestWatchPassedOver(t *testing.T) {
	run := func(mode string, replies ...resp.Value) (checker.Op, []string) {
		op := checker.Op{Kind: checker.OpTx, Mode: mode, Sub: []checker.Op{
			{Kind: checker.OpGet, Key: "k", Args: []string{"GET", "k"}},
			{Kind: checker.OpSet, Key: "k", Value: "1", Args: []string{"SET", "k", "1"}}}}
		op.Args = watchArgs(&op)
		c := &simClient{h: &Cluster{masterOps: []checker.Op{op}}}
		c.parts = watchRoundTrips(&op)[1:]
		var sent []string
		for _, v := range replies {
			c.watchPassedOver(v)
			p, _, err := resp.ParseValue(c.parts[0])
			require.NoError(t, err)
			sent = append(sent, p.String())
			c.parts = c.parts[1:]
		}
		return c.h.masterOps[0], sent
	}
	ok := resp.Value{Kind: resp.SimpleString, Str: []byte("OK")}
	seven := resp.Value{Kind: resp.BulkString, Str: []byte("7")}
	refused := resp.Value{Kind: resp.Error, Str: []byte(errWatchInMulti)}
	queued := resp.Value{Kind: resp.SimpleString, Str: []byte("QUEUED")}
	op, sent := run(checker.TxWatch, ok, seven, ok)
	assert.Equal(t, "8", op.Sub[1].Value)
	assert.True(t, op.Sub[0].Exists)
	assert.Contains(t, sent[2], "SET")
	assert.Contains(t, sent[2], "8")
	op, _ = run(checker.TxRewatch, ok, ok, seven, ok)
	assert.Equal(t, "8", op.Sub[1].Value)
	op, _ = run(checker.TxWatchInMulti, ok, seven, ok, refused, queued)
	assert.Empty(t, op.Err)
	op, _ = run(checker.TxWatchInMulti, ok, seven, ok, ok, queued)
	assert.Contains(t, op.Err, checker.UnexpectedExec+"WATCH inside MULTI answered")
}
