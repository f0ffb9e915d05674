package interop

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listDataset fills c with lists on both sides of the node size (8 KB
// nodes, split inserts, trims) in two dbs.
func listDataset(t *testing.T, c *redistest.Conn) {
	long := strings.Repeat("interop-", 20)
	args := []string{"RPUSH", "big"}
	for i := 0; i < 3000; i++ {
		args = append(args, strconv.Itoa(i), long[:i%len(long)])
	}
	c.Do(t, args...)
	for i := 0; i < 300; i += 11 {
		c.Do(t, "LINSERT", "big", "AFTER", strconv.Itoa(i), long)
	}
	c.Do(t, "LTRIM", "big", "5", "-5")
	c.Do(t, "LPUSH", "small", "a", "1", "-2", "")
	c.Do(t, "SELECT", "2")
	c.Do(t, "RPUSH", "other", "x", "y")
	c.Do(t, "SELECT", "0")
}

// blockedPop sends BLPOP key 0 on a connection of its own and returns a
// function that reads want bytes of reply.
func blockedPop(t *testing.T, s *redistest.Server, key string) func(want int) string {
	nc, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	_, err = fmt.Fprintf(nc, "*3\r\n$5\r\nBLPOP\r\n$%d\r\n%s\r\n$1\r\n0\r\n", len(key), key)
	require.NoError(t, err)
	return func(want int) string {
		require.NoError(t, nc.SetReadDeadline(time.Now().Add(syncTimeout)))
		buf := make([]byte, want)
		_, err := io.ReadFull(nc, buf)
		require.NoError(t, err)
		return string(buf)
	}
}

// listReplicationSteps: full sync of lists, then list writes and a
// blocking pop served later stream to the replica, a cut link resumes by
// partial resync, and the digests agree.
func listReplicationSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	listDataset(t, mc)
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")

	read := blockedPop(t, master, "q")
	redistest.Eventually(t, syncTimeout, func() string {
		if got := mc.InfoField(t, "clients", "blocked_clients"); got != "1" {
			return redistest.Describe("blocked_clients %s", got)
		}
		return ""
	})
	mc.Do(t, "RPUSH", "q", "first", "second")
	reply := "*2\r\n$1\r\nq\r\n$5\r\nfirst\r\n"
	assert.Equal(t, reply, read(len(reply)))
	mc.Do(t, "LMPOP", "2", "none", "big", "RIGHT", "COUNT", "7")
	mc.Do(t, "LMOVE", "small", "moved", "LEFT", "RIGHT")
	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	mc.Do(t, "LSET", "big", "100", "changed")
	mc.Do(t, "LREM", "big", "0", "7")
	mc.Do(t, "SET", "done", "1")
	waitValue(t, rc, "done", "1")
	redistest.Eventually(t, syncTimeout, func() string {
		m, r := mc.Do(t, "DEBUG", "DIGEST").String(), rc.Do(t, "DEBUG", "DIGEST").String()
		if m != r {
			return redistest.Describe("master digest %s, replica %s", m, r)
		}
		return ""
	})
	assert.Equal(t, "(integer) 1", mc.Do(t, "LLEN", "q").String())
	assert.Equal(t, "1", mc.InfoField(t, "stats", "sync_partial_ok"))
}

func TestRealRedisReplicatesListsFromReplsim(t *testing.T) {
	master := startReplsim(t, "--save", "", "--repl-diskless-sync", "no")
	replica := startRedis(t, "--enable-debug-command", "yes")
	listReplicationSteps(t, master, replica)
}

func TestReplsimReplicatesListsFromRealRedis(t *testing.T) {
	master := startRedis(t, "--enable-debug-command", "yes")
	replica := startReplsim(t, "--save", "")
	listReplicationSteps(t, master, replica)
}
