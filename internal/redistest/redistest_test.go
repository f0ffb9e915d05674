package redistest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRealRedisReplication exercises the helpers on two real redis-servers.
func TestRealRedisReplication(t *testing.T) {
	bin := RequireBinary(t, "redis-server")
	m := Start(t, bin, "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0")
	r := Start(t, bin, "--save", "", "--appendonly", "no", "--replicaof", "127.0.0.1", strconv.Itoa(m.Port))
	mc, rc := m.Dial(t), r.Dial(t)
	raw, err := mc.DoRaw("SET", "k", "v")
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n", string(raw))
	Eventually(t, 10*time.Second, func() string {
		if v := rc.Do(t, "GET", "k"); string(v.Str) != "v" {
			return Describe("replica has %q", v.String())
		}
		return ""
	})
	assert.Equal(t, "slave", rc.InfoField(t, "replication", "role"))
}
