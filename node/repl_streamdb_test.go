package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
	"github.com/replsim/replsim/vfs"
)

// syncReplica drives a replica through the handshake and a full resync
// with snap, then feeds it stream. It returns the replica.
func syncReplica(t *testing.T, snap *rdb.Snapshot, stream []byte) (*Node, *fakeEnv) {
	t.Helper()
	n, env := fullSync(t, DefaultConfig(), nil, snap, stream)
	require.True(t, n.Repl().LinkUp, "the replica should be streaming")
	return n, env
}

// fullSync is syncReplica with a config and a hook run before the RDB
// arrives.
func fullSync(t *testing.T, cfg Config, before func(*fakeEnv), snap *rdb.Snapshot, stream []byte) (*Node, *fakeEnv) {
	t.Helper()
	env := newFakeEnv(nil)
	cfg.Save = nil
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = "m", 6379
	n := New(cfg, env)
	require.NoError(t, n.Load())
	for i := 0; i < cfg.Hz; i++ {
		n.Tick() // the replication cron dials the master
	}
	link := env.Dial("m:6379")
	n.OnDialed(link, nil)
	n.OnData(link, []byte("+PONG\r\n"))
	n.OnData(link, []byte("+OK\r\n+OK\r\n"))
	require.Contains(t, string(env.sent[link]), "PSYNC")
	if before != nil {
		before(env)
	}
	payload := rdb.Append(nil, snap, rdb.Options{Checksum: true})
	msg := "+FULLRESYNC " + strings.Repeat("a", 40) + " 100\r\n$" + itoa(int64(len(payload))) + "\r\n"
	n.OnData(link, append(append([]byte(msg), payload...), stream...))
	return n, env
}

// A replica whose AOF cannot be turned on again after the full sync
// retries for ten seconds, then exits (restartAOFAfterSYNC), and does not
// trip over the link it closed while exiting.
func TestFullSyncAOFReopenFailureExits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AppendOnly, cfg.AppendFsync = true, "always"
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	n, env := fullSync(t, cfg, func(env *fakeEnv) {
		require.NoError(t, env.fs.AddInjector(&disksim.Injector{Name: "create", Ops: disksim.Ops(disksim.OpCreate),
			PathGlob: "appendonlydir/*", Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}))
	}, snap, resp.AppendCommandStrings(nil, "SET", "k", "v"))
	assert.True(t, n.Busy())
	for range 100 {
		env.now += 100e6
		n.Tick()
	}
	assert.True(t, n.Down())
	assert.True(t, env.logged("but the AOF can't be turned on. Exiting now."))
}

// A chained replica forwards its master's stream raw, so the stream after a
// full sync starts in whatever db it was in: the RDB's repl-stream-db says
// which, and the replica must apply the bare commands that follow there.
func TestFullSyncContinuesInReplStreamDB(t *testing.T) {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 1, strings.Repeat("a", 40), 100)}
	n, _ := syncReplica(t, snap, resp.AppendCommandStrings(nil, "SET", "k", "v"))
	assert.Equal(t, []tap.KeyValue{{DB: 1, Key: "k", Value: "v"}}, n.Dataset())
}

// A replica that serves a full sync writes the db its own master's stream
// is in as repl-stream-db.
func TestReplicaSnapshotCarriesItsStreamDB(t *testing.T) {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	stream := resp.AppendCommandStrings(nil, "SELECT", "3")
	stream = resp.AppendCommandStrings(stream, "SET", "k", "v")
	n, _ := syncReplica(t, snap, stream)
	got, ok := n.snapshot(true).AuxValue("repl-stream-db")
	require.True(t, ok)
	assert.Equal(t, "3", got)
}

// A MULTI block that reaches the replica in pieces is executed once: the
// commands queued from the first piece are not queued again when the next
// arrives (an APPEND in a transaction split across reads ran once per
// piece before — found by the chaos workload's transactions, e.g. seed 34).
func TestMultiBlockSplitAcrossReadsRunsOnce(t *testing.T) {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	n, env := syncReplica(t, snap, nil)
	var block []byte
	for _, cmd := range [][]string{{"MULTI"}, {"APPEND", "k", "a"}, {"INCR", "n"}, {"APPEND", "k", "b"}, {"EXEC"}} {
		block = resp.AppendCommandStrings(block, cmd...)
	}
	link := env.Dial("m:6379") // the fake env gives every dial the same connection
	for i := 0; i < len(block); i += 7 {
		n.OnData(link, block[i:min(i+7, len(block))])
	}
	assert.Equal(t, []tap.KeyValue{{Key: "k", Value: "ab"}, {Key: "n", Value: "1"}}, n.Dataset())
	assert.Equal(t, int64(100+len(block)), n.Repl().Offset, "the block counts once, when EXEC arrives")
}

// A replica whose load of its master's RDB failed after the AOF was
// stopped turns the AOF on again when it is promoted, as Redis's
// replicationUnsetMaster does: appendonly yes must not stay off on a
// master.
func TestPromotionRestartsAOFStoppedByFailedSync(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AppendOnly, cfg.AppendFsync = true, "always"
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100),
		DBs: []rdb.DB{{Index: cfg.Databases, Entries: []rdb.Entry{{Key: "k", Type: rdb.TypeString, Value: []byte("v")}}}}}
	n, env := fullSync(t, cfg, nil, snap, nil)
	require.True(t, env.logged("Failed trying to load the MASTER synchronization DB"))
	require.False(t, n.persist().aof.enabled(), "the failed load leaves the AOF stopped")
	c := env.Dial("c:1")
	n.OnAccept(c, "c:1")
	n.OnData(c, resp.AppendCommandStrings(nil, "REPLICAOF", "NO", "ONE"))
	assert.True(t, n.persist().aof.enabled(), "promotion turns the AOF on again")
	assert.True(t, env.logged("Background append only file rewriting started"))
}

// A transfer that fails or times out is cancelled with a reconnect at once
// (cancelReplicationHandshake(1)): "Reconnecting to MASTER h:p after
// failure", then a new attempt, without waiting for the cron; a failure
// in the handshake (an error reply to PING) waits for it.
func TestFailedTransferReconnectsAtOnce(t *testing.T) {
	const reconnect = "Reconnecting to MASTER m:6379 after failure"
	t.Run("timeout", func(t *testing.T) {
		n, env, link := handshakeToPsync(t)
		n.OnData(link, []byte("+FULLRESYNC "+strings.Repeat("a", 40)+" 100\r\n$100\r\nREDIS"))
		started := countLines(env.logs, "MASTER <-> REPLICA sync started")
		for i := 0; i < int(n.cfg.ReplTimeoutSec+2)*n.cfg.Hz && !env.logged(reconnect); i++ {
			env.now += 1e9 / int64(n.cfg.Hz)
			n.Tick()
		}
		require.True(t, env.logged("Timeout receiving bulk data from MASTER"))
		assert.Equal(t, []string{reconnect, "MASTER <-> REPLICA sync started"}, env.logs[len(env.logs)-2:],
			"the new attempt starts in the tick that cancelled the transfer")
		assert.Equal(t, started+1, countLines(env.logs, "MASTER <-> REPLICA sync started"))
	})
	t.Run("I/O error", func(t *testing.T) {
		n, env, link := handshakeToPsync(t)
		n.OnData(link, []byte("+FULLRESYNC "+strings.Repeat("a", 40)+" 100\r\n$0\r\n"))
		n.OnData(link, []byte("x"))
		require.True(t, env.logged("I/O error trying to sync with MASTER: connection lost"))
		assert.Equal(t, reconnect, env.logs[len(env.logs)-2])
	})
	t.Run("the master closes the link", func(t *testing.T) {
		// readSyncBulkPayload's read returns 0: "connection lost", then
		// cancelReplicationHandshake(1).
		n, env, link := handshakeToPsync(t)
		n.OnData(link, []byte("+FULLRESYNC "+strings.Repeat("a", 40)+" 100\r\n$100\r\nREDIS"))
		n.OnClosed(link, nil)
		require.True(t, env.logged("I/O error trying to sync with MASTER: connection lost"))
		assert.Equal(t, []string{reconnect, "MASTER <-> REPLICA sync started"}, env.logs[len(env.logs)-2:])
	})
	t.Run("handshake error", func(t *testing.T) {
		n, env, link := replicaDialed(t)
		n.OnData(link, []byte("-ERR no\r\n"))
		require.True(t, env.logged("Error reply to PING from master"))
		assert.False(t, env.logged(reconnect))
	})
}
