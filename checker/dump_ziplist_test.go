package checker

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// oldLayoutValues are values of every type the layouts write, with
// integers of each ziplist integer size, strings of each length size and
// an entry long enough for a 5-byte previous-entry length.
func oldLayoutValues() []Value {
	long := strings.Repeat("x", 300)
	ints := []string{"0", "12", "13", "-1", "127", "-128", "300", "-32768", "70000", "-8388608",
		"2147483647", "-2147483649", "9223372036854775807", "007", "1.5", "", long, strings.Repeat("y", 20000)}
	return []Value{
		{Exists: true, Val: "v1"},
		setValue(map[string]bool{"1": true, "m2": true}),
		hashValue(map[string]string{"f0": "1", "f1": "-300", "f2": long, "f3": "70000"}),
		listValue(ints),
		listValue([]string{"a"}),
		zsetValue(map[string]float64{"a": 1, "b": 2.5, "c": -3, long: 1e6, "12": 0.1}),
	}
}

var oldLayouts = []DumpLayout{{}, {Ziplist: true}}

// TestEncodeDumpLayouts: every layout decodes back to its value; a bad
// ziplist byte count makes a payload RESTORE refuses.
func TestEncodeDumpLayouts(t *testing.T) {
	for _, v := range oldLayoutValues() {
		for _, l := range oldLayouts {
			for _, ver := range []uint16{8, 9, DumpVersion} {
				got, ok := decodeDump(EncodeDumpAs(v.Type, v.Val, ver, l))
				require.True(t, ok, "%s %+v", v.Type, l)
				assert.Equal(t, v, got)
			}
			hasZiplist := v.Type == tap.TypeList || (l.Ziplist && v.Type != tap.TypeSet && v.Type != tap.TypeString)
			for l.Break = 1; l.Break < ZiplistBreaks; l.Break++ {
				_, ok := decodeDump(EncodeDumpAs(v.Type, v.Val, DumpVersion, l))
				assert.Equal(t, !hasZiplist, ok, "%s %+v with a bad ziplist", v.Type, l)
			}
		}
	}
}

func TestReadZiplistRejects(t *testing.T) {
	zl := appendZiplist([]string{"a", "1", strings.Repeat("b", 300), "-70000"})
	got, ok := readZiplist(zl)
	require.True(t, ok)
	assert.Equal(t, []string{"a", "1", strings.Repeat("b", 300), "-70000"}, got)
	corrupt := func(i int, b byte) []byte {
		c := append([]byte(nil), zl...)
		c[i] ^= b
		return c
	}
	for name, bad := range map[string][]byte{
		"bytes":     corrupt(0, 1),
		"tail":      corrupt(4, 1),
		"count":     corrupt(8, 1),
		"prevlen":   corrupt(zipHeader+3, 1),
		"end":       corrupt(len(zl)-1, 1),
		"truncated": appendZiplist(nil)[:zipHeader],
	} {
		_, ok := readZiplist(bad)
		assert.False(t, ok, name)
	}
}

// TestOldLayoutsOfRealRedis: redis-server 7.0.15 restores each layout's
// payload (RDB versions 8 to 10) to the value the model decodes, and
// answers "Bad data format" to a bad ziplist (skipped where it is not
// installed).
func TestOldLayoutsOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
	c := srv.Dial(t)
	for _, v := range oldLayoutValues() {
		for _, l := range oldLayouts {
			for _, ver := range []uint16{8, 9, DumpVersion} {
				p := EncodeDumpAs(v.Type, v.Val, ver, l)
				want, _ := decodeDump(p)
				assert.Equal(t, "OK", c.Do(t, "RESTORE", "k", "0", p, "REPLACE").String(), "%s %+v", v.Type, l)
				assert.Equal(t, want, redisValue(t, c, "k"), "%s %+v version %d", v.Type, l, ver)
			}
			for l.Break = 1; l.Break < ZiplistBreaks; l.Break++ {
				p := EncodeDumpAs(v.Type, v.Val, DumpVersion, l)
				if _, ok := decodeDump(p); !ok {
					assert.Equal(t, "(error) ERR Bad data format", c.Do(t, "RESTORE", "k", "0", p, "REPLACE").String(), "%s %+v", v.Type, l)
				}
			}
		}
	}
}

// redisValue reads key's value from a real server as the model's Value.
func redisValue(t *testing.T, c *redistest.Conn, key string) Value {
	strs := func(r resp.Value) []string {
		var out []string
		for _, e := range r.Array {
			out = append(out, string(e.Str))
		}
		return out
	}
	switch typ := c.Do(t, "TYPE", key).String(); typ {
	case "string":
		return Value{Exists: true, Val: string(c.Do(t, "GET", key).Str)}
	case "set":
		s := map[string]bool{}
		sadd(s, strs(c.Do(t, "SMEMBERS", key)))
		return setValue(s)
	case "list":
		return listValue(strs(c.Do(t, "LRANGE", key, "0", "-1")))
	case "hash":
		h := map[string]string{}
		kv := strs(c.Do(t, "HGETALL", key))
		for i := 0; i+1 < len(kv); i += 2 {
			h[kv[i]] = kv[i+1]
		}
		return hashValue(h)
	case "zset":
		z := map[string]float64{}
		ms := strs(c.Do(t, "ZRANGE", key, "0", "-1", "WITHSCORES"))
		for i := 0; i+1 < len(ms); i += 2 {
			f, err := strconv.ParseFloat(ms[i+1], 64)
			require.NoError(t, err)
			z[ms[i]] = f
		}
		// ZRANGE walks the encoding in order: it must be by score.
		pop := strs(c.Do(t, "ZPOPMIN", key))
		require.Len(t, pop, 2)
		for _, s := range z {
			assert.GreaterOrEqual(t, s, z[pop[0]], "ZPOPMIN answered %v", pop)
		}
		c.Do(t, "ZADD", key, pop[1], pop[0])
		return zsetValue(z)
	default:
		t.Fatalf("TYPE %s", typ)
	}
	return Value{}
}
