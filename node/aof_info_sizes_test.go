package node

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// INFO's aof_current_size and aof_base_size follow Redis 7.0.15's
// accounting, as redis-server showed it step by step (fresh start 0 and 0;
// a SET of 50 bytes 50 and 0; a restart base+incr and base; BGREWRITEAOF
// then a write: new base + incr and the new base; appendonly no then yes:
// the new base, twice).
func TestAOFInfoSizes(t *testing.T) {
	const dir = "appendonlydir/"
	size := func(tn *testNode, name string) int64 {
		return int64(len(content(t, tn.env.fs, dir+name)))
	}
	sizes := func(tn *testNode) (current, base int64) {
		c, err := strconv.ParseInt(infoField(t, tn, "aof_current_size"), 10, 64)
		require.NoError(t, err)
		b, err := strconv.ParseInt(infoField(t, tn, "aof_base_size"), 10, 64)
		require.NoError(t, err)
		return c, b
	}
	a := startNode(t, aofConfig("always"), nil)
	c, b := sizes(a)
	assert.Equal(t, [2]int64{0, 0}, [2]int64{c, b}, "a fresh start does not count the base it creates")
	require.Equal(t, "OK", a.do("SET", "k", "v"))
	c, b = sizes(a)
	assert.Equal(t, [2]int64{size(a, "appendonly.aof.1.incr.aof"), 0}, [2]int64{c, b})

	r := startNode(t, aofConfig("always"), a.env.fs)
	c, b = sizes(r)
	base1 := size(r, "appendonly.aof.1.base.rdb")
	assert.Equal(t, [2]int64{base1 + size(r, "appendonly.aof.1.incr.aof"), base1}, [2]int64{c, b}, "a load counts every file it read")

	require.Equal(t, "Background append only file rewriting started", r.do("BGREWRITEAOF"))
	r.runJobs()
	r.advance(200)
	require.Equal(t, "OK", r.do("SET", "k2", "v2"))
	c, b = sizes(r)
	base2 := size(r, "appendonly.aof.2.base.rdb")
	assert.Equal(t, [2]int64{base2 + size(r, "appendonly.aof.2.incr.aof"), base2}, [2]int64{c, b})

	require.Equal(t, "OK", r.do("CONFIG", "SET", "appendonly", "no"))
	require.Equal(t, "OK", r.do("CONFIG", "SET", "appendonly", "yes"))
	r.advance(200)
	r.runJobs()
	c, b = sizes(r)
	base3 := size(r, "appendonly.aof.3.base.rdb")
	assert.Equal(t, [2]int64{base3, base3}, [2]int64{c, b}, "a reopen counts its fresh base")
}
