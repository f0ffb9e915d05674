package node

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evictTapEnv is a fakeEnv that is also a tap.EvictTap.
type evictTapEnv struct {
	*fakeEnv
	evicted []string // "db key policy"
}

func (e *evictTapEnv) Evicted(db int, key, policy string) {
	e.evicted = append(e.evicted, strconv.Itoa(db)+" "+key+" "+policy)
}

// evictingNode holds 100 keys (those with an even number expiring) and
// then gets a maxmemory 30 of them over, under policy.
func evictingNode(t *testing.T, policy string, bugs ...string) (*testNode, *evictTapEnv) {
	cfg := DefaultConfig()
	cfg.AppendOnly = true
	cfg.Bugs = map[string]bool{}
	for _, b := range bugs {
		cfg.Bugs[b] = true
	}
	env := &evictTapEnv{fakeEnv: newFakeEnv(nil)}
	n := New(cfg, env)
	env.node = n
	require.NoError(t, n.Load())
	tn := &testNode{t: t, env: env.fakeEnv, n: n, conn: 7}
	n.OnAccept(tn.conn, "127.0.0.1:5000")
	tn.do("CONFIG", "SET", "maxmemory-policy", policy)
	for i := range 100 {
		args := []string{"SET", "k" + strconv.Itoa(i), strings.Repeat("v", 100)}
		if i%2 == 0 {
			args = append(args, "EX", "1000")
		}
		tn.do(args...)
	}
	tn.do("CONFIG", "SET", "maxmemory", strconv.FormatInt(tn.n.memoryForEviction()-30*160, 10))
	require.Equal(t, "PONG", tn.do("PING"))
	return tn, env
}

// Every key evicted is reported to the tap, with the policy, once it is
// gone; the AOF gets its DEL.
func TestEvictionsAreTapped(t *testing.T) {
	for _, policy := range []string{"allkeys-random", "volatile-lru"} {
		tn, env := evictingNode(t, policy)
		require.NotEmpty(t, env.evicted)
		assert.Len(t, env.evicted, int(tn.n.stats.evictedKeys))
		for _, ev := range env.evicted {
			f := strings.Fields(ev)
			assert.Equal(t, "0", f[0])
			assert.Equal(t, policy, f[2])
			assert.Equal(t, "(integer) 0", tn.do("EXISTS", f[1]), "%s is gone", f[1])
			if policy == "volatile-lru" {
				n, _ := strconv.Atoi(f[1][1:])
				assert.Zero(t, n%2, "volatile-lru evicted %s, which has no TTL", f[1])
			}
		}
		tn.advance(1000)
		aof, err := tn.env.fs.ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
		require.NoError(t, err)
		assert.Equal(t, len(env.evicted), strings.Count(string(aof), "$3\r\nDEL\r\n"))
	}
}

// The planted bugs do what they say.
func TestEvictionBugs(t *testing.T) {
	tn, env := evictingNode(t, "allkeys-lru", BugEvictionNotPropagated)
	require.NotEmpty(t, env.evicted)
	tn.advance(1000)
	aof, err := tn.env.fs.ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	assert.NotContains(t, string(aof), "$3\r\nDEL\r\n")

	_, env = evictingNode(t, "volatile-random", BugVolatileEvictsPersistent)
	odd := 0
	for _, ev := range env.evicted {
		if n, _ := strconv.Atoi(strings.Fields(ev)[1][1:]); n%2 == 1 {
			odd++
		}
	}
	assert.Positive(t, odd, "keys without a TTL evicted: %v", env.evicted)
}

// A replica ignores maxmemory (replica-ignore-maxmemory yes): over it, it
// evicts nothing and refuses nothing, and waits for its master's DELs;
// the planted bug replica-evicts makes it evict.
func TestReplicaIgnoresMaxmemory(t *testing.T) {
	for _, bug := range []bool{false, true} {
		cfg := DefaultConfig()
		if bug {
			cfg.Bugs = map[string]bool{BugReplicaEvicts: true}
		}
		tn := newTestNode(t, cfg, nil)
		tn.do("CONFIG", "SET", "maxmemory-policy", "allkeys-random")
		for i := range 100 {
			tn.do("SET", "k"+strconv.Itoa(i), strings.Repeat("v", 100))
		}
		require.Equal(t, "OK", tn.do("REPLICAOF", "m", "6379"))
		tn.do("CONFIG", "SET", "maxmemory", strconv.FormatInt(tn.n.memoryForEviction()-30*160, 10))
		assert.Equal(t, "(nil)", tn.do("GET", "nokey"))
		if bug {
			assert.Positive(t, tn.n.stats.evictedKeys)
			continue
		}
		assert.Zero(t, tn.n.stats.evictedKeys)
		assert.Equal(t, "(integer) 100", tn.do("DBSIZE"))
	}
}
