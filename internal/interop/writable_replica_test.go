package interop

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// writableReplicaEvicts is Redis's "Slave is able to evict keys created in
// writable slaves": keys a client sets with a TTL on a replica with
// replica-read-only no disappear once expired, though the master never
// heard of them.
func writableReplicaEvicts(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "OK", mc.Do(t, "SET", "m", "1").String())
	require.Equal(t, "OK", rc.Do(t, "SLAVEOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	waitValue(t, rc, "m", "1")
	require.Equal(t, "OK", rc.Do(t, "CONFIG", "SET", "replica-read-only", "no").String())
	require.Equal(t, "OK", rc.Do(t, "SELECT", "5").String())
	for _, k := range []string{"key1", "key2", "key3"} {
		require.Equal(t, "OK", rc.Do(t, "SET", k, "1", "PX", "300").String())
	}
	require.Equal(t, "(integer) 3", rc.Do(t, "DBSIZE").String())
	redistest.Eventually(t, 5*time.Second, func() string {
		if got := rc.Do(t, "DBSIZE").String(); got != "(integer) 0" {
			return redistest.Describe("DBSIZE %s", got)
		}
		return ""
	})
	require.Equal(t, "OK", rc.Do(t, "SELECT", "0").String())
	require.Equal(t, "(integer) 1", rc.Do(t, "DBSIZE").String())
}

func TestWritableReplsimReplicaEvictsItsKeys(t *testing.T) {
	writableReplicaEvicts(t, startRedis(t), startReplsim(t, "--save", ""))
}

// The control: real Redis does the same.
func TestWritableRedisReplicaEvictsItsKeys(t *testing.T) {
	writableReplicaEvicts(t, startRedis(t), startRedis(t))
}

// roleSteps checks ROLE on both ends of a synced, quiet link against what
// INFO replication says.
func roleSteps(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "OK", mc.Do(t, "SET", "k", "v").String())
	require.Equal(t, "OK", rc.Do(t, "REPLICAOF", "127.0.0.1", port(master)).String())
	waitLink(t, rc, "up")
	waitValue(t, rc, "k", "v")
	var off int64
	redistest.Eventually(t, syncTimeout, func() string {
		off = infoInt(t, mc, "replication", "master_repl_offset")
		if !strings.Contains(mc.InfoField(t, "replication", "slave0"), "offset="+strconv.FormatInt(off, 10)+",") {
			return "replica's ACK not at the master's offset yet"
		}
		return ""
	})
	o := strconv.FormatInt(off, 10)
	require.Equal(t, "1) \"master\"\n2) (integer) "+o+"\n3) 1) 1) \"127.0.0.1\"\n      2) \""+port(replica)+"\"\n      3) \""+o+"\"", mc.Do(t, "ROLE").String())
	require.Equal(t, "1) \"slave\"\n2) \"127.0.0.1\"\n3) (integer) "+port(master)+"\n4) \"connected\"\n5) (integer) "+o, rc.Do(t, "ROLE").String())
}

func TestRoleReplsimMaster(t *testing.T) {
	roleSteps(t, startReplsim(t, "--save", "", "--repl-diskless-sync", "no"), startRedis(t))
}

func TestRoleReplsimReplica(t *testing.T) { roleSteps(t, startRedis(t), startReplsim(t, "--save", "")) }

// The control.
func TestRoleRedis(t *testing.T) { roleSteps(t, startRedis(t), startRedis(t)) }
