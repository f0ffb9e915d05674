package checker

import (
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oldDumpSample draws a value of typ with elements of every size.
func oldDumpSample(r *rand.Rand, typ string) string {
	elem := func() string {
		switch r.IntN(6) {
		case 0:
			return strings.Repeat("ab", 1+r.IntN(200))
		case 1:
			return []string{"0", "7", "-1", "300", "-70000", "9000000", "-3000000000", "2147483647", "-2147483648"}[r.IntN(9)]
		case 2:
			return "\x00\xff" + strconv.Itoa(r.IntN(9))
		}
		return "m" + strconv.Itoa(r.IntN(20))
	}
	n := 1 + r.IntN(6)
	switch typ {
	case tap.TypeString:
		return elem()
	case tap.TypeList:
		var es []string
		for ; n > 0; n-- {
			es = append(es, elem())
		}
		return tap.EncodeList(es)
	case tap.TypeSet:
		ms := []string{}
		seen := map[string]bool{}
		for ; n > 0; n-- {
			m := []string{"0", "7", "-1", "300", "-70000", "9000000", "-3000000000", "65535"}[r.IntN(8)]
			if r.IntN(8) == 0 {
				m = elem()
			}
			if !seen[m] {
				seen[m] = true
				ms = append(ms, m)
			}
		}
		return tap.EncodeSet(ms)
	case tap.TypeZset:
		var ms []tap.ZsetMember
		seen := map[string]bool{}
		for ; n > 0; n-- {
			if m := elem(); !seen[m] {
				seen[m] = true
				ms = append(ms, tap.ZsetMember{Member: m, Score: float64(r.IntN(2000)-1000) / 8})
			}
		}
		return tap.EncodeZset(ms)
	}
	var ps [][2]string
	seen := map[string]bool{}
	for ; n > 0; n-- {
		if f := elem(); !seen[f] {
			seen[f] = true
			ps = append(ps, [2]string{f, elem()})
		}
	}
	return tap.EncodeHash(ps)
}

// TestOldDumpFormsOfRealRedis RESTOREs payloads in every old form and
// length, integer and LZF encoding into a real redis-server 7.0.15 (with
// its default sanitize-dump-payload no): what decodeDump reads, Redis
// accepts with the same value (its DEBUG DIGEST-VALUE equals that of the
// value restored from a plain payload), and what decodeDump refuses,
// Redis refuses as "Bad data format".
func TestOldDumpFormsOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server 7.0.15 is needed")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
	c := srv.Dial(t)
	r := rand.New(rand.NewPCG(3, 4))
	types := []string{tap.TypeString, tap.TypeList, tap.TypeSet, tap.TypeZset, tap.TypeHash}
	accepted, refused := 0, 0
	for i := 0; i < 3000; i++ {
		typ := types[r.IntN(len(types))]
		val := oldDumpSample(r, typ)
		l := DumpLayout{Old: r.IntN(2) == 0, Ziplist: r.IntN(3) == 0, Forms: r.Uint64() | 1}
		if r.IntN(4) == 0 {
			l.OldBreak = OldBreak(1 + r.IntN(OldBreaks-1))
		}
		p := EncodeDumpAs(typ, val, DumpVersion, l)
		v, ok := decodeDump(p)
		got := c.Do(t, "RESTORE", "k", "0", p, "REPLACE")
		desc := redistest.Describe("%s %q %+v: %q", typ, val, l, p)
		if !ok {
			refused++
			require.Equal(t, resp.Error, got.Kind, desc)
			require.Equal(t, "ERR Bad data format", string(got.Str), desc)
			continue
		}
		accepted++
		require.Equal(t, "OK", got.String(), desc)
		plain, _ := decodeDump(EncodeDump(typ, val, DumpVersion))
		require.Equal(t, plain, v, desc)
		c.Do(t, "RESTORE", "plain", "0", EncodeDump(typ, val, DumpVersion), "REPLACE")
		assert.Equal(t, c.Do(t, "DEBUG", "DIGEST-VALUE", "plain").String(), c.Do(t, "DEBUG", "DIGEST-VALUE", "k").String(), desc)
	}
	t.Logf("%d accepted, %d refused", accepted, refused)
	assert.Greater(t, refused, 300)
}

// TestOldDumpFormsAsTheNodeReadsThem: the node's RESTORE accepts exactly
// the payloads decodeDump reads (the values are judged by the chaos runs'
// model).
func TestOldDumpFormsAsTheNodeReadsThem(t *testing.T) {
	h := nodetest.NewDefault(t)
	c := h.Conn()
	r := rand.New(rand.NewPCG(5, 6))
	types := []string{tap.TypeString, tap.TypeList, tap.TypeSet, tap.TypeZset, tap.TypeHash}
	for i := 0; i < 5000; i++ {
		typ := types[r.IntN(len(types))]
		val := oldDumpSample(r, typ)
		l := DumpLayout{Old: r.IntN(2) == 0, Ziplist: r.IntN(3) == 0, Forms: r.Uint64() | 1}
		if r.IntN(3) == 0 {
			l.OldBreak = OldBreak(1 + r.IntN(OldBreaks-1))
		}
		p := EncodeDumpAs(typ, val, DumpVersion, l)
		_, ok := decodeDump(p)
		reply := h.DoString(c, "RESTORE", "k", "0", p, "REPLACE")
		require.Equal(t, ok, reply == "+OK\r\n", "%s %q %+v: %s", typ, val, l, reply)
	}
}
