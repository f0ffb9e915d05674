package rdb

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var allOptions = []Options{{}, {Compress: true}, {Checksum: true}, {Compress: true, Checksum: true}}

func optionName(o Options) string {
	return "compress=" + strconv.FormatBool(o.Compress) + ",checksum=" + strconv.FormatBool(o.Checksum)
}

func writeTemp(t *testing.T, dir string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, "dump.rdb")
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// TestRedisCheckRDBAcceptsOurFiles runs redis-check-rdb on what Append writes.
func TestRedisCheckRDBAcceptsOurFiles(t *testing.T) {
	bin := redisBinary(t, "redis-check-rdb")
	s := sampleSnapshot(time.Now().Add(time.Hour).UnixMilli(), true)
	for _, o := range allOptions {
		t.Run(optionName(o), func(t *testing.T) {
			p := writeTemp(t, t.TempDir(), Append(nil, s, o))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, p).CombinedOutput()
			require.NoError(t, err, "redis-check-rdb:\n%s", out)
			require.Contains(t, string(out), "RDB looks OK")
			require.Contains(t, string(out), "121 keys read")
			require.Contains(t, string(out), "6 expires")
			if o.Checksum {
				require.Contains(t, string(out), "Checksum OK")
			}
		})
	}
}

// TestRedisLoadsOurFiles starts redis-server on what Append writes and
// reads every key back over the wire.
func TestRedisLoadsOurFiles(t *testing.T) {
	redisBinary(t, "redis-server")
	expireBase := time.Now().Add(time.Hour).UnixMilli()
	s := sampleSnapshot(expireBase, true)
	for _, o := range allOptions {
		t.Run(optionName(o), func(t *testing.T) {
			dir := t.TempDir()
			writeTemp(t, dir, Append(nil, s, o))
			c := startRedis(t, dir)
			for _, db := range s.DBs {
				c.ok("SELECT", strconv.Itoa(db.Index))
				require.Equal(t, int64(len(db.Entries)), c.do("DBSIZE"), "db %d", db.Index)
				for _, e := range db.Entries {
					require.Equal(t, e.Value, normalizeEmpty(c.do("GET", e.Key)), "GET %q", e.Key)
					pttl := c.do("PTTL", e.Key).(int64)
					if e.ExpireAtMs == 0 {
						require.Equal(t, int64(-1), pttl, "PTTL %q", e.Key)
					} else {
						left := e.ExpireAtMs - time.Now().UnixMilli()
						require.InDelta(t, left, pttl, 60_000, "PTTL %q", e.Key)
						require.Positive(t, pttl)
					}
				}
			}
		})
	}
}

func normalizeEmpty(v any) any {
	if b, ok := v.([]byte); ok && len(b) == 0 {
		return []byte(nil)
	}
	return v
}

// TestParseRedisDump has a real Redis write a dump and parses it; writing
// the parsed snapshot again must give Redis's bytes exactly.
func TestParseRedisDump(t *testing.T) {
	redisBinary(t, "redis-server")
	dir := t.TempDir()
	c := startRedis(t, dir)

	before := time.Now().UnixMilli()
	sample := sampleSnapshot(0, true)
	want := map[int]map[string]Entry{}
	for _, db := range sample.DBs {
		if len(db.Entries) == 0 {
			continue
		}
		want[db.Index] = map[string]Entry{}
		c.ok("SELECT", strconv.Itoa(db.Index))
		for _, e := range db.Entries {
			if e.ExpireAtMs != 0 {
				c.ok("SET", e.Key, string(e.Value), "PX", strconv.FormatInt(3_600_000+e.ExpireAtMs, 10))
			} else {
				c.ok("SET", e.Key, string(e.Value))
			}
			want[db.Index][e.Key] = e
		}
	}
	// Values Redis stores integer-encoded in memory take another save path.
	c.ok("SELECT", "0")
	for _, k := range []string{"incr:small", "incr:big"} {
		c.ok("SET", k, "41")
		require.Equal(t, int64(42), c.do("INCR", k))
		want[0][k] = Entry{Key: k, Value: []byte("42")}
	}
	require.Equal(t, int64(5_000_000_042), c.do("INCRBY", "incr:big", "5000000000"))
	want[0]["incr:big"] = Entry{Key: "incr:big", Value: []byte("5000000042")}
	c.ok("SAVE")
	after := time.Now().UnixMilli()

	dump, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)
	s, err := Parse(dump)
	require.NoError(t, err)

	ver, ok := s.AuxValue("redis-ver")
	require.True(t, ok)
	require.True(t, strings.HasPrefix(ver, "7."), "redis-ver %q", ver)
	bits, _ := s.AuxValue("redis-bits")
	require.Equal(t, "64", bits)

	require.Len(t, s.DBs, len(want))
	for _, db := range s.DBs {
		w := want[db.Index]
		require.Len(t, db.Entries, len(w), "db %d", db.Index)
		for _, e := range db.Entries {
			we, ok := w[e.Key]
			require.True(t, ok, "unexpected key %q in db %d", e.Key, db.Index)
			require.Equal(t, string(we.Value), string(e.Value), "key %q", e.Key)
			if we.ExpireAtMs == 0 {
				require.Zero(t, e.ExpireAtMs, "key %q", e.Key)
			} else {
				ttl := 3_600_000 + we.ExpireAtMs
				require.GreaterOrEqual(t, e.ExpireAtMs, before+ttl, "key %q", e.Key)
				require.LessOrEqual(t, e.ExpireAtMs, after+ttl, "key %q", e.Key)
			}
		}
	}

	require.Equal(t, dump, Append(nil, s, Options{Compress: true, Checksum: true}),
		"re-encoding Redis's dump must reproduce it byte for byte")
	require.NotEqual(t, dump, Append(nil, s, Options{Checksum: true}), "the dump should contain LZF strings")
}

// TestLZFMatchesRedis has Redis save many values of assorted
// compressibility, including ones near the "saves 4 bytes" threshold, and
// requires our writer to make the same choices and the same LZF bytes.
func TestLZFMatchesRedis(t *testing.T) {
	redisBinary(t, "redis-server")
	dir := t.TempDir()
	c := startRedis(t, dir)
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 600 {
		alphabet := 1 + rng.IntN(40)
		n := 15 + rng.IntN(400)
		if i%3 == 0 {
			n = 21 + rng.IntN(12) // near LZF's minimum length
		}
		v := make([]byte, 0, n)
		for len(v) < n {
			if len(v) > 3 && rng.IntN(4) == 0 { // copy an earlier run
				from := rng.IntN(len(v))
				end := min(len(v), from+1+rng.IntN(20))
				v = append(v, v[from:end]...)
			} else {
				v = append(v, byte('a'+rng.IntN(alphabet)))
			}
		}
		c.ok("SET", "v"+strconv.Itoa(i), string(v[:n]))
	}
	c.ok("SAVE")
	dump, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)
	s, err := Parse(dump)
	require.NoError(t, err)
	require.Len(t, s.DBs[0].Entries, 600)
	require.Equal(t, dump, Append(nil, s, Options{Compress: true, Checksum: true}))
}
