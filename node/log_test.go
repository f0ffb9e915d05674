package node_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// The replica's side of a full sync and of a link loss, line by line as
// Redis 7.0.15 logs them (interop's TestSyncLogLinesMatchRedis compares
// them with a real server).
func TestReplicaSyncLogLines(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	link := linkUp(t, h, c)
	h.CloseConn(link)
	logs := h.Env.Logs()
	id := strings.Repeat("a", 40)
	require.GreaterOrEqual(t, len(logs), 20)
	assert.Equal(t, []string{
		"Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
		"Connecting to MASTER m:6379",
		"MASTER <-> REPLICA sync started",
	}, logs[:3])
	assert.Regexp(t, `^REPLICAOF m:6379 enabled \(user request from 'id=1 addr=127\.0\.0\.1:\d+ .* cmd=replicaof .*'\)$`, logs[3])
	assert.Equal(t, []string{
		"Non blocking connect for SYNC fired the event.",
		"Master replied to PING, replication can continue...",
	}, logs[4:6])
	assert.Regexp(t, `^Trying a partial resynchronization \(request [0-9a-f]{40}:1\)\.$`, logs[6])
	assert.Equal(t, []string{
		"Full resync from master: " + id + ":100",
	}, logs[7:8])
	assert.Regexp(t, `^MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk$`, logs[8])
	assert.Equal(t, []string{
		"Discarding previously cached master state.",
		"MASTER <-> REPLICA sync: Flushing old data",
		"MASTER <-> REPLICA sync: Loading DB in memory",
		"Loading RDB produced by version 7.0.15",
	}, logs[9:13])
	assert.Regexp(t, `^RDB age \d+ seconds$`, logs[13])
	assert.Equal(t, []string{
		"RDB memory usage when created 0.00 Mb",
		"Done loading RDB, keys loaded: 0, keys expired: 0.",
		"MASTER <-> REPLICA sync: Finished with success",
		"Connection with master lost.",
		"Caching the disconnected master state.",
		"Reconnecting to MASTER m:6379",
		"MASTER <-> REPLICA sync started",
	}, logs[14:21])
}

// The master's side of a full sync (disk target), a partial resync and a
// lost replica.
func TestMasterSyncLogLines(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplDisklessSync = false
	h := nodetest.New(t, cfg)
	r := h.Conn()
	h.Do(r, "REPLCONF", "listening-port", "7777")
	h.Do(r, "REPLCONF", "capa", "eof", "capa", "psync2")
	out := h.DoString(r, "PSYNC", "?", "-1")
	require.True(t, strings.HasPrefix(out, "+FULLRESYNC "))
	replid := strings.Fields(out)[1]
	h.CloseConn(r)
	r2 := h.Conn()
	h.Do(r2, "REPLCONF", "listening-port", "7777")
	require.True(t, strings.HasPrefix(h.DoString(r2, "PSYNC", replid, "1"), "+CONTINUE"))
	r3 := h.Conn()
	h.DoString(r3, "PSYNC", strings.Repeat("b", 40), "1")

	logs := h.Env.Logs()
	require.Len(t, logs, 18)
	assert.Equal(t, "Replica 127.0.0.1:7777 asks for synchronization", logs[0])
	assert.Equal(t, "Full resync requested by replica 127.0.0.1:7777", logs[1])
	assert.Regexp(t, `^Replication backlog created, my new replication IDs are '[0-9a-f]{40}' and '0{40}'$`, logs[2])
	assert.Equal(t, "Starting BGSAVE for SYNC with target: disk", logs[3])
	assert.Regexp(t, `^Background saving started by pid \d+$`, logs[4])
	assert.Equal(t, []string{
		"DB saved on disk",
		"Background saving terminated with success",
		"Synchronization with replica 127.0.0.1:7777 succeeded",
		"Connection with replica 127.0.0.1:7777 lost.",
		"Replica 127.0.0.1:7777 asks for synchronization",
		"Partial resynchronization request from 127.0.0.1:7777 accepted. Sending 0 bytes of backlog starting from offset 1.",
	}, logs[5:11])
	assert.Regexp(t, `^Replica 127\.0\.0\.1:<unknown-replica-port> asks for synchronization$`, logs[11])
	assert.Equal(t, "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '"+strings.Repeat("b", 40)+"', my replication IDs are '"+replid+"' and '0000000000000000000000000000000000000000')", logs[12])
}

// loadCorruptedRDB saves a dump of one key, lets corrupt change its
// bytes, and loads them in a new node: its log and the load's error.
func loadCorruptedRDB(t *testing.T, corrupt func(data []byte)) ([]string, error) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "key", "some value"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SAVE"))
	data, err := h.Env.FS().ReadFile("dump.rdb")
	require.NoError(t, err)
	corrupt(data)
	env := nodetest.NewEnv(2)
	f, err := env.FS().Create("dump.rdb")
	require.NoError(t, err)
	_, err = f.Write(data)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	err = node.New(node.DefaultConfig(), env).Load()
	return env.Logs(), err
}

// A corrupt RDB stops the load with Redis's lines, and Load's error says
// it was logged.
func TestCorruptRDBLogLines(t *testing.T) {
	logs, err := loadCorruptedRDB(t, func(data []byte) {
		i := strings.Index(string(data), "some value")
		require.Positive(t, i)
		data[i] ^= 0x20
	})
	require.Error(t, err)
	assert.True(t, node.Logged(err))
	require.Len(t, logs, 5)
	assert.Equal(t, "Loading RDB produced by version 7.0.15", logs[0])
	assert.Regexp(t, `^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$`, logs[3])
	assert.Equal(t, "Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error", logs[4])
}

// A diskless sync puts the replica online as the transfer ends, before its
// first ACK: Redis's updateSlavesWaitingBgsave calls replicaPutOnline,
// which logs it, right after "Streamed RDB transfer ..."; the ACK only
// starts the stream (replicaStartCommandStream, silent).
func TestMasterDisklessSyncOnlineBeforeACK(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplDisklessSync = true
	cfg.ReplDisklessSyncDelay = 0
	h := nodetest.New(t, cfg)
	r := h.Conn()
	h.Do(r, "REPLCONF", "listening-port", "7777")
	h.Do(r, "REPLCONF", "capa", "eof", "capa", "psync2")
	require.True(t, strings.HasPrefix(h.DoString(r, "PSYNC", "?", "-1"), "+FULLRESYNC "))
	for i := 0; i < 20 && !strings.Contains(strings.Join(h.Env.Logs(), "\n"), "Streamed RDB"); i++ {
		h.Tick()
	}
	logs := h.Env.Logs()
	require.GreaterOrEqual(t, len(logs), 2)
	assert.Equal(t, []string{
		"Streamed RDB transfer with replica 127.0.0.1:7777 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming",
		"Synchronization with replica 127.0.0.1:7777 succeeded",
	}, logs[len(logs)-2:], "no ACK sent yet")
	h.Do(r, "REPLCONF", "ACK", "0")
	assert.Equal(t, logs, h.Env.Logs(), "the ACK logs nothing")
}

// A master link closed during the handshake fails the attempt with
// Redis's lines (receiveSynchronousResponse's read fails; syncWithMaster,
// slaveTryPartialResynchronization): "Failed to read response from the
// server: %s", then "Master did not reply to PSYNC, will try later" while
// PSYNC's reply is due, "Master did not respond to command during SYNC
// handshake" before. A link the node drops itself logs no such line.
func TestReplicaHandshakeLinkClosedLogLines(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replies []string
		err     error
		want    []string
	}{
		{"psync", []string{"+PONG\r\n", "+OK\r\n+OK\r\n"}, nil,
			[]string{"Failed to read response from the server: Success", "Master did not reply to PSYNC, will try later"}},
		{"replconf", []string{"+PONG\r\n"}, errors.New("connection reset"),
			[]string{"Failed to read response from the server: connection reset", "Master did not respond to command during SYNC handshake"}},
		{"ping", nil, nil,
			[]string{"Failed to read response from the server: Success", "Master did not respond to command during SYNC handshake"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := nodetest.New(t, node.DefaultConfig())
			c := h.Conn()
			require.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "m", "6379"))
			dials := h.Env.Dials()
			link := dials[len(dials)-1].ID
			h.Node.OnDialed(link, nil)
			for _, r := range tc.replies {
				h.Node.OnData(link, []byte(r))
			}
			before := len(h.Env.Logs())
			h.Node.OnClosed(link, tc.err)
			assert.Equal(t, tc.want, h.Env.Logs()[before:])
		})
	}
	// REPLICAOF drops the handshake's link itself: no line of a failed read.
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "m", "6379"))
	dials := h.Env.Dials()
	h.Node.OnDialed(dials[len(dials)-1].ID, nil)
	require.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "m2", "6379"))
	for _, l := range h.Env.Logs() {
		assert.NotContains(t, l, "Failed to read response")
	}
}

// A flipped bit that turns the SELECTDB opcode into EOF makes Redis read
// the next 8 bytes as the checksum, after it logged the AUX fields: the
// bytes after those 8 are never read (gate seed 3000262).
func TestEarlyEOFRDBLogsAuxFirst(t *testing.T) {
	logs, err := loadCorruptedRDB(t, func(data []byte) {
		i := strings.Index(string(data), "\xfe\x00\xfb")
		require.Positive(t, i)
		data[i] = 0xFF // SELECTDB (0xFE) with its low bit flipped: EOF
	})
	require.Error(t, err)
	assert.True(t, node.Logged(err))
	require.Len(t, logs, 5)
	assert.Equal(t, "Loading RDB produced by version 7.0.15", logs[0])
	assert.Regexp(t, `^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$`, logs[3])
}
