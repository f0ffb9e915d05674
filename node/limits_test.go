package node

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxClients(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxClients = 3
	tn := newTestNode(t, cfg, nil) // one client
	tn.n.OnAccept(8, "127.0.0.1:5001")
	tn.n.OnAccept(9, "127.0.0.1:5002")
	assert.False(t, tn.env.closed[9])
	tn.n.OnAccept(10, "127.0.0.1:5003")
	assert.Equal(t, errMaxClients, string(tn.env.sent[10]))
	assert.True(t, tn.env.closed[10])
	assert.Contains(t, string(tn.send("INFO", "stats")), "rejected_connections:1\r\n")
	assert.Equal(t, "OK", tn.do("CONFIG", "SET", "maxclients", "4"))
	tn.n.OnAccept(11, "127.0.0.1:5004")
	assert.False(t, tn.env.closed[11])
	assert.Equal(t, "1) \"maxclients\"\n2) \"4\"", tn.do("CONFIG", "GET", "maxclients"))
}

func TestConfigOutputBufferLimit(t *testing.T) {
	tn := newTestNode(t, DefaultConfig(), nil)
	assert.Equal(t, "1) \"client-output-buffer-limit\"\n2) \"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\"",
		tn.do("CONFIG", "GET", "client-output-buffer-limit"))
	assert.Equal(t, "OK", tn.do("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 512kb 10 replica 1gb 2 3"))
	assert.Equal(t, "1) \"client-output-buffer-limit\"\n2) \"normal 1048576 524288 10 slave 1073741824 2 3 pubsub 33554432 8388608 60\"",
		tn.do("CONFIG", "GET", "client-output-buffer-limit"))
	for arg, msg := range map[string]string{
		"normal 1 2":       "Wrong number of arguments in buffer limit configuration.",
		"master 1 2 3":     "Invalid client class specified in buffer limit configuration.",
		"normal x 2 3":     "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
		"normal 1 2 -3":    "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
		"pubsub 1 2 3 x 1": "Wrong number of arguments in buffer limit configuration.",
	} {
		assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "+msg,
			tn.do("CONFIG", "SET", "client-output-buffer-limit", arg), arg)
	}
}

// meterEnv is fakeEnv with a peer that reads nothing: every byte sent
// stays unsent, and aborting drops it.
type meterEnv struct {
	*fakeEnv
	aborted map[ConnID]bool
	sends   int
}

func (e *meterEnv) Send(c ConnID, p []byte) { e.sends++; e.fakeEnv.Send(c, p) }

func (e *meterEnv) Unsent(c ConnID) int64 { return int64(len(e.sent[c])) }
func (e *meterEnv) Abort(c ConnID)        { e.aborted[c] = true; delete(e.sent, c) }

func TestOutputBufferHardLimitClosesClient(t *testing.T) {
	env := &meterEnv{fakeEnv: newFakeEnv(nil), aborted: map[ConnID]bool{}}
	cfg := DefaultConfig()
	cfg.OutputLimits[classNormal] = OutputLimit{Hard: 1 << 20}
	n := New(cfg, env)
	n.OnAccept(7, "127.0.0.1:5000")
	n.OnData(7, []byte("SET big "+strings.Repeat("v", 100_000)+"\r\n"))
	for i := 0; i < 11 && !env.aborted[7]; i++ {
		n.OnData(7, []byte("GET big\r\n"))
	}
	assert.True(t, env.aborted[7], "closed once its unread replies passed 1 MB")
	assert.Nil(t, n.clients[7])
	assert.True(t, env.logged("scheduled to be closed ASAP for overcoming of output buffer limits."))
	assert.True(t, env.logged("addr=127.0.0.1:5000"), "the log names the client as CLIENT LIST does")
}

// One event's pipeline of big replies stops at the hard limit (issue 13):
// the check runs as replies are appended, the replies after it are not
// made, and what was under the limit went out in chunks as it grew.
func TestOutputBufferLimitCheckedWithinOneEvent(t *testing.T) {
	env := &meterEnv{fakeEnv: newFakeEnv(nil), aborted: map[ConnID]bool{}}
	cfg := DefaultConfig()
	cfg.OutputLimits[classNormal] = OutputLimit{Hard: 1 << 20}
	n := New(cfg, env)
	n.OnAccept(7, "127.0.0.1:5000")
	n.OnData(7, []byte("SET big "+strings.Repeat("v", 100_000)+"\r\n"))
	env.sends = 0
	n.OnData(7, []byte(strings.Repeat("GET big\r\n", 1000)))
	assert.True(t, env.aborted[7], "closed within the event")
	// Reply k holds 100,011 bytes; the 11th takes the buffer (less the
	// static 16 KB) past 1 MB, so the 10 before it went out, one send each.
	assert.Equal(t, 10, env.sends)
	assert.True(t, env.logged("scheduled to be closed ASAP for overcoming of output buffer limits."))
}

func TestOutputBufferSoftLimitNeedsTime(t *testing.T) {
	env := &meterEnv{fakeEnv: newFakeEnv(nil), aborted: map[ConnID]bool{}}
	cfg := DefaultConfig()
	cfg.OutputLimits[classNormal] = OutputLimit{Soft: 100_000, SoftSeconds: 2}
	n := New(cfg, env)
	n.OnAccept(7, "127.0.0.1:5000")
	n.OnData(7, []byte("SET big "+strings.Repeat("v", 200_000)+"\r\n"))
	n.OnData(7, []byte("GET big\r\n"))
	n.OnData(7, []byte("GET big\r\n"))
	require.False(t, env.aborted[7], "over the soft limit, but not for long")
	env.now += 3e9
	n.OnData(7, []byte("PING\r\n"))
	assert.True(t, env.aborted[7], "over the soft limit for more than 2 s")
}

func TestMemoryUsageMatchesRedis(t *testing.T) {
	// Figures from redis-server 7.0.15's MEMORY USAGE on x86-64.
	tn := newTestNode(t, DefaultConfig(), nil)
	for val, want := range map[string]string{
		"1": "48", "12345": "48", "abc": "64", strings.Repeat("x", 44): "96",
		strings.Repeat("x", 45): "112", strings.Repeat("x", 100): "160",
	} {
		tn.do("SET", "foo", val)
		assert.Equal(t, "(integer) "+want, tn.do("MEMORY", "USAGE", "foo"), "value of %d bytes", len(val))
	}
	tn.do("SET", strings.Repeat("k", 40), "v")
	assert.Equal(t, "(integer) 104", tn.do("MEMORY", "USAGE", strings.Repeat("k", 40)))
	assert.Equal(t, "(nil)", tn.do("MEMORY", "USAGE", "nokey"))
	assert.Equal(t, "(error) ERR unknown subcommand 'NOPE'. Try MEMORY HELP.", tn.do("MEMORY", "NOPE"))
}

func TestJemallocSizeClasses(t *testing.T) {
	for n, want := range map[int]int64{1: 8, 8: 8, 9: 16, 17: 32, 33: 48, 129: 160, 257: 320, 1025: 1280, 4097: 5120} {
		assert.Equal(t, want, jemallocSize(n), "%d", n)
	}
}

func TestInfoMemoryTracksDataset(t *testing.T) {
	tn := newTestNode(t, DefaultConfig(), nil)
	before := tn.n.memory()
	for i := range 1000 {
		tn.do("SET", "key:"+strconv.Itoa(i), strings.Repeat("v", 100))
	}
	after := tn.n.memory()
	// Per key: the value's object and sds (16+112), the dictEntry's
	// 32-byte allocation and the key's sds (8 bytes up to "key:99", 16
	// from "key:100").
	assert.Equal(t, int64(1000*(16+112+32)+100*8+900*16), after.dataset-before.dataset)
	assert.Contains(t, tn.do("INFO", "memory"), "maxmemory_policy:noeviction")
	tn.do("FLUSHALL")
	assert.Equal(t, before.dataset, tn.n.memory().dataset)
}

func TestMaxmemoryNoevictionRefusesWrites(t *testing.T) {
	cfg := DefaultConfig()
	tn := newTestNode(t, cfg, nil)
	tn.do("SET", "a", strings.Repeat("v", 1000))
	used := tn.n.memoryForEviction()
	assert.Equal(t, "OK", tn.do("CONFIG", "SET", "maxmemory", strconv.FormatInt(used-1, 10)))
	assert.Equal(t, "(error) OOM command not allowed when used memory > 'maxmemory'.", tn.do("SET", "b", "1"))
	assert.Equal(t, "\"vvv\"", tn.do("GETRANGE", "a", "0", "2"), "reads still work")
	assert.Equal(t, "(integer) 1", tn.do("DEL", "a"), "DEL is not denyoom")
	assert.Equal(t, "OK", tn.do("SET", "b", "1"))
	assert.Equal(t, "OK", tn.do("MULTI"))
	tn.do("SET", "big", strings.Repeat("v", 2000))
	tn.do("EXEC")
	assert.Equal(t, "(error) OOM command not allowed when used memory > 'maxmemory'.", tn.do("SET", "c", "1"))
	assert.Equal(t, "OK", tn.do("MULTI"))
	assert.Equal(t, "(error) OOM command not allowed when used memory > 'maxmemory'.", tn.do("GET", "c"), "inside MULTI every command is refused")
	assert.Equal(t, "(error) EXECABORT Transaction discarded because of previous errors.", tn.do("EXEC"))
}

func TestMaxmemoryEvictsAndPropagatesDel(t *testing.T) {
	for _, policy := range maxmemoryPolicies[:7] {
		t.Run(policy, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.AppendOnly = true
			tn := startNode(t, cfg, nil)
			tn.do("CONFIG", "SET", "maxmemory-policy", policy)
			for i := range 200 {
				tn.do("SET", "k"+strconv.Itoa(i), strings.Repeat("v", 100), "EX", "1000")
				if i%3 == 0 {
					tn.do("GET", "k0") // k0 is hot
				}
				// Time passes, so the LRU clock (1 s resolution, as
				// Redis's) tells the hot key from the others whatever
				// keys the sampling draws.
				tn.advance(100)
			}
			limit := tn.n.memoryForEviction() - 50*160
			tn.do("CONFIG", "SET", "maxmemory", strconv.FormatInt(limit, 10))
			assert.Equal(t, "PONG", tn.do("PING"), "any command evicts first")
			assert.LessOrEqual(t, tn.n.memoryForEviction(), limit)
			evicted := tn.n.stats.evictedKeys
			assert.GreaterOrEqual(t, evicted, int64(40))
			assert.Contains(t, string(tn.send("INFO", "stats")), "evicted_keys:"+strconv.FormatInt(evicted, 10)+"\r\n")
			tn.advance(1000) // the AOF buffer reaches the file
			aof, err := tn.env.fs.ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
			require.NoError(t, err)
			assert.Equal(t, int(evicted), strings.Count(string(aof), "$3\r\nDEL\r\n"), "each eviction goes to the AOF as DEL")
			if strings.HasSuffix(policy, "lru") || strings.HasSuffix(policy, "lfu") {
				assert.Equal(t, "(integer) 1", tn.do("EXISTS", "k0"), "the hot key stays")
			}
		})
	}
}

func TestCanonicalInt(t *testing.T) {
	for in, want := range map[string]bool{
		"0": true, "1": true, "-1": true, "9223372036854775807": true, "-9223372036854775808": true,
		"": false, "-": false, "01": false, "-0": false, "+1": false, " 1": false, "1a": false,
		"9223372036854775808": false, "-9223372036854775809": false, "99999999999999999999": false,
	} {
		v, ok := canonicalInt(in)
		assert.Equal(t, want, ok, "%q", in)
		if ok {
			assert.Equal(t, in, strconv.FormatInt(v, 10))
		}
	}
}

// A client whose unparsed input passes client-query-buffer-limit (here,
// one that waits in WAIT while it keeps sending) is closed with Redis's
// log line; input already parsed into arguments does not count.
func TestQueryBufferLimit(t *testing.T) {
	cfg := DefaultConfig()
	tn := newTestNode(t, cfg, nil)
	assert.Equal(t, "OK", tn.do("CONFIG", "SET", "client-query-buffer-limit", "1mb"))
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive",
		tn.do("CONFIG", "SET", "client-query-buffer-limit", "1000"))
	var big []byte
	for range 100_000 { // 1.4 MB
		big = append(big, "*1\r\n$4\r\nPING\r\n"...)
	}
	tn.n.OnData(tn.conn, []byte("*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$1\r\n0\r\n")) // blocks: no replica
	require.NotNil(t, tn.n.clients[tn.conn])
	tn.n.OnData(tn.conn, big[:len(big)/2])
	require.NotNil(t, tn.n.clients[tn.conn], "under 1 MB")
	tn.n.OnData(tn.conn, big[len(big)/2:])
	assert.Nil(t, tn.n.clients[tn.conn], "closed over 1 MB")
	assert.True(t, tn.env.closed[tn.conn])
	assert.True(t, tn.env.logged(`Closing client that reached max query buffer length: id=`))
	assert.True(t, tn.env.logged(`(qbuf initial bytes: "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING`))

	// One huge request's arguments are not query buffer.
	tn = newTestNode(t, cfg, nil)
	tn.do("CONFIG", "SET", "client-query-buffer-limit", "1mb")
	args := []string{"MSET"}
	for i := range 100_000 {
		args = append(args, "key:"+strconv.Itoa(i), "v")
	}
	assert.Equal(t, "OK", tn.do(args...))
}

// EXEC is refused with EXECABORT when memory ran out after a command that
// may use memory was queued; a transaction of reads still runs.
func TestMaxmemoryRefusesExecOfDenyOOMTransaction(t *testing.T) {
	tn := newTestNode(t, DefaultConfig(), nil)
	admin := &testNode{t: t, env: tn.env, n: tn.n, conn: 8}
	tn.n.OnAccept(admin.conn, "127.0.0.1:5001")
	tn.do("SET", "x", "0")
	assert.Equal(t, "OK", tn.do("MULTI"))
	tn.do("SET", "x", "1")
	tn.do("GET", "x")
	assert.Equal(t, "OK", admin.do("CONFIG", "SET", "maxmemory", "1"))
	assert.Equal(t, "(error) EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.", tn.do("EXEC"))
	assert.Equal(t, "OK", admin.do("CONFIG", "SET", "maxmemory", "0"))
	assert.Equal(t, "OK", tn.do("MULTI"))
	tn.do("GET", "x")
	assert.Equal(t, "OK", admin.do("CONFIG", "SET", "maxmemory", "1"))
	assert.Equal(t, "1) \"0\"", tn.do("EXEC"))
}
