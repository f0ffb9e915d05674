package node

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/disksim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typesWorkload builds collections on both sides of every encoding
// threshold (default config), in several dbs, some with expiries, with
// values LZF can and cannot compress.
func typesWorkload(do func(args ...string) string) []string {
	long := strings.Repeat("compressible-", 8)
	do("HSET", "h:lp", "a", "1", "b", "two", "n", "-70000", "big", "9223372036854775807", "txt", long[:60])
	do("HSET", "h:longval", "a", long)
	hsetMany := []string{"HSET", "h:many"}
	for i := 0; i < 600; i++ {
		hsetMany = append(hsetMany, "f"+strconv.Itoa(i), strconv.Itoa(i*7))
	}
	do(hsetMany...)
	do("HSET", "h:512", "x", "y")
	for i := 1; i < 512; i++ {
		do("HSET", "h:512", "f"+strconv.Itoa(i), long[:i%64])
	}
	do("SADD", "s:int", "1", "2", "-3", "40000")
	do("SADD", "s:int64", "1", "5000000000", "-9223372036854775808")
	do("SADD", "s:str", "a", "b", "1", long)
	sadd := []string{"SADD", "s:513"}
	for i := 0; i < 513; i++ {
		sadd = append(sadd, strconv.Itoa(i))
	}
	do(sadd...)
	do(append([]string{"SADD", "s:512"}, sadd[2:514]...)...)
	do("HSET", "h:ttl", "a", "b")
	do("PEXPIREAT", "h:ttl", strconv.FormatInt(time.Now().UnixMilli()+1e9, 10))
	do("SET", "str", "plain")
	do("SELECT", "5")
	do("SADD", "s:ttl", "x")
	do("EXPIRE", "s:ttl", "100000")
	do("HSET", "h:db5", "k", "v")
	do("SELECT", "0")
	keys := []string{"h:lp", "h:longval", "h:many", "h:512", "s:int", "s:int64", "s:str", "s:513", "s:512", "h:ttl", "str"}
	return append(keys, zsetWorkload(do)...)
}

// encodings returns "key=encoding" for keys.
func encodings(do func(args ...string) string, keys []string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, k+"="+do("OBJECT", "ENCODING", k))
	}
	return out
}

func TestWeLoadRealRedisTypedRDB(t *testing.T) {
	for _, compress := range []string{"yes", "no"} {
		t.Run("rdbcompression="+compress, func(t *testing.T) {
			dir := t.TempDir()
			rr := startRealRedisIn(t, dir, "--appendonly", "no", "--dbfilename", "dump.rdb",
				"--enable-debug-command", "yes", "--rdbcompression", compress)
			keys := typesWorkload(rr.do)
			b := loadRealRedisSave(t, rr, dir)
			assert.Equal(t, rr.do("DEBUG", "DIGEST"), b.do("DEBUG", "DIGEST"))
			assert.NotContains(t, b.do("DEBUG", "DIGEST"), "0000000000")
			assert.Equal(t, encodings(rr.do, keys), encodings(b.do, keys))
		})
	}
}

func TestRealRedisLoadsOurTypedRDB(t *testing.T) {
	for _, compress := range []bool{true, false} {
		t.Run("compress="+strconv.FormatBool(compress), func(t *testing.T) {
			cfg := persistConfig()
			cfg.RDBCompression = compress
			a := startNode(t, cfg, nil)
			a.env.now = time.Now().UnixNano()
			keys := typesWorkload(a.do)
			rr := startRealRedisOnOurSave(t, a)
			assert.Equal(t, a.do("DEBUG", "DIGEST"), rr.do("DEBUG", "DIGEST"))
			assert.Equal(t, encodings(a.do, keys), encodings(rr.do, keys))
		})
	}
}

func TestOurTypedRDBRoundTrips(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	keys := typesWorkload(a.do)
	require.Equal(t, "OK", a.do("SAVE"))
	want, wantEnc := a.do("DEBUG", "DIGEST"), encodings(a.do, keys)
	b := newTestNode(t, persistConfig(), a.env.fs)
	b.env.now = a.env.now
	require.NoError(t, b.n.Load())
	assert.Equal(t, want, b.do("DEBUG", "DIGEST"))
	assert.Equal(t, wantEnc, encodings(b.do, keys))
}

func TestRealRedisLoadsOurTypedAOF(t *testing.T) {
	for _, rewrite := range []bool{false, true} {
		t.Run("rewrite="+strconv.FormatBool(rewrite), func(t *testing.T) {
			a := startNode(t, aofConfig("always"), nil)
			a.env.now = time.Now().UnixNano()
			a.do("SADD", "before", "x", "1")
			if rewrite {
				a.do("HSET", "pre", "f", "v")
				require.Equal(t, "Background append only file rewriting started", a.do("BGREWRITEAOF"))
				a.runJobs()
			}
			keys := typesWorkload(a.do)
			a.do("SPOP", "s:513", "3")
			a.do("HINCRBYFLOAT", "h:lp", "f", "1.5")
			dir := t.TempDir()
			exportDir(t, a.env.fs, "appendonlydir", dir)
			rr := startRealRedisIn(t, dir, "--appendonly", "yes", "--appenddirname", "appendonlydir", "--enable-debug-command", "yes")
			assert.Equal(t, a.do("DEBUG", "DIGEST"), rr.do("DEBUG", "DIGEST"))
			assert.Equal(t, encodings(a.do, keys), encodings(rr.do, keys))
		})
	}
}

func TestWeLoadRealRedisTypedAOF(t *testing.T) {
	dir := t.TempDir()
	rr := startRealRedisIn(t, dir, "--appendonly", "yes", "--appendfsync", "always", "--enable-debug-command", "yes")
	rr.do("HSET", "pre", "f", "v")
	require.Contains(t, rr.do("BGREWRITEAOF"), "started")
	require.Eventually(t, func() bool {
		return strings.Contains(rr.do("INFO", "persistence"), "aof_rewrite_in_progress:0")
	}, 10*time.Second, 20*time.Millisecond)
	keys := typesWorkload(rr.do)
	rr.do("SPOP", "s:513", "3")
	rr.do("SPOP", "s:str")
	fs := disksim.New(nil)
	importDir(t, filepath.Join(dir, "appendonlydir"), fs, "appendonlydir")
	b := newTestNode(t, aofConfig("always"), fs)
	b.env.now = time.Now().UnixNano()
	require.NoError(t, b.n.Load())
	assert.Equal(t, rr.do("DEBUG", "DIGEST"), b.do("DEBUG", "DIGEST"))
	assert.Equal(t, encodings(rr.do, keys), encodings(b.do, keys))
}
