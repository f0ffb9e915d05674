package rdb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"

	"github.com/stretchr/testify/require"
)

// redisBinary finds a Redis tool. Without it the test is skipped, or fails
// when CI is set.
func redisBinary(t *testing.T, name string) string {
	t.Helper()
	return redistest.RequireBinary(t, name)
}

// startRedis runs redis-server on loopback with dir as its working
// directory (loading dir/dump.rdb if present) and returns a client. The
// server is killed when the test ends.
func startRedis(t *testing.T, dir string) *respConn {
	t.Helper()
	bin := redisBinary(t, "redis-server")
	srv := redistest.StartIn(t, dir, bin, "--bind", "127.0.0.1", "--dir", dir, "--dbfilename", "dump.rdb",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
	c, err := net.DialTimeout("tcp", srv.Addr(), 5*time.Second)
	require.NoError(t, err, "redis-server log:\n%s", srv.Log())
	t.Cleanup(func() { _ = c.Close() })
	return &respConn{t: t, c: c, r: bufio.NewReader(c)}
}

// respConn is a minimal RESP2 client: enough for GET, SET, PTTL, DBSIZE.
type respConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// do sends a command and returns its reply: string, []byte (bulk), nil
// (null bulk), int64, or error (an error reply).
func (c *respConn) do(args ...string) any {
	c.t.Helper()
	var req []byte
	req = fmt.Appendf(req, "*%d\r\n", len(args))
	for _, a := range args {
		req = fmt.Appendf(req, "$%d\r\n%s\r\n", len(a), a)
	}
	require.NoError(c.t, c.c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err := c.c.Write(req)
	require.NoError(c.t, err)
	v, err := c.reply()
	require.NoError(c.t, err, "reply to %q", args)
	return v
}

func (c *respConn) reply() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply line")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return errors.New(line[1:]), nil
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return nil, err
		}
		return buf[:n], nil
	default:
		return nil, fmt.Errorf("unsupported reply %q", line)
	}
}

func (c *respConn) ok(args ...string) {
	c.t.Helper()
	require.Equal(c.t, "OK", c.do(args...), "%q", args)
}
