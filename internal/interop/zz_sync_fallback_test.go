package interop

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

func syncFallbackInfo(t *testing.T, start func(t *testing.T, args ...string) *redistest.Server) string {
	m := newScriptedMaster(t)
	srv := start(t, "--replicaof", "127.0.0.1", m.port())
	conn, err := m.ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	m.conn, m.r = conn, bufio.NewReader(conn)
	for done := false; !done; {
		var args []string
		if b, err := m.r.Peek(1); err == nil && b[0] != '*' {
			line, err := m.r.ReadString('\n')
			require.NoError(t, err)
			args = strings.Fields(line)
		} else {
			args = m.readCommand(t)
		}
		switch strings.ToUpper(args[0]) {
		case "PING":
			m.send(t, "+PONG\r\n")
		case "REPLCONF":
			m.send(t, "+OK\r\n")
		case "PSYNC":
			m.send(t, "-ERR unknown command 'PSYNC'\r\n")
		case "SYNC":
			id := strings.Repeat("a", 40)
			payload := rdb.Append(nil, &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, id, 0)}, rdb.Options{Checksum: true})
			m.send(t, "$"+strconv.Itoa(len(payload))+"\r\n"+string(payload))
			done = true
		}
	}
	ack := m.getAck(t, string(resp.AppendCommandStrings(nil, "SET", "k", "v")))
	c := srv.Dial(t)
	info := string(c.Do(t, "INFO", "replication").Str)
	var keep []string
	for _, l := range strings.Split(info, "\r\n") {
		if strings.HasPrefix(l, "master_replid") || strings.HasPrefix(l, "master_repl_offset") || strings.HasPrefix(l, "slave_repl_offset") || strings.HasPrefix(l, "repl_backlog_first") || strings.HasPrefix(l, "repl_backlog_histlen") {
			keep = append(keep, l)
		}
	}
	return fmt.Sprint(ack, keep)
}

func TestZZSyncFallback(t *testing.T) {
	t.Log("redis  ", syncFallbackInfo(t, startRedis))
	t.Log("replsim", syncFallbackInfo(t, startReplsim))
}
