package node_test

import (
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/require"
)

// vsRedis drives a node and a real redis-server 7.0.15 with the same
// commands and compares their replies.
type vsRedis struct {
	t    *testing.T
	h    *nodetest.Harness
	conn node.ConnID
	rc   net.Conn
	buf  []byte
	srv  *redistest.Server
}

func newVsRedis(t *testing.T) *vsRedis {
	t.Helper()
	bin := redistest.RequireBinary(t, "redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "yes")
	rc, err := net.DialTimeout("tcp", srv.Addr(), 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	require.NoError(t, rc.SetDeadline(time.Now().Add(120*time.Second)))
	h := nodetest.New(t, node.DefaultConfig())
	return &vsRedis{t: t, h: h, conn: h.Conn(), rc: rc, srv: srv}
}

// both sends args to both servers and returns (ours, theirs).
func (v *vsRedis) both(args ...string) (string, string) {
	v.t.Helper()
	ours := v.h.DoString(v.conn, args...)
	_, err := v.rc.Write(resp.AppendCommandStrings(nil, args...))
	require.NoError(v.t, err)
	chunk := make([]byte, 1<<16)
	for {
		_, k, err := resp.ParseValue(v.buf)
		require.NoError(v.t, err)
		if k > 0 {
			theirs := string(v.buf[:k])
			v.buf = v.buf[k:]
			return ours, theirs
		}
		m, err := v.rc.Read(chunk)
		require.NoError(v.t, err)
		v.buf = append(v.buf, chunk[:m]...)
	}
}

// same requires byte-identical replies.
func (v *vsRedis) same(args ...string) string {
	v.t.Helper()
	ours, theirs := v.both(args...)
	require.Equal(v.t, theirs, ours, "reply to %q", args)
	return ours
}

// sameLines runs each line (split on spaces) through same.
func (v *vsRedis) sameLines(lines ...string) {
	v.t.Helper()
	for _, l := range lines {
		v.same(strings.Fields(l)...)
	}
}

// unordered requires replies equal up to the order of array elements
// (taken in groups of group: 2 for field/value pairs).
func (v *vsRedis) unordered(group int, args ...string) {
	v.t.Helper()
	ours, theirs := v.both(args...)
	require.Equal(v.t, normalizeArray(v.t, theirs, group), normalizeArray(v.t, ours, group), "reply to %q", args)
}

func normalizeArray(t *testing.T, raw string, group int) []string {
	val, _, err := resp.ParseValue([]byte(raw))
	require.NoError(t, err)
	if val.Kind != resp.Array {
		return []string{raw}
	}
	var out []string
	for i := 0; i+group <= len(val.Array); i += group {
		var parts []string
		for _, e := range val.Array[i : i+group] {
			parts = append(parts, string(resp.AppendValue(nil, e)))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	sort.Strings(out)
	return out
}

// sameDigest compares DEBUG DIGEST and, for keys, DEBUG DIGEST-VALUE,
// TYPE and OBJECT ENCODING.
func (v *vsRedis) sameDigest(keys ...string) {
	v.t.Helper()
	v.same("DEBUG", "DIGEST")
	if len(keys) > 0 {
		v.same(append([]string{"DEBUG", "DIGEST-VALUE"}, keys...)...)
	}
	for _, k := range keys {
		v.same("TYPE", k)
		v.same("OBJECT", "ENCODING", k)
	}
}

// sameLen requires replies of the same type and array length (for
// commands whose elements are chosen at random).
func (v *vsRedis) sameLen(args ...string) {
	v.t.Helper()
	ours, theirs := v.both(args...)
	a, _, err := resp.ParseValue([]byte(ours))
	require.NoError(v.t, err)
	b, _, err := resp.ParseValue([]byte(theirs))
	require.NoError(v.t, err)
	require.Equal(v.t, b.Kind, a.Kind, "reply to %q", args)
	require.Equal(v.t, len(b.Array), len(a.Array), "reply to %q", args)
}
