package server

import (
	"bufio"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
)

// The hostile-client suite: each test runs the same abuse against
// `replsim server` and a real redis-server 7.0.15 (both on loopback, each
// in its own temporary dir) and compares what a client observes.

// target is one server under test.
type target struct {
	name string
	srv  *redistest.Server
}

// hostileTargets starts replsim server and redis-server with the same
// directives.
func hostileTargets(t *testing.T, args ...string) []target {
	t.Helper()
	base := []string{"--save", "", "--appendonly", "no", "--bind", "127.0.0.1"}
	ours := redistest.Start(t, replsimBinary(t), append(append([]string{"server"}, base...), args...)...)
	theirs := redistest.Start(t, redistest.RequireBinary(t, "redis-server"), append(base, args...)...)
	return []target{{"replsim", ours}, {"redis", theirs}}
}

func dialTarget(t *testing.T, tg target) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", tg.srv.Addr(), 5*time.Second)
	require.NoError(t, err, tg.name)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(30*time.Second)))
	return c
}

// exchange writes req and reads everything until the server closes the
// connection or quiet passes without a byte; closed says which.
func exchange(t *testing.T, tg target, req []byte, quiet time.Duration) (got string, closed bool) {
	t.Helper()
	c := dialTarget(t, tg)
	go func() { _, _ = c.Write(req) }() // may fail once the server closes
	var buf []byte
	chunk := make([]byte, 64*1024)
	for {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(quiet)))
		n, err := c.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return string(buf), false
			}
			return string(buf), true // EOF or reset: closed
		}
	}
}

func TestHostileGarbageAndBadLengths(t *testing.T) {
	cases := []struct{ name, req string }{
		{"binary garbage", "\x00\xff\xfe*$\r\n\x01"},
		{"bad multibulk length", "*x\r\n"},
		{"multibulk over INT_MAX", "*3000000000\r\n"},
		{"negative multibulk then ping", "*-5\r\nPING\r\n"},
		{"bad bulk length", "*1\r\n$y\r\n"},
		{"negative bulk length", "*1\r\n$-2\r\n"},
		{"bulk over proto-max-bulk-len", "*1\r\n$536870913\r\n"},
		{"expected dollar", "*2\r\n$4\r\nECHO\r\n:1\r\n"},
		{"unbalanced quotes", "SET a \"b\r\n"},
		{"good then bad", "PING\r\n*1\r\n$-9\r\n"},
		{"too big mbulk count", "*" + strings.Repeat("1", 64*1024+1)},
		{"too big bulk count", "*1\r\n$" + strings.Repeat("1", 64*1024+1)},
		{"huge inline", strings.Repeat("x", 64*1024+1)},
		{"commands after QUIT", "QUIT\r\nPING\r\n"},
		{"NUL hides the newline", "PING\x00\r\n"},
	}
	tgs := hostileTargets(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want string
			var wantClosed bool
			for i, tg := range tgs {
				got, closed := exchange(t, tg, []byte(tc.req), 500*time.Millisecond)
				if i == 0 {
					want, wantClosed = got, closed
					continue
				}
				assert.Equal(t, got, want, "replsim's reply differs from redis-server's")
				assert.Equal(t, closed, wantClosed, "redis closed: %v", closed)
			}
		})
	}
}

func TestHostileUnauthenticatedLimits(t *testing.T) {
	cases := []struct{ name, req string }{
		{"10 arguments are fine", "*10\r\n"},
		{"11 arguments", "*11\r\n"},
		{"16384-byte bulk is fine", "*1\r\n$16384\r\n"},
		{"16385-byte bulk", "*1\r\n$16385\r\n"},
		{"NOAUTH first", "*1\r\n$4\r\nPING\r\n*100000\r\n"},
		{"AUTH lifts the limit", "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*100000\r\n"},
	}
	tgs := hostileTargets(t, "--requirepass", "pw")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got0, closed0 := exchange(t, tgs[0], []byte(tc.req), 500*time.Millisecond)
			got1, closed1 := exchange(t, tgs[1], []byte(tc.req), 500*time.Millisecond)
			assert.Equal(t, got1, got0)
			assert.Equal(t, closed1, closed0)
		})
	}
}

func TestHostileMaxClients(t *testing.T) {
	for _, tg := range hostileTargets(t, "--maxclients", "4") {
		t.Run(tg.name, func(t *testing.T) {
			admin := tg.srv.Dial(t)
			for range 3 {
				dialTarget(t, tg)
			}
			got, closed := exchange(t, tg, []byte("PING\r\n"), 2*time.Second)
			assert.Equal(t, "-ERR max number of clients reached\r\n", got)
			assert.True(t, closed)
			assert.Equal(t, "OK", string(admin.Do(t, "CONFIG", "SET", "maxclients", "5").Str))
			got, _ = exchange(t, tg, []byte("PING\r\n"), 2*time.Second)
			assert.Equal(t, "+PONG\r\n", got)
			assert.Equal(t, "1", admin.InfoField(t, "stats", "rejected_connections"))
		})
	}
}

// rssKB reads a process's resident set size.
func rssKB(t *testing.T, pid int) int64 {
	t.Helper()
	return statusKB(t, pid, "VmRSS")
}

// statusKB reads a size field of a process's /proc status: VmRSS, or
// VmHWM (the peak resident set size).
func statusKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			require.NoError(t, err)
			return kb
		}
	}
	t.Fatal("no " + field)
	return 0
}

// A client that sends GETs of a 1 MB value and never reads is closed once
// its unsent replies pass the hard limit, with Redis's log line, and the
// server's memory stays bounded.
func TestHostileClientThatNeverReads(t *testing.T) {
	for _, tg := range hostileTargets(t, "--client-output-buffer-limit", "normal 32mb 16mb 10") {
		t.Run(tg.name, func(t *testing.T) {
			admin := tg.srv.Dial(t)
			admin.Do(t, "SET", "big", strings.Repeat("v", 1<<20))
			rss0 := rssKB(t, tg.srv.Pid())
			c := dialTarget(t, tg)
			get := []byte("GET big\r\n")
			deadline := time.Now().Add(20 * time.Second)
			sent := 0
			for time.Now().Before(deadline) {
				require.NoError(t, c.SetWriteDeadline(time.Now().Add(2*time.Second)))
				if _, err := c.Write(get); err != nil {
					break // the server closed us
				}
				sent++
				if sent%64 == 0 && !strings.Contains(admin.Do(t, "CLIENT", "LIST").String(), "cmd=get") {
					break
				}
			}
			assert.True(t, time.Now().Before(deadline), "the server did not close the client within 20 s")
			redistest.Eventually(t, 5*time.Second, func() string {
				if strings.Contains(tg.srv.Log(), "for overcoming of output buffer limits") {
					return ""
				}
				return "no output-buffer log line yet"
			})
			// The peak resident set counts what the unread replies
			// took before the close, whenever the GC gives it back. The
			// limit is checked as replies are appended and the replies
			// under it are handed on in chunks (issue 13), so the peak is
			// the limit and one reply, as Redis's 32 MB.
			grown := statusKB(t, tg.srv.Pid(), "VmHWM") - rss0
			t.Logf("%s: %d GETs of 1 MB sent before the close; peak RSS grew %d MB", tg.name, sent, grown/1024)
			assert.Less(t, grown, int64(48*1024), "peak RSS bounded (hard limit 32 MB)")
			assert.Equal(t, "PONG", admin.Do(t, "PING").String())
		})
	}
}

// msetRequest is MSET with pairs key/value pairs (2*pairs+1 arguments).
func msetRequest(pairs int) []byte {
	var b []byte
	b = append(b, "*"+strconv.Itoa(1+2*pairs)+"\r\n$4\r\nMSET\r\n"...)
	for i := range pairs {
		k := "key:" + strconv.Itoa(i)
		b = resp.AppendBulkString(b, k)
		b = resp.AppendBulkString(b, k)
	}
	return b
}

// A 1M-argument MSET while another client PINGs every 5 ms: the MSET is
// parsed in time linear in its size and the PINGs wait at most for its
// execution. Both servers are measured in the same run; the bounds are
// relative to redis-server's figures on the same machine.
func TestHostileHugeMultibulkWhileOthersPing(t *testing.T) {
	req := msetRequest(500_000)
	type result struct{ mset, maxPing time.Duration }
	res := map[string]result{}
	for _, tg := range hostileTargets(t) {
		c := dialTarget(t, tg)
		p := dialTarget(t, tg)
		pr := bufio.NewReader(p)
		done := make(chan time.Duration, 1)
		start := time.Now()
		go func() {
			_, _ = c.Write(req)
			line, _ := bufio.NewReader(c).ReadString('\n')
			if line != "+OK\r\n" {
				done <- -1
				return
			}
			done <- time.Since(start)
		}()
		var maxPing, mset time.Duration
	loop:
		for {
			select {
			case mset = <-done:
				break loop
			default:
			}
			t0 := time.Now()
			_, err := p.Write([]byte("PING\r\n"))
			require.NoError(t, err)
			line, err := pr.ReadString('\n')
			require.NoError(t, err)
			require.Equal(t, "+PONG\r\n", line)
			maxPing = max(maxPing, time.Since(t0))
			time.Sleep(5 * time.Millisecond)
		}
		require.Positive(t, mset, "%s: MSET failed", tg.name)
		assert.Equal(t, int64(500_000), tg.srv.Dial(t).Do(t, "DBSIZE").Int)
		res[tg.name] = result{mset, maxPing}
		t.Logf("%s: 1M-argument MSET (%d MB) took %v; longest PING during it %v", tg.name, len(req)>>20, mset, maxPing)
	}
	ours, theirs := res["replsim"], res["redis"]
	assert.Less(t, ours.mset, 3*theirs.mset+time.Second, "MSET time against redis-server's")
	assert.Less(t, ours.maxPing, 3*theirs.maxPing+time.Second, "PING latency against redis-server's")
}

// raiseFileLimit lifts this process's open-file limit to at least n (the
// servers it starts inherit it).
func raiseFileLimit(t *testing.T, n uint64) {
	t.Helper()
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	if lim.Cur >= n {
		return
	}
	if lim.Max < n {
		t.Skipf("open-file hard limit %d < %d", lim.Max, n)
	}
	lim.Cur = n
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
}

// 10,000 idle connections: both servers take them (Redis's default
// maxclients is 10000, so the next one is refused) and still answer.
func TestHostileTenThousandIdleConnections(t *testing.T) {
	const idle = 9_999           // plus the admin connection: maxclients
	raiseFileLimit(t, idle+1000) // the servers inherit it and need as many
	for _, tg := range hostileTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			admin := tg.srv.Dial(t)
			conns := make([]net.Conn, 0, idle)
			defer func() {
				for _, c := range conns {
					c.Close()
				}
			}()
			for range idle {
				c, err := net.DialTimeout("tcp", tg.srv.Addr(), 5*time.Second)
				require.NoError(t, err)
				conns = append(conns, c)
			}
			redistest.Eventually(t, 20*time.Second, func() string {
				if n := admin.InfoField(t, "clients", "connected_clients"); n != strconv.Itoa(idle+1) {
					return "connected_clients " + n
				}
				return ""
			})
			t0 := time.Now()
			assert.Equal(t, "PONG", admin.Do(t, "PING").String())
			t.Logf("%s: PING with %d idle connections: %v; RSS %d MB", tg.name, idle, time.Since(t0), rssKB(t, tg.srv.Pid())/1024)
			got, closed := exchange(t, tg, []byte("PING\r\n"), 2*time.Second)
			assert.Equal(t, "-ERR max number of clients reached\r\n", got)
			assert.True(t, closed)
		})
	}
}
