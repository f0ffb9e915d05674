package interop

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

// scriptedMaster accepts one replica on a loopback port, answers its
// handshake with +FULLRESYNC and an empty RDB, and then sends what the
// test writes.
type scriptedMaster struct {
	ln   net.Listener
	conn net.Conn
	r    *bufio.Reader
}

func newScriptedMaster(t *testing.T) *scriptedMaster {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return &scriptedMaster{ln: ln}
}

func (m *scriptedMaster) port() string {
	return strconv.Itoa(m.ln.Addr().(*net.TCPAddr).Port)
}

// readCommand reads one multibulk command from the replica.
func (m *scriptedMaster) readCommand(t *testing.T) []string {
	t.Helper()
	require.NoError(t, m.conn.SetReadDeadline(time.Now().Add(syncTimeout)))
	line, err := m.r.ReadString('\n')
	require.NoError(t, err)
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
	require.NoError(t, err, "header %q", line)
	args := make([]string, n)
	for i := range args {
		head, err := m.r.ReadString('\n')
		require.NoError(t, err)
		size, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, "$")))
		require.NoError(t, err, "bulk header %q", head)
		buf := make([]byte, size+2)
		_, err = io.ReadFull(m.r, buf)
		require.NoError(t, err)
		args[i] = string(buf[:size])
	}
	return args
}

// handshake takes the replica's connection, answers its PING and
// REPLCONFs, and hands its PSYNC (or SYNC) to sync.
func (m *scriptedMaster) handshake(t *testing.T, sync func(args []string)) {
	t.Helper()
	conn, err := m.ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	m.conn, m.r = conn, bufio.NewReader(conn)
	for {
		args := m.readCommand(t)
		switch strings.ToUpper(args[0]) {
		case "PING":
			m.send(t, "+PONG\r\n")
		case "REPLCONF":
			m.send(t, "+OK\r\n")
		case "PSYNC", "SYNC":
			sync(args)
			return
		default:
			t.Fatalf("unexpected handshake command %q", args)
		}
	}
}

// emptyRDB is an RDB with no keys and replication ID id at offset 0.
func emptyRDB(id string) []byte {
	return rdb.Append(nil, &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, id, 0)}, rdb.Options{Checksum: true})
}

// serveFullSync takes the replica's connection and handshake and sends it
// a full resync at offset 0 with an empty dataset.
func (m *scriptedMaster) serveFullSync(t *testing.T) {
	t.Helper()
	m.handshake(t, func([]string) {
		id := strings.Repeat("a", 40)
		payload := emptyRDB(id)
		m.send(t, "+FULLRESYNC "+id+" 0\r\n$"+strconv.Itoa(len(payload))+"\r\n"+string(payload))
	})
}

func (m *scriptedMaster) send(t *testing.T, p string) {
	t.Helper()
	_, err := m.conn.Write([]byte(p))
	require.NoError(t, err)
}

// getAck sends REPLCONF GETACK * and returns the offset of the ACK that
// answers it (skipping the periodic ACKs that may come first).
func (m *scriptedMaster) getAck(t *testing.T, before string) int64 {
	t.Helper()
	m.send(t, before+string(resp.AppendCommandStrings(nil, "REPLCONF", "GETACK", "*")))
	want := int64(-1)
	for i := 0; i < 20 && want < 0; i++ {
		args := m.readCommand(t)
		require.Equal(t, "REPLCONF", strings.ToUpper(args[0]))
		require.Len(t, args, 3)
		off, err := strconv.ParseInt(args[2], 10, 64)
		require.NoError(t, err)
		if off > 0 {
			want = off
		}
	}
	return want
}

// blankStreamAcks is what a replica ACKs when its master's stream holds a
// blank line: a SET, then "\r\n" and a GETACK, then a second SET and a
// GETACK.
func blankStreamAcks(t *testing.T, start func(t *testing.T, args ...string) *redistest.Server) (first, second int64) {
	m := newScriptedMaster(t)
	start(t, "--replicaof", "127.0.0.1", m.port())
	m.serveFullSync(t)
	set := string(resp.AppendCommandStrings(nil, "SET", "k", "v"))
	first = m.getAck(t, set+"\r\n")
	second = m.getAck(t, set)
	return first, second
}

// A blank line in the master's stream (argc 0) is consumed without
// moving the replica's offset: Redis 7.0.15's processInputBuffer only
// resets the client for it, and commandProcessed, which sets reploff from
// the read position, runs after the next real command. So the GETACK
// right after the blank line acks the stream before it, and the next one
// counts it. replsim answers as redis-server does.
func TestBlankLineInMasterStreamAcksAsRedis(t *testing.T) {
	rf, rs := blankStreamAcks(t, startRedis)
	ff, fs := blankStreamAcks(t, startReplsim)
	assert.Equal(t, [2]int64{rf, rs}, [2]int64{ff, fs}, "(first, second) GETACK answers: redis-server, replsim")
}
