package interop

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// zsetSteps fills the master with sorted sets on both sides of the
// listpack limits, full-syncs the replica, streams pops, stores and
// increments, cuts the link for a partial resync, and compares DEBUG
// DIGEST on both sides after each step.
func zsetSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	long := strings.Repeat("m", 70)
	mc.Do(t, "ZADD", "small", "1", "a", "1.5", "b", "-inf", "c", "inf", "d", "1e20", "e")
	mc.Do(t, "ZADD", "long", "2", long)
	args := []string{"ZADD", "big"}
	for i := 0; i < 300; i++ {
		args = append(args, strconv.Itoa(i%23)+"."+strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	mc.Do(t, args...)
	mc.Do(t, "PEXPIRE", "small", "100000000")
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	waitDigest(t, mc, rc)

	mc.Do(t, "ZPOPMIN", "big", "3")
	mc.Do(t, "ZMPOP", "2", "nokey", "big", "MAX", "COUNT", "4")
	mc.Do(t, "ZINCRBY", "small", "2.5", "a")
	mc.Do(t, "ZADD", "small", "INCR", "1", "new")
	mc.Do(t, "ZUNIONSTORE", "u", "2", "small", "big", "WEIGHTS", "2", "0.5")
	mc.Do(t, "ZRANGESTORE", "r", "big", "0", "10", "REV")
	mc.Do(t, "ZREMRANGEBYSCORE", "big", "(3", "5")
	waitDigest(t, mc, rc)

	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	mc.Do(t, "ZPOPMAX", "small")
	mc.Do(t, "ZDIFFSTORE", "d", "2", "big", "r")
	waitLink(t, rc, "up")
	waitDigest(t, mc, rc)
	assert.Equal(t, mc.Do(t, "OBJECT", "ENCODING", "big").String(), rc.Do(t, "OBJECT", "ENCODING", "big").String())
	assert.Equal(t, mc.Do(t, "ZRANGE", "u", "0", "-1", "WITHSCORES").String(), rc.Do(t, "ZRANGE", "u", "0", "-1", "WITHSCORES").String())
}

func waitDigest(t *testing.T, mc, rc *redistest.Conn) {
	t.Helper()
	redistest.Eventually(t, syncTimeout, func() string {
		m, r := mc.Do(t, "DEBUG", "DIGEST").String(), rc.Do(t, "DEBUG", "DIGEST").String()
		if m != r {
			return redistest.Describe("master digest %s, replica %s", m, r)
		}
		return ""
	})
}

func TestRealRedisReplicatesZsetsFromReplsim(t *testing.T) {
	master := startReplsim(t, "--save", "", "--repl-diskless-sync", "no")
	replica := startRedis(t, "--enable-debug-command", "yes")
	zsetSteps(t, master, replica)
}

func TestReplsimReplicatesZsetsFromRealRedis(t *testing.T) {
	master := startRedis(t, "--enable-debug-command", "yes")
	replica := startReplsim(t, "--save", "")
	zsetSteps(t, master, replica)
}
