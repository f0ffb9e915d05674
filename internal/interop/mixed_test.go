package interop

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// fillMixed writes every type, small and big, on both sides of each
// encoding threshold of Redis 7.0's defaults: int/embstr/raw strings,
// listpack and hashtable hashes (by count and by value length), listpack
// and multi-node quicklists, intset and hashtable sets, listpack and
// skiplist sorted sets; some with a TTL, some in another db.
func fillMixed(t *testing.T, c *redistest.Conn) {
	many := func(cmd, key string, n int, pair bool, elem func(i int) string) {
		args := []string{cmd, key}
		for i := 0; i < n; i++ {
			if pair {
				args = append(args, strconv.Itoa(i%17)+"."+strconv.Itoa(i))
			}
			args = append(args, elem(i))
		}
		c.Do(t, args...)
	}
	word := func(i int) string { return "e" + strconv.Itoa(i) }
	c.Do(t, "SET", "str:int", "12345")
	c.Do(t, "SET", "str:emb", "hello")
	c.Do(t, "SET", "str:raw", strings.Repeat("r", 100))
	c.Do(t, "HSET", "hash:lp", "f1", "v1", "f2", "2")
	c.Do(t, "HSET", "hash:longval", "f", strings.Repeat("v", 65))
	many("HSET", "hash:ht", 129, false, func(i int) string { return "f" + strconv.Itoa(i) + " v" })
	c.Do(t, "HSET", "hash:ht", "fx", "vx")
	many("RPUSH", "list:lp", 10, false, word)
	many("RPUSH", "list:ql", 3000, false, func(i int) string { return strings.Repeat("x", i%40) + strconv.Itoa(i) })
	c.Do(t, "RPUSH", "list:bigelem", strings.Repeat("B", 9000), "small")
	many("SADD", "set:is", 512, false, strconv.Itoa)
	many("SADD", "set:isbig", 513, false, strconv.Itoa)
	c.Do(t, "SADD", "set:str", "a", "b", "1")
	many("ZADD", "zset:lp", 128, true, word)
	many("ZADD", "zset:sl", 129, true, word)
	c.Do(t, "ZADD", "zset:longm", "1", strings.Repeat("m", 65))
	c.Do(t, "PEXPIRE", "hash:lp", "100000000")
	c.Do(t, "PEXPIRE", "list:ql", "100000000")
	c.Do(t, "SELECT", "2")
	c.Do(t, "RPUSH", "l2", "a", "b")
	c.Do(t, "ZADD", "z2", "1", "a")
	c.Do(t, "SELECT", "0")
}

// mixedSteps full-syncs a mixed dataset, streams a write of each type
// (blocking pops served later included), resumes after CLIENT KILL by
// partial resync, and compares DEBUG DIGEST and encodings after each step.
func mixedSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	fillMixed(t, mc)
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	waitDigest(t, mc, rc)
	for _, k := range []string{"hash:lp", "hash:longval", "hash:ht", "list:lp", "list:ql", "set:is", "set:isbig", "set:str", "zset:lp", "zset:sl", "zset:longm", "str:int", "str:emb", "str:raw"} {
		assert.Equal(t, mc.Do(t, "OBJECT", "ENCODING", k).String(), rc.Do(t, "OBJECT", "ENCODING", k).String(), k)
	}

	mc.Do(t, "HSET", "hash:lp", "f3", "v3")
	mc.Do(t, "LPOP", "list:ql", "5")
	mc.Do(t, "LINSERT", "list:lp", "BEFORE", "e3", "new")
	mc.Do(t, "SPOP", "set:isbig", "3")
	mc.Do(t, "SMOVE", "set:str", "set:is", "1")
	mc.Do(t, "ZPOPMAX", "zset:sl", "2")
	mc.Do(t, "SORT", "list:lp", "ALPHA", "STORE", "list:sorted")
	waitDigest(t, mc, rc)

	// Read the counters before the kill: the replica may reconnect and
	// resume before a read that followed it.
	partial := infoInt(t, mc, "stats", "sync_partial_ok")
	full := infoInt(t, mc, "stats", "sync_full")
	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	mc.Do(t, "ZADD", "zset:lp", "0.5", "mid")
	mc.Do(t, "RPUSH", "list:lp", "tail")
	mc.Do(t, "HDEL", "hash:ht", "f0 v")
	waitLink(t, rc, "up")
	waitDigest(t, mc, rc)
	redistest.Eventually(t, syncTimeout, func() string {
		if got := infoInt(t, mc, "stats", "sync_partial_ok"); got != partial+1 {
			return redistest.Describe("sync_partial_ok %d, want %d", got, partial+1)
		}
		return ""
	})
	assert.Equal(t, full, infoInt(t, mc, "stats", "sync_full"), "the replica resumed by a full resync")
}

// blockedSteps: a client blocked on the master is served by a later write;
// the replica sees the pop as its non-blocking form.
func blockedSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	bz, bl := master.Dial(t), master.Dial(t)
	zr := sendAsync(bz, "BZMPOP", "0", "1", "zb", "MAX", "COUNT", "2")
	lr := sendAsync(bl, "BLPOP", "lb", "0")
	redistest.Eventually(t, syncTimeout, func() string {
		if got := mc.InfoField(t, "clients", "blocked_clients"); got != "2" {
			return redistest.Describe("blocked_clients %s", got)
		}
		return ""
	})
	mc.Do(t, "ZADD", "zb", "1", "a", "2", "b", "3", "c")
	mc.Do(t, "RPUSH", "lb", "x", "y")
	assert.Equal(t, "*2\r\n$2\r\nzb\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", string(<-zr))
	assert.Equal(t, "*2\r\n$2\r\nlb\r\n$1\r\nx\r\n", string(<-lr))
	waitDigest(t, mc, rc)
	assert.Equal(t, "1) \"a\"", rc.Do(t, "ZRANGE", "zb", "0", "-1").String())
}

// sendAsync sends a command that blocks; its reply (nil on error) arrives
// on the channel.
func sendAsync(c *redistest.Conn, args ...string) <-chan []byte {
	ch := make(chan []byte, 1)
	go func() {
		out, _ := c.DoRaw(args...)
		ch <- out
	}()
	return ch
}

func TestRealRedisReplicatesMixedFromReplsim(t *testing.T) {
	master := startReplsim(t, "--save", "", "--repl-diskless-sync", "no")
	replica := startRedis(t, "--enable-debug-command", "yes")
	mixedSteps(t, master, replica)
}

func TestReplsimReplicatesMixedFromRealRedis(t *testing.T) {
	master := startRedis(t, "--enable-debug-command", "yes")
	replica := startReplsim(t, "--save", "")
	mixedSteps(t, master, replica)
}

func TestRealRedisReplicaOfReplsimSeesServedBlockingPops(t *testing.T) {
	blockedSteps(t, startReplsim(t, "--save", "", "--repl-diskless-sync", "no"), startRedis(t, "--enable-debug-command", "yes"))
}

func TestReplsimReplicaOfRealRedisSeesServedBlockingPops(t *testing.T) {
	blockedSteps(t, startRedis(t, "--enable-debug-command", "yes"), startReplsim(t, "--save", ""))
}

// An RDB replsim writes of the mixed dataset passes redis-check-rdb.
func TestReplsimMixedRDBPassesCheckRDB(t *testing.T) {
	check := redistest.RequireBinary(t, "redis-check-rdb")
	srv := startReplsim(t, "--save", "")
	c := srv.Dial(t)
	fillMixed(t, c)
	require.Equal(t, "OK", c.Do(t, "SAVE").String())
	out, err := exec.Command(check, filepath.Join(srv.Dir, "dump.rdb")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "RDB looks OK!")
}
