package node

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The keyspace's memory count includes collections and follows them as
// commands change them in place, served blocking pops included: it always
// equals the sum over the entries of entryMem and collMemOf.
func TestMemoryCountFollowsCollections(t *testing.T) {
	tn := startNode(t, DefaultConfig(), nil)
	recount := func() int64 {
		var sum int64
		ks := tn.n.dbs[0]
		for i := range ks.entries {
			e := &ks.entries[i]
			sum += entryMem(e.key, e.val, e.expireAt) + collMemOf(e.obj)
		}
		return sum
	}
	before := tn.n.dbs[0].mem
	tn.do("HSET", "h", "f", "v")
	tn.do("SADD", "s", "1", "2")
	tn.do("ZADD", "z", "1", "a")
	tn.do("RPUSH", "l", "a")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	small := tn.n.dbs[0].mem
	assert.Greater(t, small, before)
	for i := 0; i < 300; i++ {
		m := "member-" + strconv.Itoa(i)
		tn.do("HSET", "h", m, m)
		tn.do("SADD", "s", m)
		tn.do("ZADD", "z", strconv.Itoa(i), m)
		tn.do("RPUSH", "l", m)
	}
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	assert.Greater(t, tn.n.dbs[0].mem, small+4*300*32, "every element costs at least a dict entry")
	tn.do("MULTI")
	tn.do("ZPOPMIN", "z", "100")
	tn.do("LPOP", "l", "100")
	tn.do("EXEC")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	tn.do("SMOVE", "s", "s2", "member-1")
	tn.do("LMOVE", "l", "l", "LEFT", "RIGHT")
	tn.do("COPY", "h", "h2")
	tn.do("RENAME", "h2", "h3")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	tn.do("DEL", "h", "s", "z", "l", "s2", "h3")
	assert.Equal(t, before, tn.n.dbs[0].mem)
	assert.Empty(t, tn.n.dbs[0].collMem)
}

// maxmemory sees collections: growing one hash past the limit evicts keys.
func TestEvictionSeesCollections(t *testing.T) {
	cfg := DefaultConfig()
	tn := startNode(t, cfg, nil)
	base := tn.n.memoryForEviction()
	tn.do("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
	tn.do("CONFIG", "SET", "maxmemory", strconv.FormatInt(base+200_000, 10))
	for i := 0; i < 20; i++ {
		tn.do("SET", "s"+strconv.Itoa(i), "v")
	}
	for i := 0; i < 10000; i++ {
		tn.do("HSET", "big", "field-"+strconv.Itoa(i), "value-"+strconv.Itoa(i))
	}
	require.LessOrEqual(t, tn.n.memoryForEviction(), base+200_000+100_000)
	assert.Less(t, tn.n.dbs[0].len(), 21, "keys were evicted")
}
