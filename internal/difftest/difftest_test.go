package difftest

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/require"
)

var (
	flagSeed = flag.Uint64("difftest.seed", 1, "seed of the random command sequence")
	flagOps  = flag.Int("difftest.ops", 20000, "number of random commands")
)

func wallNs() int64 { return time.Now().UnixNano() }
func wallMs() int64 { return time.Now().UnixMilli() }

// side is our half of a differential run: a target to send commands to
// and a function that reads what it propagated to a replica.
type side struct {
	name  string
	start func(t *testing.T) (Target, func() ([][]string, error))
}

// sides: the node in process (fast, fully controlled) and the same node
// behind `replsim server` on real TCP, its replication stream read by a
// replica connection like Redis's.
var sides = []side{{"in-process", nodeSide}, {"replsim-server", serverSide}}

func nodeSide(t *testing.T) (Target, func() ([][]string, error)) {
	h := nodetest.New(t, node.DefaultConfig())
	h.Env.SetNow(wallNs())
	repl := h.Replica()
	return &NodeTarget{H: h, Conn: h.Conn(), Clock: wallNs}, func() ([][]string, error) { return repl.Commands(), nil }
}

// replsim is the `replsim` binary, built once for the package's tests; its
// sources are inputs of this package's cached test result.
var replsim = &redistest.Binary{Pkg: "github.com/replsim/replsim/cmd/replsim"}

func TestMain(m *testing.M) {
	code := m.Run()
	replsim.Remove()
	os.Exit(code)
}

func serverSide(t *testing.T) (Target, func() ([][]string, error)) {
	srv := redistest.Start(t, replsim.Path(t), "server", "--enable-debug-command", "yes", "--save", "", "--appendonly", "no", "--repl-diskless-sync", "no")
	ours, err := DialTCP(srv.Addr(), 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ours.Close() })
	out, err := ours.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	require.NoError(t, err)
	require.Equal(t, "+OK\r\n", string(out))
	repl, err := AttachRedisReplica(srv.Addr(), 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = repl.Close() })
	return ours, func() ([][]string, error) { return repl.ReadUntil(Marker, 5*time.Second) }
}

// newRunner starts a redis-server and our side and connects to both.
func newRunner(t *testing.T, seed uint64, ourSide side) *Runner {
	t.Helper()
	addr := startRedis(t)
	theirs, err := DialTCP(addr, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = theirs.Close() })
	// Only lazy expiry on both sides, so DBSIZE and SCAN agree.
	out, err := theirs.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	require.NoError(t, err)
	require.Equal(t, "+OK\r\n", string(out))

	ours, oursStream := ourSide.start(t)
	theirsRepl, err := AttachRedisReplica(addr, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = theirsRepl.Close() })
	return &Runner{
		T: t, Ours: ours, Theirs: theirs, Seed: seed,
		OursStream:   oursStream,
		TheirsStream: func() ([][]string, error) { return theirsRepl.ReadUntil(Marker, 5*time.Second) },
	}
}

// TestScripted runs hand-written groups of commands, covering every
// command and its error paths, with FLUSHALL between groups.
func TestScripted(t *testing.T) {
	for _, sd := range sides {
		t.Run(sd.name, func(t *testing.T) {
			r := newRunner(t, 0, sd)
			for _, g := range scriptedGroups(wallMs()) {
				t.Run(g.name, func(t *testing.T) {
					r.T = t
					for _, cmd := range g.cmds {
						r.Do(cmd...)
					}
					r.Checkpoint()
					r.Do("FLUSHALL")
					r.Do("SELECT", "0")
				})
			}
		})
	}
}

// TestRandom runs a seeded random command sequence (see -difftest.seed and
// -difftest.ops) and requires zero mismatches.
func TestRandom(t *testing.T) {
	for _, sd := range sides {
		t.Run(sd.name, func(t *testing.T) { random(t, sd) })
	}
}

func random(t *testing.T, sd side) {
	seed := *flagSeed
	r := newRunner(t, seed, sd)
	g := NewGen(seed, wallMs)
	for i := 0; i < *flagOps && !r.Stopped(); i++ {
		args := g.Next()
		if r.InMulti() {
			// Inside MULTI the EXEC reply is compared byte for byte, so
			// nothing whose reply may legitimately differ is queued.
			for ModeFor(args) != Exact || strings.EqualFold(args[0], "scan") {
				args = g.Next()
			}
		}
		if r.Diverged() && !r.InMulti() && (strings.EqualFold(args[0], "dbsize") || strings.EqualFold(args[0], "scan") ||
			strings.EqualFold(args[0], "debug")) {
			// DBSIZE and SCAN ... TYPE none can see expired keys that
			// RANDOMKEY deleted on one side only.
			r.Resync()
		}
		r.Do(args...)
		if i%50 == 49 {
			r.Checkpoint()
		}
		if i%2000 == 1999 && !r.InMulti() {
			r.Do("FLUSHALL")
		}
	}
	r.Do("DISCARD")
	r.Checkpoint()
	t.Logf("seed %d: %d commands compared, %d mismatches", seed, r.Commands, r.Mismatches)
	require.Zero(t, r.Mismatches, "rerun with -difftest.seed %d", seed)
}

type group struct {
	name string
	cmds [][]string
}

func c(args ...string) []string { return args }

func scriptedGroups(now int64) []group {
	future := strconv.FormatInt(now+1_000_000, 10)
	futureSec := strconv.FormatInt(now/1000+1000, 10)
	past := strconv.FormatInt(now-1_000_000, 10)
	pastSec := strconv.FormatInt(now/1000-1000, 10)
	return []group{
		{"get-set", [][]string{
			c("GET", "k"), c("SET", "k", "v"), c("GET", "k"), c("set", "k", "v2", "xx"), c("SET", "k", "v3", "NX"),
			c("SET", "n", "1", "nx"), c("SET", "k", "a", "GET"), c("SET", "new", "a", "GET"), c("SET", "k", "b", "get", "get"),
			c("SET", "k", "c", "NX", "GET"), c("SET", "k2", "c", "XX", "GET"), c("SET", "k", "v", "NX", "XX"),
			c("SET", "k", "v", "EX", "100"), c("TTL", "k"), c("SET", "k", "v", "PX", "100000"), c("PTTL", "k"),
			c("SET", "k", "v", "EXAT", futureSec), c("EXPIRETIME", "k"), c("SET", "k", "v", "PXAT", future), c("PEXPIRETIME", "k"),
			c("SET", "k", "v2", "KEEPTTL"), c("PEXPIRETIME", "k"), c("SET", "k", "v3"), c("TTL", "k"),
			c("SET", "k", "v", "EX", "0"), c("SET", "k", "v", "EX", "-5"), c("SET", "k", "v", "EX", "abc"),
			c("SET", "k", "v", "EX"), c("SET", "k", "v", "EX", "10", "PX", "10"), c("SET", "k", "v", "KEEPTTL", "EX", "10"),
			c("SET", "k", "v", "EX", "10", "KEEPTTL"), c("SET", "k", "v", "EX", "10", "EX", "20"), c("TTL", "k"),
			c("SET", "k", "v", "PERSIST"), c("SET", "k", "v", "foo"), c("SET", "k", "v", "EX", "9223372036854775807"),
			c("SET", "k", "v", "EX", "9223372036854775"), c("SET", "k", "v", "PX", "9223372036854775807"),
			c("SET", "k", "v", "PXAT", "9223372036854775807"), c("TTL", "k"), c("SET", "k", "v", "EXAT", "9223372036854776"),
			c("SET", "k", "v", "PXAT", past), c("GET", "k"), c("EXISTS", "k"), c("SET", "k", "v", "EXAT", pastSec), c("TTL", "k"),
			c("SET", "k", "v", "GET", "PX", "0"), c("SET", "k", "v", "NX", "KEEPTTL", "GET"),
			c("SET", "k"), c("SET"), c("GET"), c("GET", "a", "b"),
			c("SET", "", ""), c("GET", ""), c("SET", "bin\x00key", "\x00\r\n"), c("GET", "bin\x00key"),
		}},
		{"setnx-setex", [][]string{
			c("SETNX", "k", "1"), c("SETNX", "k", "2"), c("GET", "k"), c("SETNX", "k"),
			c("SETEX", "k", "100", "v"), c("TTL", "k"), c("GET", "k"), c("SETEX", "k", "0", "v"), c("SETEX", "k", "-1", "v"),
			c("SETEX", "k", "x", "v"), c("SETEX", "k", "9223372036854775807", "v"), c("SETEX", "k", "9223372036854775", "v"),
			c("PSETEX", "k", "100000", "v"), c("PTTL", "k"), c("PSETEX", "k", "0", "v"), c("PSETEX", "k", "9223372036854775807", "v"),
			c("PSETEX", "k", "1.5", "v"), c("SETEX", "k", "10"), c("PSETEX"),
		}},
		{"getset-getdel-getex", [][]string{
			c("GETSET", "k", "1"), c("GETSET", "k", "2"), c("SET", "t", "v", "EX", "100"), c("GETSET", "t", "w"), c("TTL", "t"),
			c("GETDEL", "k"), c("GETDEL", "k"), c("EXISTS", "k"),
			c("GETEX", "nokey"), c("GETEX", "nokey", "EX", "abc"), c("SET", "k", "v"), c("GETEX", "k"), c("TTL", "k"),
			c("GETEX", "k", "EX", "100"), c("TTL", "k"), c("GETEX", "k", "PX", "200000"), c("PTTL", "k"),
			c("GETEX", "k", "EXAT", futureSec), c("EXPIRETIME", "k"), c("GETEX", "k", "PXAT", future), c("PEXPIRETIME", "k"),
			c("GETEX", "k", "PERSIST"), c("TTL", "k"), c("GETEX", "k", "PERSIST"), c("GETEX", "k", "EX", "0"),
			c("GETEX", "k", "EX", "-1"), c("GETEX", "k", "EX", "x"), c("GETEX", "k", "EX"), c("GETEX", "k", "NX"),
			c("GETEX", "k", "KEEPTTL"), c("GETEX", "k", "GET"), c("GETEX", "k", "EX", "1", "PX", "1"),
			c("GETEX", "k", "PERSIST", "EX", "1"), c("GETEX", "k", "EX", "10", "PERSIST"), c("GETEX", "k", "EX", "10", "EX", "20"), c("TTL", "k"),
			c("GETEX", "k", "EX", "9223372036854775807"), c("GETEX", "k", "PXAT", past), c("GET", "k"),
			c("SET", "k", "v"), c("GETEX", "k", "EXAT", pastSec), c("EXISTS", "k"), c("GETEX"), c("GETDEL"), c("GETSET", "k"),
		}},
		{"mget-mset", [][]string{
			c("MSET", "a", "1", "b", "2"), c("MGET", "a", "b", "c"), c("MSET", "a"), c("MSET", "a", "1", "b"),
			c("MSETNX", "c", "3", "d", "4"), c("MSETNX", "c", "x", "e", "5"), c("MGET", "c", "d", "e"), c("MSETNX", "a", "1", "b"),
			c("MSET", "a", "1", "a", "2"), c("GET", "a"), c("SET", "t", "v", "EX", "100"), c("MSET", "t", "w"), c("TTL", "t"),
			c("MGET"), c("MSET"), c("MSETNX", "x"),
		}},
		{"append-strlen-range", [][]string{
			c("APPEND", "k", "abc"), c("APPEND", "k", "def"), c("GET", "k"), c("STRLEN", "k"), c("STRLEN", "no"),
			c("APPEND", "k", ""), c("SET", "n", "10"), c("APPEND", "n", "5"), c("INCR", "n"),
			c("GETRANGE", "k", "0", "2"), c("GETRANGE", "k", "-3", "-1"), c("GETRANGE", "k", "0", "-1"), c("GETRANGE", "k", "5", "2"),
			c("GETRANGE", "k", "-1", "-5"), c("GETRANGE", "k", "-100", "100"), c("GETRANGE", "k", "10", "20"), c("GETRANGE", "no", "0", "1"),
			c("GETRANGE", "k", "x", "1"), c("GETRANGE", "k", "0", "y"), c("GETRANGE", "k", "0"),
			c("GETRANGE", "k", "9223372036854775807", "-9223372036854775808"), c("GETRANGE", "k", "-9223372036854775808", "9223372036854775807"),
			c("SETRANGE", "k", "1", "XY"), c("GET", "k"), c("SETRANGE", "k", "10", "Z"), c("GET", "k"), c("SETRANGE", "new", "3", "a"), c("GET", "new"),
			c("SETRANGE", "k", "0", ""), c("SETRANGE", "none", "5", ""), c("EXISTS", "none"), c("SETRANGE", "k", "-1", "a"),
			c("SETRANGE", "k", "x", "a"), c("SETRANGE", "k", "536870912", "a"), c("SETRANGE", "k", "536870911", "ab"),
			c("SETRANGE", "k", "9223372036854775807", "a"), c("SETRANGE", "none", "536870912", "a"), c("SETRANGE", "k", "1"),
			c("SET", "t", "v", "EX", "100"), c("APPEND", "t", "x"), c("SETRANGE", "t", "0", "y"), c("TTL", "t"), c("GET", "t"),
			c("APPEND"), c("STRLEN"),
		}},
		{"incr", [][]string{
			c("INCR", "n"), c("INCR", "n"), c("DECR", "n"), c("INCRBY", "n", "10"), c("DECRBY", "n", "3"), c("GET", "n"),
			c("INCRBY", "n", "x"), c("INCRBY", "n", "1.5"), c("INCRBY", "n", ""), c("INCRBY", "n", " 1"), c("INCRBY", "n", "+1"),
			c("INCRBY", "n", "01"), c("INCRBY", "n", "-0"), c("DECRBY", "n", "-9223372036854775808"), c("DECRBY", "n", "9223372036854775807"),
			c("SET", "m", "9223372036854775807"), c("INCR", "m"), c("SET", "m", "-9223372036854775808"), c("DECR", "m"),
			c("INCRBY", "m", "-1"), c("SET", "m", "9223372036854775808"), c("INCR", "m"), c("SET", "s", "abc"), c("INCR", "s"),
			c("SET", "s", " 1"), c("INCR", "s"), c("SET", "s", "1 "), c("INCR", "s"), c("SET", "s", "007"), c("INCR", "s"),
			c("SET", "s", ""), c("INCR", "s"), c("SET", "s", "-0"), c("INCR", "s"),
			c("SET", "t", "5", "EX", "100"), c("INCR", "t"), c("TTL", "t"), c("INCR"), c("INCRBY", "n"), c("DECR", "a", "b"),
		}},
		{"incrbyfloat", [][]string{
			c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "0.1"), c("GET", "f"),
			c("INCRBYFLOAT", "g", "5.0e3"), c("INCRBYFLOAT", "h", "3.0e-3"), c("INCRBYFLOAT", "h", "inf"), c("INCRBYFLOAT", "h", "-inf"),
			c("INCRBYFLOAT", "h", "nan"), c("INCRBYFLOAT", "h", "abc"), c("INCRBYFLOAT", "h", " 1"), c("INCRBYFLOAT", "h", "1 "),
			c("INCRBYFLOAT", "h", ""), c("INCRBYFLOAT", "h", "1e5000"), c("INCRBYFLOAT", "h", "1e-5000"),
			c("INCRBYFLOAT", "i", "1e308"), c("INCRBYFLOAT", "i", "1e308"), c("INCRBYFLOAT", "i", "1e4000"),
			c("INCRBYFLOAT", "j", "0x10"), c("INCRBYFLOAT", "j", "1."), c("INCRBYFLOAT", "j", ".5"), c("INCRBYFLOAT", "j", "-0"),
			c("INCRBYFLOAT", "j", "+2.5"), c("INCRBYFLOAT", "j", "0x1p-3"), c("INCRBYFLOAT", "j", "1e"), c("INCRBYFLOAT", "j", "0x"),
			c("INCRBYFLOAT", "j", "1_0"), c("INCRBYFLOAT", "j", "INF"), c("INCRBYFLOAT", "j", "Infinity"), c("INCRBYFLOAT", "j", "infinit"),
			c("INCRBYFLOAT", "k2", "1e-20"), c("GET", "k2"), c("INCRBYFLOAT", "k3", "-1e-20"), c("GET", "k3"),
			c("INCRBYFLOAT", "big", "1e100"), c("INCRBYFLOAT", "neg", "-123.456"), c("INCRBYFLOAT", "neg", "123.456"),
			c("INCRBYFLOAT", "x", "1.23456789012345678901234567890"), c("INCRBYFLOAT", "x", "1e17"), c("INCRBYFLOAT", "x", "0.5"),
			c("SET", "s", "abc"), c("INCRBYFLOAT", "s", "1"), c("SET", "s", "10"), c("INCRBYFLOAT", "s", "1.5"),
			c("SET", "s", "1e3"), c("INCRBYFLOAT", "s", "0"), c("SET", "s", "inf"), c("INCRBYFLOAT", "s", "1"),
			c("SET", "t", "1.5", "EX", "100"), c("INCRBYFLOAT", "t", "1"), c("TTL", "t"), c("INCRBYFLOAT", "t"),
		}},
		{"del-exists-type", [][]string{
			c("MSET", "a", "1", "b", "2", "c", "3"), c("DEL", "a", "x"), c("DEL", "a"), c("UNLINK", "b", "c", "b"),
			c("EXISTS", "a", "b"), c("SET", "a", "1"), c("EXISTS", "a", "a", "b"), c("TYPE", "a"), c("TYPE", "zz"),
			c("SET", "e", "1", "PXAT", past), c("EXISTS", "e"), c("DEL", "e"), c("TYPE", "e"),
			c("DEL"), c("UNLINK"), c("EXISTS"), c("TYPE"), c("TYPE", "a", "b"),
		}},
		{"keys-patterns", [][]string{
			c("MSET", "k1", "v", "k2", "v", "k3", "v", "key", "v", "kx", "v", "a*b", "v", "[x]", "v", `k\1`, "v", "K1", "v", "", "v"),
			c("SET", "dead", "v", "PXAT", past),
			c("KEYS", "*"), c("KEYS", "k*"), c("KEYS", "k?"), c("KEYS", "?"), c("KEYS", "*1"), c("KEYS", "k[1-2]"),
			c("KEYS", "k[^1]"), c("KEYS", "k[3-1]"), c("KEYS", `k\*`), c("KEYS", `a\*b`), c("KEYS", `[[]x]`), c("KEYS", `\[x\]`),
			c("KEYS", "["), c("KEYS", "k["), c("KEYS", "*["), c("KEYS", "[^"), c("KEYS", `k\`), c("KEYS", "**"), c("KEYS", "K*"),
			c("KEYS", "*e*"), c("KEYS", ""), c("KEYS", `k\\1`), c("KEYS", "[a-z]*"), c("KEYS", "k[!1]"), c("KEYS", `k[\]]`),
			c("KEYS", "k[1-"), c("KEYS", "*?*"), c("KEYS", "d*"), c("KEYS"), c("DBSIZE"),
		}},
		{"scan", [][]string{
			c("MSET", "k1", "v", "k2", "v", "k3", "v", "key", "v", "kx", "v", "a*b", "v"), c("SET", "dead", "v", "PXAT", past),
			c("SCAN", "0"), c("SCAN", "0", "COUNT", "1"), c("SCAN", "0", "MATCH", "k?"), c("SCAN", "0", "MATCH", "k*", "COUNT", "2"),
			c("SCAN", "0", "TYPE", "string"), c("SCAN", "0", "TYPE", "STRING"), c("SCAN", "0", "TYPE", "list"),
			c("SCAN", "0", "COUNT", "0"), c("SCAN", "0", "COUNT", "-1"), c("SCAN", "0", "COUNT", "x"), c("SCAN", "0", "COUNT"),
			c("SCAN", "0", "MATCH"), c("SCAN", "0", "bogus", "1"), c("SCAN", "x"), c("SCAN", " 1"), c("SCAN", "1x"),
			c("SCAN", "18446744073709551616"), c("SCAN", ""), c("SCAN", "+0"), c("SCAN", "-"), c("SCAN"), c("DBSIZE"),
		}},
		{"randomkey", [][]string{
			c("RANDOMKEY"), c("SET", "a", "1"), c("RANDOMKEY"), c("SET", "b", "1", "PXAT", past), c("DEL", "a"), c("RANDOMKEY"),
			c("DBSIZE"), c("RANDOMKEY", "x"),
		}},
		{"rename", [][]string{
			c("RENAME", "a", "b"), c("RENAMENX", "a", "b"), c("SET", "a", "1"), c("RENAME", "a", "a"), c("RENAMENX", "a", "a"),
			c("RENAME", "a", "b"), c("GET", "b"), c("SET", "c", "3", "EX", "100"), c("RENAME", "c", "d"), c("TTL", "d"),
			c("RENAMENX", "d", "b"), c("RENAMENX", "d", "e"), c("TTL", "e"), c("SET", "x", "1", "PXAT", past), c("RENAME", "x", "y"),
			c("RENAMENX", "e", "x"), c("RENAME", "e", "b"), c("MGET", "b", "e"), c("RENAME", "a"), c("RENAMENX", "a", "b", "c"),
		}},
		{"expire", [][]string{
			c("EXPIRE", "no", "100"), c("SET", "k", "v"), c("EXPIRE", "k", "100"), c("TTL", "k"), c("PEXPIRE", "k", "200000"), c("PTTL", "k"),
			c("EXPIREAT", "k", futureSec), c("EXPIRETIME", "k"), c("PEXPIREAT", "k", future), c("PEXPIRETIME", "k"),
			c("EXPIRE", "k", "100", "NX"), c("EXPIRE", "k", "100", "XX"), c("TTL", "k"), c("EXPIRE", "k", "50", "GT"), c("EXPIRE", "k", "5000", "GT"),
			c("TTL", "k"), c("EXPIRE", "k", "6000", "LT"), c("EXPIRE", "k", "50", "lt"), c("TTL", "k"), c("PERSIST", "k"), c("PERSIST", "k"),
			c("EXPIRE", "k", "100", "XX"), c("EXPIRE", "k", "100", "GT"), c("EXPIRE", "k", "100", "LT"), c("TTL", "k"),
			c("PERSIST", "k"), c("EXPIRE", "k", "100", "NX"), c("EXPIRE", "k", "100", "NX", "XX"), c("EXPIRE", "k", "100", "NX", "GT"),
			c("EXPIRE", "k", "100", "GT", "LT"),
			// XX GT is a valid pair. Its times are far apart on purpose: the key's
			// TTL was set a few commands ago to now+100 s, so "100 XX GT" would
			// answer 1 or 0 depending on whether each server's millisecond clock
			// ticked in between (flaky, about 1 run in 4).
			c("EXPIRE", "k", "200", "XX", "GT"), c("EXPIRE", "k", "50", "XX", "GT"), c("TTL", "k"), c("EXPIRE", "k", "100", "foo"), c("EXPIRE", "k", "100", "nx", "foo"),
			c("EXPIRE", "k", "x"), c("EXPIRE", "k", "x", "foo"), c("EXPIRE", "k", "9223372036854775807"), c("EXPIRE", "k", "-9223372036854775808"),
			c("PEXPIRE", "k", "9223372036854775807"), c("EXPIREAT", "k", "9223372036854775807"), c("PEXPIREAT", "k", "9223372036854775807"),
			c("TTL", "k"), c("EXPIRE", "k", "9223372036854775"), c("EXPIRE", "k", "-9223372036854775"), c("EXISTS", "k"),
			c("SET", "k", "v"), c("EXPIRE", "k", "0"), c("EXISTS", "k"), c("SET", "k", "v"), c("PEXPIRE", "k", "-1"), c("EXISTS", "k"),
			c("SET", "k", "v"), c("EXPIREAT", "k", pastSec), c("EXISTS", "k"), c("SET", "k", "v"), c("PEXPIREAT", "k", past), c("EXISTS", "k"),
			c("SET", "k", "v"), c("PEXPIREAT", "k", "-5"), c("EXISTS", "k"),
			c("SET", "k", "v", "EX", "100"), c("EXPIRE", "k", "-1", "GT"), c("EXPIRE", "k", "-1", "LT"), c("EXISTS", "k"),
			c("TTL", "no"), c("PTTL", "no"), c("EXPIRETIME", "no"), c("PEXPIRETIME", "no"), c("SET", "p", "v"), c("TTL", "p"), c("PEXPIRETIME", "p"),
			c("PERSIST", "no"), c("EXPIRE", "k"), c("TTL"), c("PERSIST"), c("EXPIRETIME", "a", "b"),
		}},
		{"connection", [][]string{
			c("PING"), c("PING", "hi"), c("ECHO", "x"), c("HELLO"), c("HELLO", "2"), c("HELLO", "1"), c("HELLO", "4"), c("HELLO", "x"),
			c("HELLO", "2", "SETNAME", "conn1"), c("CLIENT", "GETNAME"), c("HELLO", "2", "AUTH", "default", "pw"), c("HELLO", "2", "foo"),
			c("HELLO", "2", "SETNAME"), c("HELLO", "2", "AUTH", "default"), c("HELLO", "2", "SETNAME", "a b"),
			c("CLIENT", "SETNAME", "x y"), c("CLIENT", "SETNAME", "ok"), c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME", ""),
			c("CLIENT", "GETNAME"), c("CLIENT", "ID"), c("CLIENT", "LIST"), c("CLIENT", "INFO"), c("CLIENT", "LIST", "TYPE", "normal"),
			c("CLIENT", "LIST", "TYPE", "bogus"), c("CLIENT", "LIST", "x"), c("CLIENT", "LIST", "ID", "x"), c("CLIENT", "foo"),
			c("CLIENT", "SETNAME"), c("CLIENT", "GETNAME", "x"), c("CLIENT", "ID", "x"), c("CLIENT"), c("CLIENT", "NO-EVICT", "on"),
			c("COMMAND", "COUNT"), c("COMMAND", "DOCS", "nosuch"), c("COMMAND", "foo"), c("COMMAND", "COUNT", "x"),
			c("COMMAND", "INFO", "get", "nosuch"), c("FUNCTION", "FLUSH"), c("FUNCTION", "FLUSH", "ASYNC"), c("FUNCTION", "FLUSH", "sync"),
			c("FUNCTION", "FLUSH", "foo"), c("FUNCTION", "FLUSH", "a", "b"), c("FUNCTION", "foo"), c("FUNCTION"),
			c("SET", "k", "v"), c("DEBUG", "DIGEST"), c("DEBUG", "DIGEST-VALUE", "k", "no"), c("DEBUG", "DIGEST-VALUE"),
			c("DEBUG", "foo"), c("DEBUG", "DIGEST", "x"), c("DEBUG"), c("NOSUCH", "a", "b"),
		}},
		{"select-flush", [][]string{
			c("SET", "k", "0"), c("SELECT", "1"), c("GET", "k"), c("SET", "k", "1"), c("DBSIZE"), c("FLUSHDB"), c("DBSIZE"),
			c("SELECT", "0"), c("GET", "k"), c("FLUSHDB", "ASYNC"), c("FLUSHDB", "foo"), c("FLUSHALL", "SYNC"), c("FLUSHALL", "a", "b"),
			c("SELECT", "16"), c("SELECT", "x"), c("DBSIZE", "x"),
		}},
		{"multi", [][]string{
			c("MULTI"), c("SET", "a", "1"), c("INCR", "a"), c("GETEX", "a", "PERSIST"), c("EXEC"),
			c("MULTI"), c("SET", "a"), c("GET", "a"), c("EXEC"), c("MULTI"), c("INCR", "a"), c("DISCARD"), c("GET", "a"),
			c("EXEC"), c("DISCARD"), c("MULTI"), c("MULTI"), c("DISCARD"),
		}},
		{"keyspace", keyspaceGroup(now)},
		{"watch", [][]string{
			c("SET", "w", "1"), c("WATCH", "w", "x"), c("GET", "w"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "w"), c("SET", "w", "2"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "w"), c("SETNX", "w", "3"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "w"), c("EXPIRE", "w", "100"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "x"), c("DEL", "x"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "x"), c("FLUSHDB"), c("MULTI"), c("PING"), c("EXEC"),
			c("SET", "x", "1"), c("WATCH", "x"), c("FLUSHALL"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "s"), c("SADD", "s", "a"), c("SADD", "s", "a"), c("UNWATCH"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "s"), c("SADD", "s", "a"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "s"), c("SADD", "s", "b"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "w"), c("SELECT", "1"), c("SET", "w", "9"), c("SELECT", "0"), c("MULTI"), c("PING"), c("EXEC"),
			c("SET", "w", "1"), c("WATCH", "w"), c("SWAPDB", "0", "1"), c("MULTI"), c("PING"), c("EXEC"),
			c("WATCH", "w"), c("MULTI"), c("WATCH", "w"), c("UNWATCH"), c("EXEC"),
			c("WATCH"), c("UNWATCH", "x"), c("SWAPDB", "0"), c("SWAPDB", "x", "1"), c("SWAPDB", "0", "x"), c("SWAPDB", "0", "16"),
			c("WATCH", "w"), c("SET", "w", "5"), c("MULTI"), c("DISCARD"), c("MULTI"), c("PING"), c("EXEC"),
		}},
		{"introspection", [][]string{
			c("CONFIG", "RESETSTAT"), c("SET", "k", "v"), c("SET", "k"), c("NOSUCH"), c("AUTH", "x"), c("INFO", "errorstats"),
			c("CONFIG", "GET", "latency-tracking-info-percentiles"), c("CONFIG", "SET", "latency-tracking-info-percentiles", "1 2.5 100"),
			c("CONFIG", "GET", "latency-tracking-info-percentiles"), c("CONFIG", "SET", "latency-tracking-info-percentiles", "x"),
			c("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"), c("CONFIG", "GET", "latency-tracking"),
			c("COMMAND", "GETKEYS", "set", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"),
			c("COMMAND", "GETKEYS", "mset", "a", "b", "c"), c("COMMAND", "GETKEYS", "ping", "x"), c("COMMAND", "INFO", "config|get"),
			c("COMMAND", "LIST", "FILTERBY", "PATTERN", "getdel"), c("COMMAND", "LIST", "x"), c("COMMAND", "DOCS", "get"),
			c("DEBUG", "PROTOCOL", "map"), c("DEBUG", "PROTOCOL", "bignum"), c("DEBUG", "PROTOCOL", "x"),
			c("CONFIG", "GET", "oom-score-adj-values"), c("CONFIG", "GET", "shutdown-on-sigterm"), c("CONFIG", "GET", "proc-title-template"),
			c("CONFIG", "SET", "shutdown-on-sigterm", "now force"), c("CONFIG", "GET", "shutdown-on-sigterm"), c("CONFIG", "SET", "shutdown-on-sigterm", "default"),
			c("CLIENT", "REPLY", "bad"), c("CLIENT", "REPLY", "ON"), c("RESET"), c("RESET", "x"), c("TIME", "x"),
		}},
		listGroup(),
	}
}
