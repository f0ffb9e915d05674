package interop

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// replsim is the `replsim` binary, built once for the package's tests; its
// sources are inputs of this package's cached test result.
var replsim = &redistest.Binary{Pkg: "github.com/replsim/replsim/cmd/replsim"}

func TestMain(m *testing.M) {
	code := m.Run()
	replsim.Remove()
	os.Exit(code)
}

const syncTimeout = 20 * time.Second

// startReplsim runs `replsim server` with redis-server style arguments.
func startReplsim(t *testing.T, args ...string) *redistest.Server {
	t.Helper()
	return redistest.Start(t, replsim.Path(t), append([]string{"server", "--enable-debug-command", "yes"}, args...)...)
}

func startRedis(t *testing.T, args ...string) *redistest.Server {
	t.Helper()
	bin := redistest.RequireBinary(t, "redis-server")
	// Disk-based sync keeps the transfer immediate; diskless is tested below.
	return redistest.Start(t, bin, append([]string{"--save", "", "--appendonly", "no", "--repl-diskless-sync", "no"}, args...)...)
}

func port(s *redistest.Server) string { return strconv.Itoa(s.Port) }

// waitValue polls GET key on c until it equals want ("" for nil).
func waitValue(t *testing.T, c *redistest.Conn, key, want string) {
	t.Helper()
	redistest.Eventually(t, syncTimeout, func() string {
		v := c.Do(t, "GET", key)
		got := string(v.Str)
		if v.Null {
			got = ""
		}
		if got != want {
			return redistest.Describe("GET %s = %q, want %q", key, got, want)
		}
		return ""
	})
}

func waitLink(t *testing.T, c *redistest.Conn, status string) {
	t.Helper()
	redistest.Eventually(t, syncTimeout, func() string {
		if got := c.InfoField(t, "replication", "master_link_status"); got != status {
			return redistest.Describe("master_link_status %q, want %q", got, status)
		}
		return ""
	})
}

func infoInt(t *testing.T, c *redistest.Conn, section, field string) int64 {
	v, err := strconv.ParseInt(c.InfoField(t, section, field), 10, 64)
	require.NoError(t, err, "INFO %s %s", section, field)
	return v
}

// replicationSteps runs the common script: full sync, streaming, a cut
// link that resumes by partial resync, then SLAVEOF NO ONE keeping data.
// cutFromMaster kills the replica's connection on the master side.
func replicationSteps(t *testing.T, master, replica *redistest.Server, auth string) {
	mc, rc := master.Dial(t), replica.Dial(t)
	if auth != "" {
		require.Equal(t, "OK", mc.Do(t, "AUTH", auth).String())
	}
	require.Equal(t, "OK", mc.Do(t, "SET", "before", "1").String())
	require.Equal(t, "OK", mc.Do(t, "SET", "big", strings.Repeat("abc", 5000)).String())
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	waitValue(t, rc, "before", "1")
	waitValue(t, rc, "big", strings.Repeat("abc", 5000))

	// Writes stream, in several dbs and with expiry made absolute.
	require.Equal(t, "OK", mc.Do(t, "SET", "after", "2").String())
	require.Equal(t, "(integer) 3", mc.Do(t, "INCRBY", "counter", "3").String())
	require.Equal(t, "OK", mc.Do(t, "SET", "ttl", "x", "EX", "100").String())
	require.Equal(t, "OK", mc.Do(t, "SELECT", "3").String())
	require.Equal(t, "OK", mc.Do(t, "SET", "in3", "three").String())
	require.Equal(t, "OK", mc.Do(t, "SELECT", "0").String())
	waitValue(t, rc, "after", "2")
	waitValue(t, rc, "counter", "3")
	// The SET of ttl comes after the INCRBY: wait for it too, since the
	// master's replies and its replication stream are written separately.
	waitValue(t, rc, "ttl", "x")
	ttl := rc.Do(t, "PTTL", "ttl")
	assert.InDelta(t, 100000, ttl.Int, 5000, "replica keeps the absolute expiry")
	require.Equal(t, "OK", rc.Do(t, "SELECT", "3").String())
	waitValue(t, rc, "in3", "three")
	require.Equal(t, "OK", rc.Do(t, "SELECT", "0").String())
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", rc.Do(t, "SET", "x", "y").String())

	// Cut the link from the master's side: the replica resumes with PSYNC.
	partialBefore := infoInt(t, mc, "stats", "sync_partial_ok")
	fullBefore := infoInt(t, mc, "stats", "sync_full")
	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	require.Equal(t, "OK", mc.Do(t, "SET", "during", "3").String())
	waitValue(t, rc, "during", "3")
	waitLink(t, rc, "up")
	assert.Equal(t, partialBefore+1, infoInt(t, mc, "stats", "sync_partial_ok"), "the replica should have resumed by partial resync")
	assert.Equal(t, fullBefore, infoInt(t, mc, "stats", "sync_full"), "no second full sync")

	// Offsets agree once quiet.
	redistest.Eventually(t, syncTimeout, func() string {
		m := infoInt(t, mc, "replication", "master_repl_offset")
		r := infoInt(t, rc, "replication", "slave_repl_offset")
		if m != r {
			return redistest.Describe("master offset %d, replica offset %d", m, r)
		}
		return ""
	})

	// SLAVEOF NO ONE keeps the data and stops following.
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "NO", "ONE").String())
	assert.Equal(t, "master", rc.InfoField(t, "replication", "role"))
	require.Equal(t, "OK", mc.Do(t, "SET", "late", "4").String())
	time.Sleep(300 * time.Millisecond) // nothing should arrive; there is nothing to poll for
	assert.True(t, rc.Do(t, "GET", "late").Null)
	assert.Equal(t, "\"2\"", rc.Do(t, "GET", "after").String())
	assert.Equal(t, "OK", rc.Do(t, "SET", "writable", "yes").String())
}

// TestRealRedisReplicatesFromReplsim: a real redis-server 7.0 is a replica of
// `replsim server`.
func TestRealRedisReplicatesFromReplsim(t *testing.T) {
	master := startReplsim(t, "--save", "", "--repl-diskless-sync", "no")
	replica := startRedis(t)
	replicationSteps(t, master, replica, "")
}

// TestReplsimReplicatesFromRealRedis: `replsim server` is a replica of a real
// redis-server 7.0, loading its RDB and continuing with PSYNC.
func TestReplsimReplicatesFromRealRedis(t *testing.T) {
	master := startRedis(t)
	replica := startReplsim(t, "--save", "")
	replicationSteps(t, master, replica, "")
}

// TestRealRedisReplicatesFromReplsimDiskless uses Redis 7.0's default
// diskless transfer ($EOF:<mark> framing).
func TestRealRedisReplicatesFromReplsimDiskless(t *testing.T) {
	master := startReplsim(t, "--save", "", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0")
	replica := startRedis(t)
	replicationSteps(t, master, replica, "")
}

// authSteps: a replica with the right masterauth syncs; a wrong one keeps
// the link down and moves no data, and it heals once corrected.
func authSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "(error) NOAUTH Authentication required.", mc.Do(t, "SET", "k", "v").String())
	require.Equal(t, "(error) WRONGPASS invalid username-password pair or user is disabled.", mc.Do(t, "AUTH", "nope").String())
	require.Equal(t, "OK", mc.Do(t, "AUTH", "s3cret").String())
	require.Equal(t, "OK", mc.Do(t, "SET", "k", "v").String())
	require.Equal(t, "OK", rc.Do(t, "SET", "mine", "kept").String())

	require.Equal(t, "OK", rc.Do(t, "CONFIG", "SET", "masterauth", "wrong").String())
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	time.Sleep(2500 * time.Millisecond) // two reconnect attempts; the link must stay down
	assert.Equal(t, "down", rc.InfoField(t, "replication", "master_link_status"))
	assert.Equal(t, "\"kept\"", rc.Do(t, "GET", "mine").String(), "a refused replica keeps its data")
	assert.True(t, rc.Do(t, "GET", "k").Null, "no data moved")

	require.Equal(t, "OK", rc.Do(t, "CONFIG", "SET", "masterauth", "s3cret").String())
	waitLink(t, rc, "up")
	waitValue(t, rc, "k", "v")
	assert.True(t, rc.Do(t, "GET", "mine").Null, "a full sync replaces the replica's data")
}

func TestAuthRealRedisReplicaOfReplsim(t *testing.T) {
	authSteps(t, startReplsim(t, "--save", "", "--requirepass", "s3cret", "--repl-diskless-sync", "no"), startRedis(t))
}

func TestAuthReplsimReplicaOfRealRedis(t *testing.T) {
	authSteps(t, startRedis(t, "--requirepass", "s3cret"), startReplsim(t, "--save", ""))
}
