package node

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// schedEnv is fakeEnv with a driver that can call the node back.
type schedEnv struct {
	*fakeEnv
	wakeups int
}

func (e *schedEnv) InputPending() { e.wakeups++ }

// A MULTI block whose bytes reach the replica in two events is queued and
// executed once, and the offset moves only at EXEC.
func TestStreamMultiSplitAcrossEvents(t *testing.T) {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	n, _ := syncReplica(t, snap, nil)
	link := n.repl.link.conn
	var stream []byte
	stream = resp.AppendCommandStrings(stream, "MULTI")
	stream = resp.AppendCommandStrings(stream, "INCR", "x")
	stream = resp.AppendCommandStrings(stream, "INCR", "x")
	cut := len(stream)
	stream = resp.AppendCommandStrings(stream, "INCR", "x")
	stream = resp.AppendCommandStrings(stream, "EXEC")
	n.OnData(link, stream[:cut])
	assert.Equal(t, int64(100), n.repl.offset, "nothing counts inside MULTI")
	n.OnData(link, stream[cut:])
	assert.Equal(t, []tap.KeyValue{{Key: "x", Value: "3"}}, n.Dataset())
	assert.Equal(t, int64(100+len(stream)), n.repl.offset)
}

// Every way of cutting a stream into two events applies the same commands.
func TestStreamAnyCut(t *testing.T) {
	var stream []byte
	stream = resp.AppendCommandStrings(stream, "SET", "a", "1")
	stream = resp.AppendCommandStrings(stream, "MULTI")
	stream = resp.AppendCommandStrings(stream, "INCR", "a")
	stream = resp.AppendCommandStrings(stream, "EXEC")
	stream = resp.AppendCommandStrings(stream, "APPEND", "a", strings.Repeat("z", 100))
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	for cut := 0; cut <= len(stream); cut++ {
		n, _ := syncReplica(t, snap, nil)
		link := n.repl.link.conn
		n.OnData(link, stream[:cut])
		n.OnData(link, stream[cut:])
		require.Equal(t, []tap.KeyValue{{Key: "a", Value: "2" + strings.Repeat("z", 100)}}, n.Dataset(), "cut %d", cut)
		require.Equal(t, int64(100+len(stream)), n.repl.offset, "cut %d", cut)
	}
}

// A master that sends inline text is cut off, as Redis does.
func TestStreamInlineFromMasterDropsLink(t *testing.T) {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	n, env := syncReplica(t, snap, nil)
	link := n.repl.link.conn
	n.OnData(link, []byte("\r\n\n"))
	require.True(t, n.Repl().LinkUp, "keepalive newlines are fine")
	n.OnData(link, []byte("SET a b\r\n"))
	assert.False(t, n.Repl().LinkUp)
	assert.Empty(t, n.Dataset())
	assert.True(t, env.logged("Receiving inline protocol from master"))
}

// With a driver that can call back, one event looks at no more than the
// budget of a client's input; the rest waits for ProcessPendingInput, and
// the replies come out the same and in order.
func TestInputBudgetYields(t *testing.T) {
	env := &schedEnv{fakeEnv: newFakeEnv(nil)}
	n := New(DefaultConfig(), env)
	env.node = n
	c := ConnID(7)
	n.OnAccept(c, "127.0.0.1:1")
	var in, want []byte
	for i := 0; len(in) < 5*inputBudget; i++ {
		in = resp.AppendCommandStrings(in, "INCR", "k")
		want = resp.AppendInt(want, int64(i+1))
	}
	n.OnData(c, in)
	assert.Equal(t, 1, env.wakeups)
	assert.Less(t, len(env.sent[c]), len(want)/4, "the first event stops at the budget")
	for rounds := 0; n.HasPendingInput(); rounds++ {
		require.Less(t, rounds, 10)
		n.ProcessPendingInput()
	}
	assert.Equal(t, string(want), string(env.sent[c]))
	assert.Empty(t, n.clients[c].in, "all input consumed")
}

// A request that arrives a few bytes at a time costs time linear in its
// size: the node never parses it again from its first byte.
func TestHugeRequestInSmallPieces(t *testing.T) {
	env := &schedEnv{fakeEnv: newFakeEnv(nil)}
	n := New(DefaultConfig(), env)
	env.node = n
	c := ConnID(7)
	n.OnAccept(c, "127.0.0.1:1")
	args := []string{"MSET"}
	for i := range 20000 {
		k := "k" + strconv.Itoa(i)
		args = append(args, k, k)
	}
	in := resp.AppendCommandStrings(nil, args...)
	for off := 0; off < len(in); off += 7 {
		n.OnData(c, in[off:min(off+7, len(in))])
		for n.HasPendingInput() {
			n.ProcessPendingInput()
		}
	}
	assert.Equal(t, "+OK\r\n", string(env.sent[c]))
	assert.Equal(t, 20000, len(n.Dataset()))
	cl := n.clients[c]
	assert.Nil(t, cl.in, "the grown input buffer is released")
	assert.Nil(t, cl.argv, "the grown argument table is released")
}

// A bulk longer than the budget still completes: waiting for its payload
// costs nothing per byte, so the budget does not cut it.
func TestInputBudgetBigBulk(t *testing.T) {
	env := &schedEnv{fakeEnv: newFakeEnv(nil)}
	n := New(DefaultConfig(), env)
	env.node = n
	c := ConnID(7)
	n.OnAccept(c, "127.0.0.1:1")
	val := strings.Repeat("v", 10*inputBudget)
	in := resp.AppendCommandStrings(nil, "SET", "big", val)
	in = resp.AppendCommandStrings(in, "STRLEN", "big")
	for off := 0; off < len(in); off += 16 * 1024 {
		n.OnData(c, in[off:min(off+16*1024, len(in))])
		for rounds := 0; n.HasPendingInput(); rounds++ {
			require.Less(t, rounds, 100, "no progress")
			n.ProcessPendingInput()
		}
	}
	assert.Equal(t, "+OK\r\n:"+strconv.Itoa(len(val))+"\r\n", string(env.sent[c]))
}
