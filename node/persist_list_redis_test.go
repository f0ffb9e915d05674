package node

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/node/rdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listWorkload builds lists whose quicklist layout exercises every path:
// head and tail pushes across 8 KB nodes, inserts that split full nodes
// and merge the halves, deletes and trims inside and across nodes, LSET
// growing elements, lists made under other fills, integers and LZF-
// friendly values. It returns the list keys.
func listWorkload(do func(args ...string) string) []string {
	long := strings.Repeat("compressible-", 30)
	do("RPUSH", "l:small", "a", "1", "-70000", "9223372036854775807", "01", "")
	for i := 0; i < 3000; i++ {
		if i%3 == 0 {
			do("LPUSH", "l:big", "h"+strconv.Itoa(i))
		}
		do("RPUSH", "l:big", strconv.Itoa(i), long[:i%len(long)])
	}
	for i := 0; i < 400; i += 7 {
		do("LINSERT", "l:big", "BEFORE", strconv.Itoa(i*5), long[:i%100])
		do("LINSERT", "l:big", "AFTER", strconv.Itoa(i*3), "after"+strconv.Itoa(i))
	}
	do("LREM", "l:big", "0", long[:50])
	do("LREM", "l:big", "-3", long[:10])
	do("LTRIM", "l:big", "37", "-41")
	do("LSET", "l:big", "700", long)
	do("LSET", "l:big", "-5", "short")
	do("LPOP", "l:big", "15")
	do("RPOP", "l:big", "300")
	for i := 0; i < 200; i++ {
		do("RPUSH", "l:merge", strconv.Itoa(i), long[:40])
	}
	for i := 0; i < 150; i++ {
		do("LINSERT", "l:merge", "AFTER", strconv.Itoa(i), long[:i])
	}
	do("LTRIM", "l:merge", "100", "500")
	do("CONFIG", "SET", "list-max-listpack-size", "5")
	for i := 0; i < 60; i++ {
		do("RPUSH", "l:fill5", strconv.Itoa(i))
	}
	do("LINSERT", "l:fill5", "AFTER", "22", "x")
	do("LINSERT", "l:fill5", "BEFORE", "40", "y")
	do("LREM", "l:fill5", "0", "7")
	do("CONFIG", "SET", "list-max-listpack-size", "-1")
	for i := 0; i < 500; i++ {
		do("LPUSH", "l:fill-1", long[:i%200])
	}
	do("CONFIG", "SET", "list-max-listpack-size", "-2")
	do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100b")
	for i := 0; i < 40; i++ {
		do("RPUSH", "l:plain", strconv.Itoa(i), long[:i*7])
	}
	do("LINSERT", "l:plain", "AFTER", "5", long[:150])
	do("LINSERT", "l:plain", "BEFORE", "9", long[:120])
	do("LINSERT", "l:plain", "AFTER", long[:150], "small")
	do("LSET", "l:plain", "3", long[:200])
	do("LSET", "l:plain", "-2", "tiny")
	do("LSET", "l:plain", "10", long[:101])
	do("LREM", "l:plain", "1", long[:140])
	do("LTRIM", "l:plain", "1", "-3")
	do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")
	do("RPUSH", "l:src", "a", "b", "c")
	do("LMOVE", "l:src", "l:dst", "LEFT", "RIGHT")
	do("RPOPLPUSH", "l:src", "l:dst")
	do("RPUSH", "l:ttl", "x")
	do("PEXPIREAT", "l:ttl", strconv.FormatInt(time.Now().UnixMilli()+1e9, 10))
	do("SELECT", "5")
	do("RPUSH", "l:db5", "v")
	do("SELECT", "0")
	return []string{"l:small", "l:big", "l:merge", "l:fill5", "l:fill-1", "l:plain", "l:src", "l:dst", "l:ttl"}
}

// listNodes returns the quicklist nodes of every list in an RDB file.
func listNodes(t *testing.T, data []byte) map[string][]rdb.ListNode {
	snap, err := rdb.Parse(data)
	require.NoError(t, err)
	out := map[string][]rdb.ListNode{}
	for _, db := range snap.DBs {
		for _, e := range db.Entries {
			if e.Type == rdb.TypeListQuicklist2 {
				out[strconv.Itoa(db.Index)+":"+e.Key] = e.Nodes
			}
		}
	}
	return out
}

// TestListLayoutLikeRedis: the same commands give the same quicklist
// nodes, byte for byte, as in real Redis's RDB.
func TestListLayoutLikeRedis(t *testing.T) {
	dir := t.TempDir()
	rr := startRealRedisIn(t, dir, "--appendonly", "no", "--dbfilename", "dump.rdb", "--enable-debug-command", "yes",
		"--rdbcompression", "no")
	keys := listWorkload(rr.do)
	require.Equal(t, "OK", rr.do("SAVE"))
	theirs, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)

	cfg := persistConfig()
	cfg.RDBCompression = false
	a := startNode(t, cfg, nil)
	a.env.now = time.Now().UnixNano()
	listWorkload(a.do)
	require.Equal(t, "OK", a.do("SAVE"))
	ours, err := a.env.fs.ReadFile("dump.rdb")
	require.NoError(t, err)

	want, got := listNodes(t, theirs), listNodes(t, ours)
	require.Len(t, got, len(want))
	for k, nodes := range want {
		require.Equal(t, len(nodes), len(got[k]), "node count of %s", k)
		for i := range nodes {
			require.Equal(t, nodes[i], got[k][i], "node %d of %s", i, k)
		}
	}
	assert.Equal(t, rr.do("DEBUG", "DIGEST"), a.do("DEBUG", "DIGEST"))
	for _, k := range keys {
		assert.Equal(t, rr.do("MEMORY", "USAGE", k), a.do("MEMORY", "USAGE", k), k)
		assert.Equal(t, rr.do("MEMORY", "USAGE", k, "SAMPLES", "0"), a.do("MEMORY", "USAGE", k, "SAMPLES", "0"), k)
	}
}

func TestWeLoadRealRedisListRDB(t *testing.T) {
	for _, opts := range [][]string{{"--rdbcompression", "yes"}, {"--rdbcompression", "no"},
		{"--list-compress-depth", "1"}, {"--list-compress-depth", "2", "--rdbcompression", "no"}} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"--appendonly", "no", "--dbfilename", "dump.rdb", "--enable-debug-command", "yes"}, opts...)
			rr := startRealRedisIn(t, dir, args...)
			keys := listWorkload(rr.do)
			b := loadRealRedisSave(t, rr, dir)
			assert.Equal(t, rr.do("DEBUG", "DIGEST"), b.do("DEBUG", "DIGEST"))
			assert.NotContains(t, b.do("DEBUG", "DIGEST"), "0000000000")
			assert.Equal(t, encodings(rr.do, keys), encodings(b.do, keys))
			assert.Equal(t, rr.do("DEBUG", "DIGEST-VALUE", "l:big", "l:merge"), b.do("DEBUG", "DIGEST-VALUE", "l:big", "l:merge"))
			assert.Equal(t, rr.do("LINDEX", "l:big", "1234"), b.do("LINDEX", "l:big", "1234"))
		})
	}
}

func TestRealRedisLoadsOurListRDB(t *testing.T) {
	for _, compress := range []bool{true, false} {
		t.Run("compress="+strconv.FormatBool(compress), func(t *testing.T) {
			cfg := persistConfig()
			cfg.RDBCompression = compress
			a := startNode(t, cfg, nil)
			a.env.now = time.Now().UnixNano()
			keys := listWorkload(a.do)
			rr := startRealRedisOnOurSave(t, a)
			assert.Equal(t, a.do("DEBUG", "DIGEST"), rr.do("DEBUG", "DIGEST"))
			assert.Equal(t, encodings(a.do, keys), encodings(rr.do, keys))
		})
	}
}

func TestListsRoundTripThroughOurRDBAndAOF(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	keys := listWorkload(a.do)
	require.Equal(t, "OK", a.do("SAVE"))
	want := a.do("DEBUG", "DIGEST")
	b := newTestNode(t, persistConfig(), a.env.fs)
	b.env.now = a.env.now
	require.NoError(t, b.n.Load())
	assert.Equal(t, want, b.do("DEBUG", "DIGEST"))
	assert.Equal(t, encodings(a.do, keys), encodings(b.do, keys))

	c := startNode(t, aofConfig("always"), nil)
	c.env.now = a.env.now
	listWorkload(c.do)
	c.do("BLPOP", "l:src", "l:small", "0")
	c.do("LMPOP", "2", "none", "l:small", "RIGHT", "COUNT", "2")
	want = c.do("DEBUG", "DIGEST")
	d := newTestNode(t, aofConfig("always"), c.env.fs)
	d.env.now = c.env.now
	require.NoError(t, d.n.Load())
	assert.Equal(t, want, d.do("DEBUG", "DIGEST"))
}
