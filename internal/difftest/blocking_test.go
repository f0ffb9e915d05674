package difftest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// Blocking scripts run over several connections: "N cmd..." sends and
// reads the reply, "N> cmd..." only sends a command that blocks and waits
// until the server counts it in blocked_clients ("N>!" does not wait: it
// may time out at once), "N<" reads the reply a blocked command got since. Replies and the
// replication stream (served pops propagate as their non-blocking form,
// after the command that woke them) are compared with real Redis.
var blockingScripts = []session{
	{"pop-served-by-push", []string{
		"1> BLPOP a k 0", "2 LPUSH k x y", "1<", "2 LRANGE k 0 -1",
		"2 DEL k", "1> BRPOP k 0", "2 RPUSH k z", "1<", "2 LLEN k",
	}},
	{"fifo-and-key-deleted", []string{
		"1> BRPOP k 0", "2> BLMPOP 0 2 other k LEFT COUNT 5", "3> BLPOP k 0", "4 RPUSH k a b c", "1<", "2<",
		"4 EXISTS k", "4 RPUSH k d e", "3<", "4 LRANGE k 0 -1",
	}},
	{"move-chain", []string{
		"1> BLMOVE src mid LEFT RIGHT 0", "2> BRPOPLPUSH mid dst 0", "3 LPUSH src v", "1<", "2<",
		"3 LRANGE dst 0 -1", "3 EXISTS src mid",
		"1> BLMOVE s2 d2 right left 0", "3 RPUSH s2 a b", "1<", "3 LRANGE d2 0 -1",
	}},
	{"move-wrongtype-destination", []string{
		"1> BLMOVE src dst LEFT RIGHT 0", "2 SET dst x", "2 LPUSH src v", "1<", "2 LRANGE src 0 -1",
	}},
	{"served-after-multi-and-other-db", []string{
		"1 SELECT 3", "1> BLPOP k 0", "2 SELECT 3", "2 MULTI", "2 RPUSH k a", "2 RPUSH k b", "2 SET x 1", "2 EXEC", "1<",
		"2 MULTI", "2 BLPOP k 0", "2 BLMPOP 0 1 none LEFT", "2 EXEC", "2 LLEN k",
	}},
	{"timeout-and-unblock", []string{
		"1>! BLPOP k 0.05", "1<", "1 CLIENT ID", "1> BLMOVE k d left left 0", "2 CLIENT UNBLOCK 99999", "2 LPUSH other x",
	}},
	{"zset-pops-served-later", []string{
		"1> BZPOPMIN a z 0", "2> BZPOPMAX z 0", "3> BZMPOP 0 2 other z MAX COUNT 5", "4 ZADD z 1 a 2 b 3 c 4 d",
		"1<", "2<", "3<", "4 EXISTS z", "1> BZMPOP 0 1 z MIN COUNT 2", "4 ZADD z 5 e", "1<", "4 EXISTS z",
		"1> BZPOPMAX z 0", "4 MULTI", "4 ZADD z 1 x", "4 ZADD z 2 y", "4 EXEC", "1<", "4 ZRANGE z 0 -1 WITHSCORES",
	}},
	{"zset-pops-at-once-and-denied", []string{
		"1 ZADD z 1 a 2 b 3 c", "1 BZPOPMIN none z 0", "1 BZMPOP 0 1 z MAX COUNT 9", "1 SET s x", "1 BZPOPMIN s 0",
		"1 BZMPOP 0 1 s MIN", "1 BZPOPMAX z -1", "1 BZMPOP x 1 z MIN", "1 BZMPOP 0 1 z bogus",
		"1 MULTI", "1 BZPOPMIN z 0", "1 BZMPOP 0 1 z MIN", "1 EXEC",
		"1>! BZPOPMIN z 0.05", "1<", "1>! BZMPOP 0.02 1 z MIN", "1<",
	}},
	{"zset-pop-wrong-type-skipped", []string{
		"1> BZPOPMIN k 0", "2> BLPOP k 0", "3 RPUSH k a", "2<", "3 ZADD k 1 m", "1<",
	}},
	{"served-by-rename", []string{
		"1> BLPOP k 0", "2 RPUSH tmp a b", "2 RENAME tmp k", "1<", "2 LRANGE k 0 -1",
	}},
}

// blockConn is one client connection of a blocking script.
type blockConn interface {
	send(args ...string)
	recv(t *testing.T) []byte
}

type tcpBlockConn struct {
	c *TCPTarget
}

func (b tcpBlockConn) send(args ...string) {
	_ = b.c.conn.SetDeadline(time.Now().Add(b.c.timeout))
	_, _ = b.c.conn.Write(resp.AppendCommandStrings(nil, args...))
}

func (b tcpBlockConn) recv(t *testing.T) []byte {
	require.NoError(t, b.c.conn.SetDeadline(time.Now().Add(b.c.timeout)))
	out, err := ReadReply(b.c.r)
	require.NoError(t, err)
	return out
}

type nodeBlockConn struct {
	h    *nodetest.Harness
	conn node.ConnID
	buf  []byte
}

func (b *nodeBlockConn) send(args ...string) {
	b.h.Env.SetNow(wallNs())
	b.h.Node.OnData(b.conn, resp.AppendCommandStrings(nil, args...))
	b.buf = append(b.buf, b.h.Env.Take(b.conn)...)
}

func (b *nodeBlockConn) recv(t *testing.T) []byte {
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(time.Millisecond) {
		if _, k, err := resp.ParseValue(b.buf); err == nil && k > 0 {
			out := b.buf[:k]
			b.buf = b.buf[k:]
			return out
		}
		b.h.Env.SetNow(wallNs())
		b.h.Node.OnData(b.conn, nil)
		b.buf = append(b.buf, b.h.Env.Take(b.conn)...)
	}
	t.Fatalf("no reply from the node")
	return nil
}

// blockSide is one server of a blocking script: its connections and its
// replication stream.
type blockSide struct {
	conn   func() blockConn
	stream func() ([][]string, error)
	// ctl is a connection for INFO.
	ctl blockConn
}

// waitBlocked waits until the side counts want blocked clients.
func (s blockSide) waitBlocked(t *testing.T, want int) {
	line := "blocked_clients:" + strconv.Itoa(want) + "\r\n"
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(time.Millisecond) {
		s.ctl.send("INFO", "clients")
		if strings.Contains(string(s.ctl.recv(t)), line) {
			return
		}
	}
	t.Fatalf("the server never counted %d blocked clients", want)
}

func tcpBlockSide(t *testing.T, addr string) blockSide {
	repl, err := AttachRedisReplica(addr, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = repl.Close() })
	dial := func() blockConn {
		c, err := DialTCP(addr, 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return tcpBlockConn{c}
	}
	return blockSide{
		conn:   dial,
		stream: func() ([][]string, error) { return repl.ReadUntil(Marker, 5*time.Second) },
		ctl:    dial(),
	}
}

func TestBlockingScripts(t *testing.T) {
	ours := map[string]func(t *testing.T) blockSide{
		"in-process": func(t *testing.T) blockSide {
			h := nodetest.New(t, node.DefaultConfig())
			h.Env.SetNow(wallNs())
			repl := h.Replica()
			return blockSide{
				conn:   func() blockConn { return &nodeBlockConn{h: h, conn: h.Conn()} },
				stream: func() ([][]string, error) { return repl.Commands(), nil },
				ctl:    &nodeBlockConn{h: h, conn: h.Conn()},
			}
		},
		"replsim-server": func(t *testing.T) blockSide {
			srv := redistest.Start(t, replsim.Path(t), "server", "--enable-debug-command", "yes", "--save", "", "--appendonly", "no", "--repl-diskless-sync", "no")
			return tcpBlockSide(t, srv.Addr())
		},
	}
	for name, start := range ours {
		t.Run(name, func(t *testing.T) {
			for _, s := range blockingScripts {
				t.Run(s.name, func(t *testing.T) {
					runBlockingScript(t, s, tcpBlockSide(t, startRedis(t)), start(t))
				})
			}
		})
	}
}

func runBlockingScript(t *testing.T, s session, theirs, ours blockSide) {
	tc, oc := map[string]blockConn{}, map[string]blockConn{}
	blocked := map[string]bool{}
	steps := append(append([]string(nil), s.steps...), "0 "+strings.Join(Marker, " "))
	for i, step := range steps {
		f := strings.Fields(step)
		conn, args := f[0], f[1:]
		id := strings.TrimRight(conn, "<>!")
		if tc[id] == nil {
			tc[id], oc[id] = theirs.conn(), ours.conn()
		}
		switch {
		case strings.HasSuffix(conn, ">!"):
			tc[id].send(args...)
			oc[id].send(args...)
			continue
		case strings.HasSuffix(conn, ">"):
			tc[id].send(args...)
			oc[id].send(args...)
			blocked[id] = true
			theirs.waitBlocked(t, len(blocked))
			ours.waitBlocked(t, len(blocked))
			continue
		case strings.HasSuffix(conn, "<"):
			delete(blocked, id)
		case !strings.HasSuffix(conn, "<"):
			tc[id].send(args...)
			oc[id].send(args...)
		}
		want, got := tc[id].recv(t), oc[id].recv(t)
		ok, why := Compare(ModeFor(args), got, want)
		require.True(t, ok, "step %d %q: %s\nours:   %q\nredis:  %q", i, step, why, got, want)
	}
	var db, db2 string
	a, err := ours.stream()
	require.NoError(t, err)
	b, err := theirs.stream()
	require.NoError(t, err)
	na, nb := NormalizeStream(a, false, &db), NormalizeStream(b, false, &db2)
	ok, why := CompareStreams(na, nb)
	require.True(t, ok, "replication streams: %s\nours:   %q\nredis:  %q", why, na, nb)
}
