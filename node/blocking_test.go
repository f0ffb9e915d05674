package node_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blockedCount is INFO's blocked_clients.
func blockedCount(e *cmdEnv) string {
	info := e.do("INFO", "clients")
	i := strings.Index(info, "blocked_clients:")
	require.GreaterOrEqual(e.t, i, 0)
	line := info[i+len("blocked_clients:"):]
	return line[:strings.Index(line, "\r\n")]
}

func TestBlockedPopServedByPush(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "BLPOP", "a", "k", "0"))
	require.Empty(t, e.h.DoString(w, "GET", "after"), "input waits while blocked")
	assert.Equal(t, "1", blockedCount(e))
	e.expect("LPUSH k x y", ":2\r\n")
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\ny\r\n$-1\r\n", string(e.h.Env.Take(w)), "served, then the pipelined GET")
	assert.Equal(t, "0", blockedCount(e))
	assert.Equal(t, []string{"LPUSH k x y", "LPOP k"}, e.propagated())
	e.expect("LRANGE k 0 -1", "*1\r\n$1\r\nx\r\n")
}

func TestBlockedClientsServedInOrder(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	c1, c2, c3 := e.h.Conn(), e.h.Conn(), e.h.Conn()
	require.Empty(t, e.h.DoString(c1, "BRPOP", "k", "0"))
	require.Empty(t, e.h.DoString(c2, "BLMPOP", "0", "2", "other", "k", "LEFT", "COUNT", "5"))
	require.Empty(t, e.h.DoString(c3, "BLPOP", "k", "0"))
	e.expect("RPUSH k a b c", ":3\r\n")
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\nc\r\n", string(e.h.Env.Take(c1)))
	assert.Equal(t, "*2\r\n$1\r\nk\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", string(e.h.Env.Take(c2)))
	assert.Empty(t, e.h.Env.Take(c3), "the list was emptied and deleted")
	assert.Equal(t, []string{"RPUSH k a b c", "RPOP k", "LPOP k 2"}, e.propagated())
	e.expect("EXISTS k", ":0\r\n")
	assert.Equal(t, "1", blockedCount(e))
	e.expect("RPUSH k d", ":1\r\n")
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\nd\r\n", string(e.h.Env.Take(c3)))
}

func TestBlockedMoveChains(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	c1, c2 := e.h.Conn(), e.h.Conn()
	require.Empty(t, e.h.DoString(c1, "BLMOVE", "src", "mid", "LEFT", "RIGHT", "0"))
	require.Empty(t, e.h.DoString(c2, "BRPOPLPUSH", "mid", "dst", "0"))
	e.expect("LPUSH src v", ":1\r\n")
	assert.Equal(t, "$1\r\nv\r\n", string(e.h.Env.Take(c1)))
	assert.Equal(t, "$1\r\nv\r\n", string(e.h.Env.Take(c2)))
	assert.Equal(t, []string{"LPUSH src v", "LMOVE src mid left right", "RPOPLPUSH mid dst"}, e.propagated())
	e.expect("LRANGE dst 0 -1", "*1\r\n$1\r\nv\r\n", "EXISTS src mid", ":0\r\n")
}

func TestBlockedMoveWrongTypeDestination(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	c1 := e.h.Conn()
	require.Empty(t, e.h.DoString(c1, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"))
	e.expect("SET dst x", "+OK\r\n", "LPUSH src v", ":1\r\n")
	assert.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", string(e.h.Env.Take(c1)))
	assert.Equal(t, []string{"SET dst x", "LPUSH src v"}, e.propagated())
	assert.Equal(t, "0", blockedCount(e))
}

func TestBlockedPopTimesOut(t *testing.T) {
	e := newCmdEnv(t)
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "BLPOP", "k", "1.5"))
	e.h.Env.Advance(1400 * time.Millisecond)
	e.h.Tick()
	assert.Empty(t, e.h.Env.Take(w))
	e.h.Env.Advance(100 * time.Millisecond)
	e.h.Tick()
	assert.Empty(t, e.h.Env.Take(w), "at its deadline: Redis times a client out once the clock is past it")
	e.h.Env.Advance(time.Millisecond)
	e.h.Tick()
	assert.Equal(t, "*-1\r\n", string(e.h.Env.Take(w)))
	require.Empty(t, e.h.DoString(w, "BLMOVE", "k", "d", "LEFT", "LEFT", "0.001"))
	e.h.Env.Advance(2 * time.Millisecond)
	e.h.Tick()
	assert.Equal(t, "*-1\r\n", string(e.h.Env.Take(w)), "a timed-out BLMOVE answers a null array, as in Redis")
}

func TestBlockingCommandsInsideMultiDoNotBlock(t *testing.T) {
	e := newCmdEnv(t)
	e.expect("MULTI", "+OK\r\n", "BLPOP k 0", "+QUEUED\r\n", "BLMOVE k d LEFT LEFT 0", "+QUEUED\r\n",
		"BLMPOP 0 1 k LEFT", "+QUEUED\r\n", "EXEC", "*3\r\n*-1\r\n$-1\r\n*-1\r\n")
	assert.Equal(t, "0", blockedCount(e))
}

func TestClientUnblock(t *testing.T) {
	e := newCmdEnv(t)
	w := e.h.Conn()
	id := strings.TrimSpace(strings.TrimPrefix(e.h.DoString(w, "CLIENT", "ID"), ":"))
	require.Empty(t, e.h.DoString(w, "BLPOP", "k", "0"))
	e.expect("CLIENT UNBLOCK "+id+" bogus", "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n",
		"CLIENT UNBLOCK x", "-ERR value is not an integer or out of range\r\n",
		"CLIENT UNBLOCK "+id, ":1\r\n", "CLIENT UNBLOCK "+id, ":0\r\n")
	assert.Equal(t, "*-1\r\n", string(e.h.Env.Take(w)))
	require.Empty(t, e.h.DoString(w, "BRPOPLPUSH", "k", "d", "0"))
	e.expect("CLIENT UNBLOCK "+id+" ERROR", ":1\r\n")
	assert.Equal(t, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", string(e.h.Env.Take(w)))
	assert.Equal(t, "0", blockedCount(e))
}

func TestBlockedClientGoneAndRoleChange(t *testing.T) {
	e := newCmdEnv(t)
	w1, w2 := e.h.Conn(), e.h.Conn()
	require.Empty(t, e.h.DoString(w1, "BLPOP", "k", "0"))
	require.Empty(t, e.h.DoString(w2, "BLPOP", "k", "0"))
	e.h.CloseConn(w1)
	assert.Equal(t, "1", blockedCount(e))
	e.expect("REPLICAOF 127.0.0.1 1", "+OK\r\n")
	assert.Equal(t, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n", string(e.h.Env.Take(w2)))
	assert.True(t, e.h.Env.Closed(w2))
	assert.Equal(t, "0", blockedCount(e))
}

func TestBlockedOnKeyMadeByRename(t *testing.T) {
	e := newCmdEnv(t)
	w := e.h.Conn()
	require.Equal(t, "+OK\r\n", e.h.DoString(w, "SELECT", "2"))
	require.Empty(t, e.h.DoString(w, "BLPOP", "k", "0"))
	e.expect("SELECT 2", "+OK\r\n", "RPUSH tmp a", ":1\r\n")
	assert.Empty(t, e.h.Env.Take(w))
	e.expect("RENAME tmp k", "+OK\r\n")
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\na\r\n", string(e.h.Env.Take(w)))
}

func TestBlockedClientNotServedByExpiredKey(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	w := e.h.Conn()
	e.expect("DEBUG SET-ACTIVE-EXPIRE 0", "+OK\r\n")
	require.Empty(t, e.h.DoString(w, "BRPOP", "k", "0"))
	assert.Contains(t, e.do("CLIENT", "LIST"), "flags=b ")
	e.expect("MULTI", "+OK\r\n", "RPUSH k hello", "+QUEUED\r\n", "PEXPIRE k 100", "+QUEUED\r\n")
	e.h.Env.Advance(200 * time.Millisecond)
	e.expect("EXEC", "*2\r\n:1\r\n:1\r\n")
	// PEXPIRE ran at the EXEC's time, so the key lives 100 ms more: served.
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$5\r\nhello\r\n", string(e.h.Env.Take(w)))
	require.Empty(t, e.h.DoString(w, "BRPOP", "k", "0"))
	e.expect("MULTI", "+OK\r\n", "RPUSH k v", "+QUEUED\r\n", "PEXPIREAT k 1", "+QUEUED\r\n", "EXEC", "*2\r\n:1\r\n:1\r\n")
	assert.Empty(t, e.h.Env.Take(w), "the key was deleted at once: nobody is served")
	assert.Equal(t, "1", blockedCount(e))
	got := e.propagated()
	require.Len(t, got, 9)
	assert.Equal(t, []string{"MULTI", "RPUSH k hello"}, got[:2])
	assert.Equal(t, []string{"EXEC", "RPOP k", "MULTI", "RPUSH k v", "DEL k", "EXEC"}, got[len(got)-6:])
}

func TestListKeysInGenericCommands(t *testing.T) {
	e := newCmdEnv(t)
	e.expect("RPUSH l a b", ":2\r\n", "SET s x", "+OK\r\n", "HSET h f v", ":1\r\n",
		"SCAN 0 TYPE list", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nl\r\n",
		"TYPE l", "+list\r\n", "OBJECT ENCODING l", "$9\r\nquicklist\r\n",
		"EXPIRE l 100", ":1\r\n", "RENAME l l2", "+OK\r\n", "TTL l2", ":100\r\n",
		"LRANGE l2 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "DEL l2", ":1\r\n", "EXISTS l2", ":0\r\n")
}

func TestWaitingClientUnblockedOnRoleChange(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "WAIT", "5", "0"))
	assert.Equal(t, "1", blockedCount(e))
	e.expect("REPLICAOF 127.0.0.1 1", "+OK\r\n")
	assert.Equal(t, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n", string(e.h.Env.Take(w)))
	assert.True(t, e.h.Env.Closed(w))
	assert.Equal(t, "0", blockedCount(e))
}

// SWAPDB serves the clients blocked on a key the swap brings into their
// db, whichever of the two dbs they are in and of whichever type they
// wait for (scanDatabaseForReadyKeys after dbSwapDatabases), as
// redis-server 7.0.15 does: blocked BLPOP l (db 0), BLPOP l2 (db 1) and
// BZPOPMIN z (db 0); db 1 gets l and z, db 0 l2; SWAPDB 0 1 answers the
// three of them.
func TestSwapdbServesBlockedClients(t *testing.T) {
	e := newCmdEnv(t)
	c1, c2, c3, other := e.h.Conn(), e.h.Conn(), e.h.Conn(), e.h.Conn()
	require.Empty(t, e.h.DoString(c1, "BLPOP", "l", "0"))
	require.Equal(t, "+OK\r\n", e.h.DoString(c2, "SELECT", "1"))
	require.Empty(t, e.h.DoString(c2, "BLPOP", "l2", "0"))
	require.Empty(t, e.h.DoString(c3, "BZPOPMIN", "z", "0"))
	require.Equal(t, "+OK\r\n", e.h.DoString(other, "SELECT", "3"))
	require.Empty(t, e.h.DoString(other, "BLPOP", "l", "0"), "db 3 is not swapped")
	e.expect("SELECT 1", "+OK\r\n", "RPUSH l x y", ":2\r\n", "ZADD z 1 m", ":1\r\n", "SELECT 0", "+OK\r\n", "RPUSH l2 q", ":1\r\n")
	assert.Equal(t, "4", blockedCount(e))
	e.expect("SWAPDB 0 1", "+OK\r\n")
	assert.Equal(t, "*2\r\n$1\r\nl\r\n$1\r\nx\r\n", string(e.h.Env.Take(c1)))
	assert.Equal(t, "*2\r\n$2\r\nl2\r\n$1\r\nq\r\n", string(e.h.Env.Take(c2)))
	assert.Equal(t, "*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n", string(e.h.Env.Take(c3)))
	assert.Empty(t, e.h.Env.Take(other))
	assert.Equal(t, "1", blockedCount(e))
	e.expect("LRANGE l 0 -1", "*1\r\n$1\r\ny\r\n", "EXISTS z l2", ":0\r\n", "SELECT 1", "+OK\r\n", "EXISTS l l2 z", ":0\r\n")
}

// CLIENT UNBLOCK of a client blocked on keys: TIMEOUT answers what its
// timeout would (a null array, for BLMOVE too), ERROR the UNBLOCKED error;
// a client not blocked (any more) answers 0 (redis-server 7.0.15).
func TestClientUnblockOfBlockedPops(t *testing.T) {
	e := newCmdEnv(t)
	c1, c2 := e.h.Conn(), e.h.Conn()
	id := func(c node.ConnID) string {
		v, ok := e.h.Node.ClientIDOf(c)
		require.True(t, ok)
		return strconv.FormatInt(v, 10)
	}
	require.Empty(t, e.h.DoString(c1, "BLMOVE", "a", "b", "LEFT", "LEFT", "0"))
	require.Empty(t, e.h.DoString(c2, "BZPOPMAX", "z", "0"))
	e.expect("CLIENT UNBLOCK "+id(c1)+" TIMEOUT", ":1\r\n", "CLIENT UNBLOCK "+id(c1)+" TIMEOUT", ":0\r\n")
	assert.Equal(t, "*-1\r\n", string(e.h.Env.Take(c1)))
	e.expect("CLIENT UNBLOCK "+id(c2)+" error", ":1\r\n")
	assert.Equal(t, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", string(e.h.Env.Take(c2)))
	e.expect("CLIENT UNBLOCK "+id(c2), ":0\r\n", "RPUSH a v", ":1\r\n", "ZADD z 1 m", ":1\r\n", "DBSIZE", ":2\r\n")
	_, ok := e.h.Node.ClientIDOf(node.ConnID(1 << 40))
	assert.False(t, ok, "no such connection")
}
