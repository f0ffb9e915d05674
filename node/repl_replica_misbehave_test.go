package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// replicaDialed starts a replica of m:6379 whose cron has dialed its
// master; it returns the established link, before the PING's reply.
func replicaDialed(t *testing.T) (*Node, *fakeEnv, ConnID) {
	t.Helper()
	env := newFakeEnv(nil)
	cfg := DefaultConfig()
	cfg.Save = nil
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = "m", 6379
	n := New(cfg, env)
	require.NoError(t, n.Load())
	for i := 0; i < cfg.Hz; i++ {
		n.Tick()
	}
	link := env.Dial("m:6379")
	n.OnDialed(link, nil)
	return n, env, link
}

// handshakeToPsync starts a replica of m:6379 and takes it through the
// handshake; it returns the link, holding only the PSYNC the replica sent.
func handshakeToPsync(t *testing.T) (*Node, *fakeEnv, ConnID) {
	t.Helper()
	n, env, link := replicaDialed(t)
	n.OnData(link, []byte("+PONG\r\n"))
	env.sent[link] = nil
	n.OnData(link, []byte("+OK\r\n+OK\r\n"))
	return n, env, link
}

func bulkRDB(replid string, off int64, eof bool) []byte {
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, replid, off)}
	payload := rdb.Append(nil, snap, rdb.Options{Checksum: true})
	if eof {
		mark := strings.Repeat("e", 40)
		return append(append([]byte("$EOF:"+mark+"\r\n"), payload...), mark...)
	}
	return append([]byte("$"+itoa(int64(len(payload)))+"\r\n"), payload...)
}

// A +FULLRESYNC Redis cannot read (no offset) is still a full resync:
// Redis 7.0.15's slaveTryPartialResynchronization logs "Master replied
// with wrong +FULLRESYNC syntax.", blanks the master's replid and keeps
// the offset unknown (-1), and readSyncBulkPayload takes the transfer.
// The node used to drop the link instead (found by the fake master,
// cluster/fakemaster.go, seed 7).
func TestReplicaTakesTransferAfterBadFullResyncSyntax(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	assert.Equal(t, string(resp.AppendCommandStrings(nil, "PSYNC", "?", "-1")), string(env.sent[link]))
	id := strings.Repeat("b", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+"\r\n"))
	assert.True(t, env.logged("Master replied with wrong +FULLRESYNC syntax."))
	n.OnData(link, bulkRDB(id, 500, false))
	set := resp.AppendCommandStrings(nil, "SET", "k", "v")
	n.OnData(link, set)
	require.True(t, n.Repl().LinkUp)
	assert.Equal(t, []tap.KeyValue{{Key: "k", Value: "v"}}, n.Dataset())
	assert.Equal(t, "", n.Repl().ReplID)
	assert.Equal(t, int64(-1+len(set)), n.Repl().Offset)
}

// A well-formed +FULLRESYNC's offset is strtoll's, as Redis reads it.
func TestReplicaFullResyncOffsetIsStrtoll(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("c", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 77abc\r\n"))
	assert.True(t, env.logged("Full resync from master: "+id+":77"))
	n.OnData(link, bulkRDB(id, 77, true))
	require.True(t, n.Repl().LinkUp)
	assert.Equal(t, id, n.Repl().ReplID)
	assert.Equal(t, int64(77), n.Repl().Offset)
}

// Inline text on the master's stream is a protocol error: Redis logs the
// warning, and freeClient does not cache a master freed for a protocol
// error (CLIENT_PROTOCOL_ERROR), so the next sync is "PSYNC ? -1", from
// the cron. The node used to cache it and resume the stream it had just
// called corrupt (found by the fake master, seed 8).
func TestReplicaDiscardsMasterAfterInlineProtocol(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("d", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	n.OnData(link, bulkRDB(id, 10, false))
	n.OnData(link, append(resp.AppendCommandStrings(nil, "SET", "k", "v"), "\n\r\nPING\r\n"...))
	assert.True(t, env.logged("WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master."))
	assert.True(t, env.logged("Connection with master lost."))
	assert.False(t, env.logged("Caching the disconnected master state."))
	assert.True(t, env.logged("Protocol error (Master using the inline protocol. Desync?) from client: id="), "setProtocolError logs a master's at warning level")
	assert.True(t, env.logged(" flags=M db=0 "))
	assert.True(t, env.logged(". Query buffer during protocol error: 'PING..'"))
	assert.False(t, env.logged("== CRITICAL =="), "no error reply for inline text")
	assert.Equal(t, []tap.KeyValue{{Key: "k", Value: "v"}}, n.Dataset())
	// The blank lines before the inline text are not counted: no command
	// came after them (TestBlankLineInMasterStreamAcksAsRedis).
	assert.Equal(t, int64(10+len(resp.AppendCommandStrings(nil, "SET", "k", "v"))), n.Repl().Offset)
	for i := 0; i < 10; i++ {
		n.Tick()
	}
	link2 := env.Dial("m:6379")
	env.sent[link2] = nil
	n.OnDialed(link2, nil)
	n.OnData(link2, []byte("+PONG\r\n"))
	env.sent[link2] = nil
	n.OnData(link2, []byte("+OK\r\n+OK\r\n"))
	assert.Equal(t, string(resp.AppendCommandStrings(nil, "PSYNC", "?", "-1")), string(env.sent[link2]))
}

// A malformed bulk header on the master's stream: Redis replies an error
// the master never gets, logs it with the newest backlog bytes, then logs
// the protocol error with the input from the bad header on (what a
// redis-server 7.0.15 replica of a hand-made master logged).
func TestReplicaLogsMasterStreamProtocolError(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("e", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	n.OnData(link, bulkRDB(id, 10, false))
	n.OnData(link, append(resp.AppendCommandStrings(nil, "SET", "k", "v"), "*1\r\n$x\r\n"...))
	assert.True(t, env.logged("== CRITICAL == This replica is sending an error to its master: 'Protocol error: invalid bulk length' after processing the command 'set'"))
	assert.True(t, env.logged(`Latest backlog is: '"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"'`))
	assert.True(t, env.logged("Protocol error (invalid bulk length) from client: id="))
	assert.True(t, env.logged(". Query buffer during protocol error: '$x..'"))
	assert.True(t, env.logged("Connection with master lost."))
	assert.False(t, n.Repl().LinkUp)
}

// A command from the master that fails on the replica: Redis sends no
// reply but logs it, with the backlog before the command, and counts it
// (what a redis-server 7.0.15 replica of a hand-made master logged for
// INCR and LPUSH on a string).
func TestReplicaLogsErrorReplyToMaster(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("f", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	n.OnData(link, bulkRDB(id, 10, false))
	n.OnData(link, resp.AppendCommandStrings(nil, "SET", "k", "v"))
	n.OnData(link, resp.AppendCommandStrings(nil, "INCR", "k"))
	assert.True(t, env.logged("== CRITICAL == This replica is sending an error to its master: 'value is not an integer or out of range' after processing the command 'incr'"))
	assert.True(t, env.logged(`Latest backlog is: '"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"'`))
	n.OnData(link, resp.AppendCommandStrings(nil, "LPUSH", "k", "x"))
	assert.True(t, env.logged("== CRITICAL == This replica is sending an error to its master: '-WRONGTYPE Operation against a key holding the wrong kind of value' after processing the command 'lpush'"))
	assert.True(t, n.Repl().LinkUp, "the link stays")
	info := n.Info(false, map[string]bool{"stats": true})
	assert.Contains(t, info, "unexpected_error_replies:2\r\n")
	assert.Contains(t, info, "total_error_replies:2\r\n")
}

// After SYNC the stream's offset is unknown (-1): Redis flags the master
// CLIENT_PRE_PSYNC and its cron sends it no REPLCONF ACK
// (replicationCron); a GETACK is still answered (replicationSendAck).
// The node used to ACK it once a second (found by the fake master).
func TestReplicaSendsNoPeriodicAckAfterSync(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	n.OnData(link, []byte("-ERR unknown command 'PSYNC'\r\n"))
	n.OnData(link, bulkRDB(strings.Repeat("e", 40), 0, false))
	set := resp.AppendCommandStrings(nil, "SET", "k", "v")
	n.OnData(link, set)
	require.True(t, n.Repl().LinkUp)
	env.sent[link] = nil
	for i := 0; i < 30; i++ {
		n.Tick()
	}
	assert.Empty(t, string(env.sent[link]), "no periodic ACK to a pre-PSYNC master")
	n.OnData(link, resp.AppendCommandStrings(nil, "REPLCONF", "GETACK", "*"))
	assert.Equal(t, string(resp.AppendCommandStrings(nil, "REPLCONF", "ACK", itoa(int64(-1+len(set))))), string(env.sent[link]))
}

// After a +FULLRESYNC with an offset the cron ACKs once a second.
func TestReplicaAcksPeriodicallyAfterFullResync(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("f", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	n.OnData(link, bulkRDB(id, 10, false))
	env.sent[link] = nil
	for i := 0; i < 10; i++ {
		n.Tick()
	}
	assert.Equal(t, string(resp.AppendCommandStrings(nil, "REPLCONF", "ACK", "10")), string(env.sent[link]))
}

// Redis times a handshake out repl-timeout after connectWithMaster began
// the connection (it sets repl_transfer_lastio there, and again on each
// reply receiveSynchronousResponse reads), not after the connection came
// up: syncWithMaster's connect event only sends PING. The node used to
// restart the clock when the dial completed, so a dial that took 50 s and
// a master that never answered PING timed out 110 s after the start.
func TestReplicaHandshakeTimeoutCountsFromConnectStart(t *testing.T) {
	env := newFakeEnv(nil)
	cfg := DefaultConfig()
	cfg.Save = nil
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = "m", 6379
	n := New(cfg, env)
	require.NoError(t, n.Load())
	for i := 0; i < cfg.Hz; i++ {
		n.Tick()
	}
	require.True(t, env.logged("MASTER <-> REPLICA sync started"))
	start := env.now
	env.now += 50e9
	link := env.Dial("m:6379")
	n.OnDialed(link, nil)
	require.Equal(t, string(resp.AppendCommandStrings(nil, "PING")), string(env.sent[link]))
	for env.now < start+int64(cfg.ReplTimeoutSec+2)*1e9 {
		env.now += 100e6
		n.Tick()
	}
	assert.True(t, env.logged("Timeout connecting to the MASTER..."))
}

// The bulk length is strtol's (readSyncBulkPayload): "$abc" and an EOF
// mark shorter than 40 bytes read as 0, "$-5" as -5, and Redis takes
// them. Such a transfer reads nothing: with the master silent after the
// header, the cron ends it after repl-timeout without I/O. The node used
// to refuse them with a line Redis never writes ("Bad RDB length from
// MASTER").
func TestReplicaBulkLengthIsStrtol(t *testing.T) {
	for header, size := range map[string]int64{"$abc": 0, "$0": 0, "$-5": -5, "$EOF:0123456789abcdef": 0} {
		n, env, link := handshakeToPsync(t)
		id := strings.Repeat("e", 40)
		n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"+header+"\r\n"))
		assert.True(t, env.logged("MASTER <-> REPLICA sync: receiving "+itoa(size)+" bytes from master to disk"), header)
		env.now += 1e9
		n.Tick()
		info := n.Info(false, map[string]bool{"replication": true})
		assert.Contains(t, info, "master_sync_in_progress:1\r\nmaster_sync_total_bytes:"+itoa(size)+"\r\nmaster_sync_read_bytes:0\r\n", header)
		assert.Contains(t, info, "master_sync_last_io_seconds_ago:1\r\n", header)
		for i := int64(0); i < 10*(n.cfg.ReplTimeoutSec+1); i++ {
			env.now += 1e8
			n.Tick()
		}
		assert.True(t, env.logged("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."), header)
		assert.False(t, env.logged("Bad RDB length"), header)
	}
}

// A byte after such a header ends the transfer at once: Redis asks read()
// for min(left, 16 KiB) bytes, left being 0 or negative. Of 0 bytes,
// read() returns 0, which connSocketRead takes for the master's close; a
// negative count is a size_t Linux refuses with EFAULT. redis-server
// 7.0.15 behind a scripted master, a PING half a second after the header:
// "I/O error trying to sync with MASTER: connection lost" after "$0",
// "$abc" and "$EOF:0123456789abcdef", "... Bad address" after "$-5". The
// node used to drop what came after a length of 0 and read on past a
// negative one, until repl-timeout.
func TestReplicaBytesAfterEmptyOrNegativeLength(t *testing.T) {
	for header, why := range map[string]string{"$abc": "connection lost", "$0": "connection lost", "$EOF:0123456789abcdef": "connection lost",
		"$-5": "Bad address"} {
		n, env, link := handshakeToPsync(t)
		id := strings.Repeat("e", 40)
		n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"+header+"\r\n"))
		require.False(t, env.logged("I/O error trying to sync with MASTER: "+why), header)
		env.now += 5e8
		n.OnData(link, resp.AppendCommandStrings(nil, "PING"))
		assert.True(t, env.logged("I/O error trying to sync with MASTER: "+why), header)
		assert.True(t, env.closed[link], header)
		assert.Contains(t, n.Info(false, map[string]bool{"replication": true}), "master_sync_in_progress:0\r\n", header)
	}
	// "$-1" leaves Redis's repl_transfer_size at -1, its value before a
	// header: the next line is read as the header.
	n, env, link := handshakeToPsync(t)
	n.OnData(link, []byte("+FULLRESYNC "+strings.Repeat("e", 40)+" 10\r\n$-1\r\n"))
	assert.True(t, env.logged("MASTER <-> REPLICA sync: receiving -1 bytes from master to disk"))
	n.OnData(link, resp.AppendCommandStrings(nil, "PING"))
	assert.True(t, env.logged("Bad protocol from MASTER, the first byte is not '$' (we received '*1'), are you sure the host and port are right?"))
	n, env, link = handshakeToPsync(t)
	id := strings.Repeat("e", 40)
	n.OnData(link, append([]byte("+FULLRESYNC "+id+" 10\r\n$-1\r\n"), bulkRDB(id, 10, false)...))
	assert.True(t, n.Repl().LinkUp, "a good header after it")
	// In the header's own packet too: Redis reads the header line byte by
	// byte, and what follows keeps the socket readable.
	n, env, link = handshakeToPsync(t)
	n.OnData(link, []byte("+FULLRESYNC "+strings.Repeat("e", 40)+" 10\r\n$0\r\nREDIS0009"))
	assert.True(t, env.logged("I/O error trying to sync with MASTER: connection lost"))
}

// An EOF mark longer than 40 bytes is its first 40 (Redis's memcpy of
// CONFIG_RUN_ID_SIZE bytes): the transfer ends at those.
func TestReplicaLongEOFMark(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("f", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	mark := strings.Repeat("m", 40)
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, id, 10)}
	payload := rdb.Append(nil, snap, rdb.Options{Checksum: true})
	n.OnData(link, append(append([]byte("$EOF:"+mark+"xyz\r\n"), payload...), mark...))
	assert.True(t, env.logged("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"))
	assert.True(t, n.Repl().LinkUp)
}

// Before the bulk header, "\r\n" is a keepalive as "\n" is
// (readSyncBulkPayload reads an empty line; redis-server 7.0.15 behind a
// scripted master goes on to the transfer). The node used to take it for
// a bad protocol.
func TestReplicaTakesCRLFKeepaliveBeforeTheBulk(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	id := strings.Repeat("d", 40)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n"))
	n.OnData(link, []byte("\r\n\n\r\n"))
	n.OnData(link, bulkRDB(id, 10, false))
	assert.False(t, env.logged("Bad protocol from MASTER, the first byte is not '$' (we received ''), are you sure the host and port are right?"))
	assert.True(t, n.Repl().LinkUp)

	n, env, link = handshakeToPsync(t)
	n.OnData(link, []byte("+FULLRESYNC "+id+" 10\r\n\r\r\n"))
	assert.True(t, env.logged("Bad protocol from MASTER, the first byte is not '$' (we received '\r'), are you sure the host and port are right?"),
		"syncReadLine drops one \\r only")
}

// A blank line where the PING's reply should be is an error reply: Redis
// 7.0.15's syncWithMaster takes anything but "+..." (and the two
// authentication errors) for one, and drops the link. The node used to
// wait for the next line.
func TestReplicaBlankPingReplyIsAnError(t *testing.T) {
	for _, reply := range []string{"\n", "\r\n", "hello\r\n"} {
		n, env, link := replicaDialed(t)
		n.OnData(link, []byte(reply+"+PONG\r\n"))
		shown := strings.TrimRight(reply, "\r\n")
		assert.True(t, env.logged("Error reply to PING from master: '"+shown+"'"), "%q", reply)
		assert.False(t, env.logged("Master replied to PING, replication can continue..."), "%q", reply)
		assert.False(t, n.Repl().LinkUp)
	}
	n, env, link := replicaDialed(t)
	n.OnData(link, []byte("-NOAUTH Authentication required.\r\n"))
	assert.True(t, env.logged("Master replied to PING, replication can continue..."), "an authentication error lets the handshake go on")
}
