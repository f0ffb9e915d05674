package difftest

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Gen generates random commands over a small key space, mixing valid and
// invalid arguments. Expiry times are either far in the future or already
// past, never near "now", so the two servers cannot disagree on whether a
// key has expired by the time they see the next command.
type Gen struct {
	r *rand.Rand
	// NowMs returns the current Unix time in ms, for absolute expiries.
	NowMs func() int64
}

// NewGen returns a generator seeded with seed.
func NewGen(seed uint64, nowMs func() int64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, 0x6469666674657374)), NowMs: nowMs}
}

// Keys is the generator's key space; a few names exercise glob patterns.
var Keys = []string{"k1", "k2", "k3", "k4", "key", "kx", "a*b", "[x]", `k\1`, "K1", "num", "flt"}

var values = []string{
	"", "0", "1", "-1", "42", "abc", "3.5", "-2.25", "1e3", "5.0e3", "0.1", "10.5",
	"9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
	" 1", "1 ", "0x10", "inf", "-inf", "nan", "1.5e308", "hello world", "007", "+5", "-0",
	"1e-20", ".5", "1.", "12345678901234567890.5", "\x00bin\r\n", strings.Repeat("v", 40),
}

var ints = []string{
	"0", "1", "-1", "2", "3", "-3", "10", "100", "-100", "abc", "", "1.5", " 1", "+1", "01",
	"9223372036854775807", "-9223372036854775808", "9223372036854775808", "4611686018427387904",
	"9223372036854775", "-9223372036854775",
}

var patterns = []string{
	"*", "k*", "k?", "?", "*1", "k[1-3]", "k[^1]", "k[3-1]", `k\*`, `a\*b`, `[[]x]`, `\[x\]`,
	"[", "k[", "*[", "[^", `k\`, "**", "K*", "*e*", "nomatch", "", "a*b", `k\\1`, "[a-z]*", "k[!1]",
}

func (g *Gen) pick(list []string) string { return list[g.r.IntN(len(list))] }
func (g *Gen) key() string               { return g.pick(Keys) }
func (g *Gen) val() string {
	switch g.r.IntN(8) {
	case 0, 1:
		return strconv.Itoa(g.r.IntN(200) - 100)
	case 2:
		return g.float()
	}
	return g.pick(values)
}

// float returns a random decimal or hex float string, for INCRBYFLOAT's
// long double arithmetic and formatting.
func (g *Gen) float() string {
	switch g.r.IntN(4) {
	case 0:
		return strconv.FormatFloat((g.r.Float64()-0.5)*1000, 'f', g.r.IntN(25), 64)
	case 1:
		return strconv.Itoa(g.r.IntN(1000)-500) + "e" + strconv.Itoa(g.r.IntN(80)-40)
	case 2:
		return strconv.FormatFloat(g.r.NormFloat64()*1e6, 'g', 20, 64)
	default:
		return "0x" + strconv.FormatUint(g.r.Uint64()>>8, 16) + "p" + strconv.Itoa(g.r.IntN(40)-20)
	}
}
func (g *Gen) intArg() string {
	if g.r.IntN(3) == 0 {
		return strconv.Itoa(g.r.IntN(40) - 10)
	}
	return g.pick(ints)
}
func (g *Gen) chance(n int) bool { return g.r.IntN(n) == 0 }

// ttlArg returns an expiry argument for unit (ex, px, exat, pxat): mostly
// valid and far in the future or in the past, sometimes invalid.
func (g *Gen) ttlArg(unit string) string {
	if g.chance(6) {
		return g.pick([]string{"0", "-1", "abc", "", "9223372036854775807", "9223372036854775", "1.5"})
	}
	now := g.NowMs()
	switch unit {
	case "ex":
		return strconv.Itoa(100 + g.r.IntN(100000))
	case "px":
		return strconv.Itoa(100000 + g.r.IntN(100000000))
	case "exat":
		if g.chance(3) {
			return strconv.FormatInt(1+g.r.Int64N(now/1000-10), 10) // past
		}
		return strconv.FormatInt(now/1000+100+g.r.Int64N(100000), 10)
	default: // pxat
		if g.chance(3) {
			return strconv.FormatInt(1+g.r.Int64N(now-10000), 10)
		}
		return strconv.FormatInt(now+100000+g.r.Int64N(100000000), 10)
	}
}

// expireTime returns an EXPIRE-family time argument for cmd.
func (g *Gen) expireTime(cmd string) string {
	if g.chance(8) {
		return g.pick([]string{"abc", "", "9223372036854775807", "-9223372036854775808", "9223372036854775", "-9223372036854775", "1.5"})
	}
	now := g.NowMs()
	past := g.chance(4)
	switch cmd {
	case "expire":
		if past {
			return strconv.Itoa(-g.r.IntN(100))
		}
		return strconv.Itoa(100 + g.r.IntN(100000))
	case "pexpire":
		if past {
			return strconv.Itoa(-g.r.IntN(100000))
		}
		return strconv.Itoa(100000 + g.r.IntN(100000000))
	case "expireat":
		if past {
			return strconv.FormatInt(g.r.Int64N(now/1000-10), 10)
		}
		return strconv.FormatInt(now/1000+100+g.r.Int64N(100000), 10)
	default:
		if past {
			return strconv.FormatInt(g.r.Int64N(now-10000), 10)
		}
		return strconv.FormatInt(now+100000+g.r.Int64N(100000000), 10)
	}
}

func (g *Gen) caseMix(s string) string {
	switch g.r.IntN(3) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return strings.ToLower(s)
	}
	b := []byte(s)
	for i := range b {
		if g.chance(2) {
			b[i] = strings.ToUpper(string(b[i]))[0]
		}
	}
	return string(b)
}

// setOptions returns a random list of SET (forGet false) or GETEX options.
func (g *Gen) setOptions(forGet bool) []string {
	var out []string
	for n := g.r.IntN(3); n > 0; n-- {
		var opts []string
		if forGet {
			opts = []string{"persist", "ex", "px", "exat", "pxat", "nx", "keepttl"}
		} else {
			opts = []string{"nx", "xx", "get", "keepttl", "ex", "px", "exat", "pxat", "persist", "bogus"}
		}
		o := g.pick(opts)
		out = append(out, g.caseMix(o))
		switch o {
		case "ex", "px", "exat", "pxat":
			if !g.chance(15) { // sometimes the value is missing
				out = append(out, g.ttlArg(o))
			}
		}
	}
	return out
}

// Next returns the next random command: a string or keyspace command,
// (two in five) a hash or set command, or (some of the rest) a generic
// keyspace or bit command (Keyspace).
func (g *Gen) Next() []string {
	if g.r.IntN(5) < 2 {
		if g.chance(3) {
			return g.List()
		}
		return g.Typed()
	}
	if g.chance(5) {
		return g.Keyspace()
	}
	k := g.key()
	switch g.r.IntN(48) {
	case 0, 1, 2:
		return append([]string{"SET", k, g.val()}, g.setOptions(false)...)
	case 3, 4:
		return []string{"GET", k}
	case 5:
		return []string{"SETNX", k, g.val()}
	case 6:
		return []string{"SETEX", k, g.ttlArg("ex"), g.val()}
	case 7:
		return []string{"PSETEX", k, g.ttlArg("px"), g.val()}
	case 8:
		return []string{"GETSET", k, g.val()}
	case 9:
		return []string{"GETDEL", k}
	case 10, 11:
		return append([]string{"GETEX", k}, g.setOptions(true)...)
	case 12:
		return append([]string{"MGET"}, g.keys(1+g.r.IntN(4))...)
	case 13:
		return g.mset("MSET")
	case 14:
		return g.mset("MSETNX")
	case 15:
		return []string{"APPEND", k, g.val()}
	case 16:
		return []string{"STRLEN", k}
	case 17, 18:
		return []string{g.pick([]string{"INCR", "DECR"}), g.pick([]string{k, "num"})}
	case 19, 20:
		return []string{g.pick([]string{"INCRBY", "DECRBY"}), g.pick([]string{k, "num"}), g.intArg()}
	case 21, 22:
		return []string{"INCRBYFLOAT", g.pick([]string{k, "flt"}), g.val()}
	case 23:
		return []string{"GETRANGE", k, g.intArg(), g.intArg()}
	case 24:
		off := g.intArg()
		if g.chance(10) {
			off = g.pick([]string{"536870912", "600000000", "9223372036854775807"})
		}
		return []string{"SETRANGE", k, off, g.val()}
	case 25:
		return append([]string{g.pick([]string{"DEL", "UNLINK"})}, g.keys(1+g.r.IntN(3))...)
	case 26:
		return append([]string{"EXISTS"}, g.keys(1+g.r.IntN(3))...)
	case 27:
		return []string{"TYPE", k}
	case 28:
		return []string{"KEYS", g.pick(patterns)}
	case 29:
		return g.scan()
	case 30:
		return []string{"RANDOMKEY"}
	case 31, 32:
		return []string{g.pick([]string{"RENAME", "RENAMENX"}), k, g.key()}
	case 33, 34, 35:
		cmd := g.pick([]string{"expire", "pexpire", "expireat", "pexpireat"})
		args := []string{g.caseMix(cmd), k, g.expireTime(cmd)}
		for n := g.r.IntN(3); n > 0 && g.chance(2); n-- {
			args = append(args, g.caseMix(g.pick([]string{"nx", "xx", "gt", "lt", "nx", "xx", "gt", "lt", "zz"})))
		}
		return args
	case 36, 37:
		return []string{g.pick([]string{"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}), k}
	case 38:
		return []string{"PERSIST", k}
	case 39:
		return []string{"DBSIZE"}
	case 40:
		return g.arityError()
	case 41:
		return []string{"ECHO", g.val()}
	case 42:
		return []string{"SELECT", g.pick([]string{"0", "1", "0", "16", "-1", "abc"})}
	case 43:
		return g.multi()
	case 44:
		return []string{"CLIENT", g.pick([]string{"GETNAME", "SETNAME", "setname", "bogus"}), g.pick([]string{"conn1", "a b", ""})}[:2+g.r.IntN(2)]
	case 45:
		return []string{"HELLO", g.pick([]string{"2", "1", "4", "x", "2"})}
	case 46:
		return []string{g.pick([]string{"EXISTS", "GET", "TTL"}), g.pick(Keys)}
	default:
		return []string{"PING"}
	}
}

func (g *Gen) keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.key()
	}
	return out
}

func (g *Gen) mset(cmd string) []string {
	args := []string{cmd}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		args = append(args, g.key(), g.val())
	}
	if g.chance(8) {
		args = args[:len(args)-1] // odd argument count
	}
	return args
}

func (g *Gen) scan() []string {
	args := []string{"SCAN", "0"}
	if g.chance(10) {
		args[1] = g.pick([]string{"abc", " 1", "", "+0", "18446744073709551616", "1x", "-"})
	}
	for n := g.r.IntN(3); n > 0; n-- {
		switch g.r.IntN(4) {
		case 0:
			args = append(args, "MATCH", g.pick(patterns))
		case 1:
			args = append(args, "COUNT", g.pick([]string{"1", "2", "5", "100", "0", "-1", "x"}))
		case 2:
			args = append(args, "TYPE", g.pick([]string{"string", "STRING", "list", "none", "hash", "set", "SET"}))
		default:
			args = append(args, g.pick([]string{"MATCH", "COUNT", "TYPE", "bogus"}))
		}
	}
	return args
}

// arityError returns a command with a wrong number of arguments.
func (g *Gen) arityError() []string {
	cases := [][]string{
		{"GET"}, {"GET", "a", "b"}, {"SET", "k"}, {"SETNX", "k"}, {"SETEX", "k", "10"},
		{"PSETEX", "k"}, {"GETSET", "k"}, {"GETDEL"}, {"GETEX"}, {"MGET"}, {"MSET", "k"},
		{"MSETNX"}, {"APPEND", "k"}, {"STRLEN"}, {"INCR"}, {"INCRBY", "k"}, {"DECRBY", "k", "1", "2"},
		{"INCRBYFLOAT", "k"}, {"GETRANGE", "k", "0"}, {"SETRANGE", "k", "0"}, {"DEL"}, {"UNLINK"},
		{"EXISTS"}, {"TYPE"}, {"KEYS"}, {"SCAN"}, {"RANDOMKEY", "x"}, {"RENAME", "k"},
		{"RENAMENX", "k", "a", "b"}, {"EXPIRE", "k"}, {"PEXPIREAT"}, {"TTL"}, {"PTTL", "a", "b"},
		{"EXPIRETIME"}, {"PERSIST"}, {"DBSIZE", "x"}, {"ECHO"}, {"PING", "a", "b"}, {"NOSUCHCMD", "a"},
		{"CLIENT"}, {"CLIENT", "ID", "x"}, {"FUNCTION"}, {"COMMAND", "COUNT", "x"},
	}
	if g.chance(2) {
		return typedArityErrors[g.r.IntN(len(typedArityErrors))]
	}
	return cases[g.r.IntN(len(cases))]
}

// multi returns a MULTI, EXEC or DISCARD; the suite keeps them paired.
func (g *Gen) multi() []string {
	return []string{g.pick([]string{"MULTI", "EXEC", "DISCARD"})}
}
