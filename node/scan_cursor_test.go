package node_test

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// scanKind is one of the SCAN family, with how to add and remove an
// element and how to start a fresh iteration.
type scanKind struct {
	name   string
	setup  [][]string // CONFIG SETs that force the table encoding
	add    func(m string) []string
	rem    func(m string) []string
	scan   func(cursor string) []string
	pairs  bool // replies hold element, value pairs
	update func(m string, v int) []string
}

var scanKinds = []scanKind{
	{
		name:   "scan",
		add:    func(m string) []string { return []string{"SET", m, "v"} },
		rem:    func(m string) []string { return []string{"DEL", m} },
		scan:   func(c string) []string { return []string{"SCAN", c, "COUNT", "3"} },
		update: func(m string, v int) []string { return []string{"SET", m, strconv.Itoa(v)} },
	},
	{
		name:   "hscan",
		setup:  [][]string{{"CONFIG", "SET", "hash-max-listpack-entries", "0"}},
		add:    func(m string) []string { return []string{"HSET", "k", m, "v"} },
		rem:    func(m string) []string { return []string{"HDEL", "k", m} },
		scan:   func(c string) []string { return []string{"HSCAN", "k", c, "COUNT", "3"} },
		pairs:  true,
		update: func(m string, v int) []string { return []string{"HSET", "k", m, strconv.Itoa(v)} },
	},
	{
		name:   "sscan",
		add:    func(m string) []string { return []string{"SADD", "k", m} },
		rem:    func(m string) []string { return []string{"SREM", "k", m} },
		scan:   func(c string) []string { return []string{"SSCAN", "k", c, "COUNT", "3"} },
		update: func(m string, _ int) []string { return []string{"SADD", "k", m} },
	},
	{
		name:   "zscan",
		setup:  [][]string{{"CONFIG", "SET", "zset-max-listpack-entries", "0"}},
		add:    func(m string) []string { return []string{"ZADD", "k", "1", m} },
		rem:    func(m string) []string { return []string{"ZREM", "k", m} },
		scan:   func(c string) []string { return []string{"ZSCAN", "k", c, "COUNT", "3"} },
		pairs:  true,
		update: func(m string, v int) []string { return []string{"ZADD", "k", strconv.Itoa(v), m} },
	},
}

// scanReply parses a SCAN-family reply into the next cursor and the
// elements (values of pairs dropped).
func scanReply(t require.TestingT, raw []byte, pairs bool) (string, []string) {
	v, _, err := resp.ParseValue(raw)
	require.NoError(t, err)
	require.Len(t, v.Array, 2, "reply %q", raw)
	var out []string
	step := 1
	if pairs {
		step = 2
	}
	for i := 0; i < len(v.Array[1].Array); i += step {
		out = append(out, string(v.Array[1].Array[i].Str))
	}
	return string(v.Array[0].Str), out
}

// TestScanReturnsEveryElementPresentThroughout checks Redis's SCAN
// guarantee under random adds, removes and updates between the calls of
// an iteration: every element present from its start to its end is
// returned at least once, nothing returned was never added, and each call
// returns at most COUNT elements.
func TestScanReturnsEveryElementPresentThroughout(t *testing.T) {
	for _, k := range scanKinds {
		t.Run(k.name, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				h := nodetest.New(t, node.DefaultConfig())
				c := h.Conn()
				for _, s := range k.setup {
					require.Equal(rt, "+OK\r\n", h.DoString(c, s...))
				}
				universe := rapid.IntRange(1, 60).Draw(rt, "universe")
				name := func(i int) string { return "m" + strconv.Itoa(i) }
				present := map[int]bool{}
				for i := 0; i < universe; i++ {
					if rapid.Bool().Draw(rt, "initially") {
						h.Do(c, k.add(name(i))...)
						present[i] = true
					}
				}
				throughout := map[string]bool{}
				for i := range present {
					throughout[name(i)] = true
				}
				seen := map[string]bool{}
				cursor := "0"
				for calls := 0; ; calls++ {
					require.Less(rt, calls, 1000, "iteration does not end")
					next, got := scanReply(rt, h.Do(c, k.scan(cursor)...), k.pairs)
					require.LessOrEqual(rt, len(got), 3)
					for _, m := range got {
						seen[m] = true
					}
					if cursor = next; cursor == "0" {
						break
					}
					for j := rapid.IntRange(0, 6).Draw(rt, "ops"); j > 0; j-- {
						i := rapid.IntRange(0, universe-1).Draw(rt, "elem")
						switch rapid.IntRange(0, 2).Draw(rt, "op") {
						case 0:
							h.Do(c, k.add(name(i))...)
							present[i] = true
						case 1:
							h.Do(c, k.rem(name(i))...)
							delete(present, i)
							delete(throughout, name(i))
						default:
							h.Do(c, k.update(name(i), j)...)
							present[i] = true
						}
					}
				}
				for m := range throughout {
					require.True(rt, seen[m], "%s present throughout but not returned", m)
				}
				for m := range seen {
					i, err := strconv.Atoi(m[1:])
					require.NoError(rt, err)
					require.Less(rt, i, universe, "returned %s, never added", m)
				}
			})
		})
	}
}

// TestScanCursorOutOfRange checks that a cursor past the end (the
// collection shrank, or a client made one up) is clamped, not an error.
func TestScanCursorOutOfRange(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "hash-max-listpack-entries", "0"))
	for i := 0; i < 5; i++ {
		h.Do(c, "HSET", "h", "f"+strconv.Itoa(i), "v")
		h.Do(c, "SET", "k"+strconv.Itoa(i), "v")
	}
	for _, args := range [][]string{
		{"SCAN", "1000000", "COUNT", "100"},
		{"SCAN", "18446744073709551615", "COUNT", "100"},
		{"HSCAN", "h", "1000000", "COUNT", "100"},
	} {
		next, got := scanReply(t, h.Do(c, args...), args[0] == "HSCAN")
		require.Equal(t, "0", next, "%q", args)
		want := 5
		if args[0] == "SCAN" {
			want = 6 // k0..k4 and h
		}
		require.Len(t, got, want, "%q", args)
	}
}

// TestScanDeterministicOrder checks that two nodes fed the same commands
// reply to SCAN identically (no map order leaks).
func TestScanDeterministicOrder(t *testing.T) {
	run := func() []string {
		h := nodetest.New(t, node.DefaultConfig())
		c := h.Conn()
		h.Do(c, "CONFIG", "SET", "zset-max-listpack-entries", "0")
		for i := 0; i < 50; i++ {
			h.Do(c, "SET", "k"+strconv.Itoa(i), "v")
			h.Do(c, "ZADD", "z", strconv.Itoa(i%7), "m"+strconv.Itoa(i))
		}
		for i := 0; i < 50; i += 3 {
			h.Do(c, "DEL", "k"+strconv.Itoa(i))
			h.Do(c, "ZREM", "z", "m"+strconv.Itoa(i))
		}
		return []string{h.DoString(c, "SCAN", "0", "COUNT", "7"), h.DoString(c, "ZSCAN", "z", "0", "COUNT", "7")}
	}
	a, b := run(), run()
	require.Equal(t, a, b)
	require.Contains(t, a[0], "k")
	require.Contains(t, a[1], "m")
}
