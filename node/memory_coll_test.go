package node

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"

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

// collMemCommands are the writes the accounting property draws from: every
// way a collection changes in place, is replaced, moves or goes ($k, $j:
// keys, $m: a member, $n: a count).
var collMemCommands = [][]string{
	{"HSET", "$k", "$m", "$m"}, {"HSET", "$k", "$m", "a-longer-value-than-the-listpack-allows-for-one-field-value-here"},
	{"HDEL", "$k", "$m"}, {"HINCRBY", "$k", "$m", "3"},
	{"SADD", "$k", "$m", "$n"}, {"SREM", "$k", "$m"}, {"SPOP", "$k", "$n"}, {"SMOVE", "$k", "$j", "$m"},
	{"SINTERSTORE", "$j", "$k", "$j"}, {"SUNIONSTORE", "$k", "$k", "$j"},
	{"ZADD", "$k", "$n", "$m"}, {"ZINCRBY", "$k", "2", "$m"}, {"ZREM", "$k", "$m"}, {"ZPOPMIN", "$k", "$n"},
	{"ZREMRANGEBYRANK", "$k", "0", "$n"}, {"ZUNIONSTORE", "$j", "2", "$k", "$j"},
	{"RPUSH", "$k", "$m", "$m"}, {"LPOP", "$k", "$n"}, {"LSET", "$k", "0", "$m"}, {"LTRIM", "$k", "1", "-2"},
	{"LMOVE", "$k", "$j", "LEFT", "RIGHT"},
	{"SET", "$k", "$m"}, {"APPEND", "$k", "$m"}, {"DEL", "$k"}, {"RENAME", "$k", "$j"}, {"COPY", "$k", "$j", "REPLACE"},
	{"MOVE", "$k", "1"}, {"SWAPDB", "0", "1"}, {"FLUSHDB"}, {"PEXPIRE", "$k", "5"}, {"SELECT", "$db"},
	{"MULTI"}, {"EXEC"}, {"DEBUG", "ADVANCE"},
}

// The memory count the keyspace keeps as commands change collections
// equals a full recount over its entries (entryMem and collMemOf of each)
// after any sequence of writes, in every db.
func TestMemoryCountMatchesRecountProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := DefaultConfig()
		cfg.HashMaxListpackEntries = int64(rapid.SampledFrom([]int{2, 128}).Draw(t, "hash-entries"))
		cfg.SetMaxIntsetEntries = int64(rapid.SampledFrom([]int{2, 512}).Draw(t, "intset-entries"))
		cfg.ZsetMaxListpackEntries = int64(rapid.SampledFrom([]int{0, 3, 128}).Draw(t, "zset-entries"))
		tn := startNode(t, cfg, nil)
		steps := rapid.IntRange(1, 80).Draw(t, "steps")
		for i := 0; i < steps; i++ {
			tmpl := rapid.SampledFrom(collMemCommands).Draw(t, "command")
			args := make([]string, len(tmpl))
			for j, w := range tmpl {
				switch w {
				case "$k", "$j":
					w = rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "key")
				case "$m":
					w = rapid.SampledFrom([]string{"1", "2", "x", "y", "z", "member-with-a-long-name-" + strconv.Itoa(i)}).Draw(t, "member")
				case "$n":
					w = strconv.Itoa(rapid.IntRange(1, 4).Draw(t, "count"))
				case "$db":
					w = strconv.Itoa(rapid.IntRange(0, 1).Draw(t, "db"))
				}
				args[j] = w
			}
			if args[0] == "DEBUG" {
				tn.advance(10) // a PEXPIRE of 5 ms runs out
				continue
			}
			tn.do(args...)
			for db, ks := range tn.n.dbs[:2] {
				var sum int64
				for k := range ks.entries {
					e := &ks.entries[k]
					sum += entryMem(e.key, e.val, e.expireAt) + collMemOf(e.obj)
				}
				require.Equal(t, sum, ks.mem, "db %d after %v", db, args)
			}
		}
	})
}
