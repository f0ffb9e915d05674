package server

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/vfs/osfs"

	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dialServer(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second)))
	return c
}

// roundTrip writes req and reads one line of reply.
func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, req string) string {
	t.Helper()
	_, err := c.Write([]byte(req))
	require.NoError(t, err)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	return line
}

// TestServerProtocolErrors: a malformed request gets Redis's protocol error
// and the connection is closed; the server keeps serving everyone else.
func TestServerProtocolErrors(t *testing.T) {
	_, addr := inProcServer(t, nil)
	other := dialServer(t, addr)
	otherR := bufio.NewReader(other)
	assert.Equal(t, "+PONG\r\n", roundTrip(t, other, otherR, "PING\r\n"))

	tests := []struct {
		name, req, want string
	}{
		{"bad bulk length", "*1\r\n$foo\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"huge bulk length", "*1\r\n$10000000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"bad multibulk length", "*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"unbalanced quotes", "SET a \"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
		{"after a good command", "PING\r\n*1\r\n$-5\r\n", "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialServer(t, addr)
			_, err := c.Write([]byte(tt.req))
			require.NoError(t, err)
			got, err := io.ReadAll(c) // the server closes after the error
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, "+PONG\r\n", roundTrip(t, other, otherR, "PING\r\n"), "others are still served")
		})
	}
}

func TestServerProtoMaxBulkLenFromConfig(t *testing.T) {
	_, addr := inProcServer(t, func(c *node.Config) { c.ProtoMaxBulkLen = 1 << 20 })
	c := dialServer(t, addr)
	_, err := c.Write([]byte("*2\r\n$4\r\nECHO\r\n$2000000\r\n"))
	require.NoError(t, err)
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "-ERR Protocol error: invalid bulk length\r\n", string(got))
}

// TestServerSlowClientDoesNotBlock: a client that sends requests without
// reading the (large) replies stalls only its own connection.
func TestServerSlowClientDoesNotBlock(t *testing.T) {
	_, addr := inProcServer(t, nil)
	fast := dialServer(t, addr)
	fastR := bufio.NewReader(fast)
	val := strings.Repeat("v", 1<<20)
	assert.Equal(t, "+OK\r\n", roundTrip(t, fast, fastR, "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$"+strconv.Itoa(len(val))+"\r\n"+val+"\r\n"))

	slow := dialServer(t, addr)
	_, err := slow.Write(bytes.Repeat([]byte("GET big\r\n"), 32))
	require.NoError(t, err)
	for i := 0; i < 20; i++ {
		assert.Equal(t, "+PONG\r\n", roundTrip(t, fast, fastR, "PING\r\n"))
	}
}

func TestServerConfigSetDirAndPort(t *testing.T) {
	s, addr := inProcServer(t, func(c *node.Config) { c.EnableProtectedConfigs = "yes" })
	c := dialServer(t, addr)
	r := bufio.NewReader(c)
	sub := s.cfg.Dir + "/sub"
	require.NoError(t, osfs.New(s.cfg.Dir).MkdirAll("sub"))
	assert.Equal(t, "+OK\r\n", roundTrip(t, c, r, "CONFIG SET dir sub\r\n"))
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n",
		roundTrip(t, c, r, "CONFIG SET dir nope\r\n"))
	assert.Equal(t, "*2\r\n", roundTrip(t, c, r, "CONFIG GET dir\r\n"))
	for _, want := range []string{"$3\r\n", "dir\r\n", "$" + strconv.Itoa(len(sub)) + "\r\n"} {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, want, line)
	}
	dir, _ := r.ReadString('\n')
	assert.Equal(t, sub+"\r\n", dir)

	port := redistest.FreePort(t)
	assert.Equal(t, "+OK\r\n", roundTrip(t, c, r, "CONFIG SET port "+strconv.Itoa(port)+"\r\n"))
	c2 := dialServer(t, "127.0.0.1:"+strconv.Itoa(port))
	assert.Equal(t, "+PONG\r\n", roundTrip(t, c2, bufio.NewReader(c2), "PING\r\n"))
	_, err := net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err, "the old port is closed")

	// Same port, new bind list: the old socket closes first.
	assert.Equal(t, "+OK\r\n", roundTrip(t, c, r, "CONFIG SET bind \"127.0.0.1 -::1\"\r\n"))
	c3 := dialServer(t, "127.0.0.1:"+strconv.Itoa(port))
	assert.Equal(t, "+PONG\r\n", roundTrip(t, c3, bufio.NewReader(c3), "PING\r\n"))
	// An address this host does not have: refused, the old bind stays.
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
		roundTrip(t, c, r, "CONFIG SET bind 192.0.2.1\r\n"))
	c4 := dialServer(t, "127.0.0.1:"+strconv.Itoa(port))
	assert.Equal(t, "+PONG\r\n", roundTrip(t, c4, bufio.NewReader(c4), "PING\r\n"))
	assert.Equal(t, "*2\r\n", roundTrip(t, c, r, "CONFIG GET bind\r\n"))
	for _, want := range []string{"$4\r\n", "bind\r\n", "$14\r\n", "127.0.0.1 -::1\r\n"} {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, want, line)
	}
}

// BenchmarkServerPing measures one request/reply round trip through the
// loop: read goroutine, event channel, node, writer goroutine.
func BenchmarkServerPing(b *testing.B) {
	cfg := node.DefaultConfig()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	cfg.Port = l.Addr().(*net.TCPAddr).Port
	require.NoError(b, l.Close())
	cfg.Dir = b.TempDir()
	cfg.Save = nil
	s, err := newServer(cfg, newRedisLog(io.Discard))
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go func() { exited <- s.run(ctx, nil) }()
	defer func() { cancel(); <-exited }()
	c, err := net.Dial("tcp", s.Addrs()[0].String())
	require.NoError(b, err)
	defer c.Close()
	r := bufio.NewReader(c)
	req := []byte("PING\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRedisBenchmark is a smoke test with the real redis-benchmark.
func TestRedisBenchmark(t *testing.T) {
	bench := needTool(t, "redis-benchmark")
	_, addr := inProcServer(t, nil)
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bench, "-p", port, "-t", "set,get", "-n", "10000", "-q").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "SET: ")
	assert.Contains(t, string(out), "GET: ")
	assert.Contains(t, string(out), "requests per second")
}
