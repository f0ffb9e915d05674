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
)

// A session is a script over several client connections of one server:
// each step is "<conn> <command> <args>...", with $DEAD standing for a
// loopback port nobody listens on (a master that never answers). Every
// session runs on a fresh real redis-server and a fresh node of ours;
// replies are compared step by step.
type session struct {
	name  string
	steps []string
}

var sessions = []session{
	{"exec-after-becoming-replica", []string{
		"1 MULTI", "1 SET a 1", "1 GET a", "2 REPLICAOF 127.0.0.1 $DEAD", "1 EXEC", "1 EXEC", "1 GET a",
		"1 MULTI", "1 GET a", "1 EXEC", "1 MULTI", "1 SET b 1", "1 EXEC",
	}},
	{"exec-with-link-down-and-no-stale-data", []string{
		"1 MULTI", "1 GET a", "2 CONFIG SET replica-serve-stale-data no", "2 REPLICAOF 127.0.0.1 $DEAD", "1 EXEC",
		"1 MULTI", "1 GET a", "1 PING", "1 ECHO x", "1 EXEC", "1 MULTI", "1 ECHO x", "1 INFO keyspace", "1 EXEC",
		"2 REPLICAOF NO ONE", "1 MULTI", "1 ECHO x", "2 REPLICAOF 127.0.0.1 $DEAD", "1 EXEC",
		"1 MULTI", "1 SELECT 1", "2 REPLICAOF NO ONE", "1 SET b 2", "2 REPLICAOF 127.0.0.1 $DEAD", "1 EXEC",
		"2 CONFIG SET replica-serve-stale-data yes", "1 GET b",
	}},
	{"replicaof-queued", []string{
		"1 MULTI", "1 SET a 1", "1 REPLICAOF 127.0.0.1 $DEAD", "1 GET a", "1 EXEC", "1 SET a 2",
		"1 MULTI", "1 SLAVEOF no one", "1 EXEC", "1 SET a 2", "1 GET a",
	}},
	{"exec-rejected-by-arity", []string{"1 MULTI", "1 SET a 1", "1 EXEC x", "1 EXEC", "1 GET a"}},
	{"role", []string{"1 ROLE", "1 ROLE x", "1 role", "1 MULTI", "1 ROLE", "1 EXEC"}},
	{"config-subcommand-at-queue-time", []string{
		"1 MULTI", "1 CONFIG FOO", "1 CONFIG GET", "1 CONFIG SET maxmemory", "1 CONFIG GET maxmemory", "1 EXEC",
		"1 MULTI", "1 CONFIG HELP x", "1 CLIENT FOO", "1 EXEC", "1 MULTI", "1 CONFIG GET hz", "1 EXEC",
	}},
}

// sessionSide opens client connections to one fresh server.
type sessionSide struct {
	name  string
	start func(t *testing.T) func(conn int) Target
}

func redisSessionSide(t *testing.T) func(int) Target {
	addr := startRedis(t)
	return tcpConns(t, addr)
}

func nodeSessionSide(t *testing.T) func(int) Target {
	h := nodetest.New(t, node.DefaultConfig())
	return func(int) Target { return &NodeTarget{H: h, Conn: h.Conn(), Clock: wallNs} }
}

func serverSessionSide(t *testing.T) func(int) Target {
	srv := redistest.Start(t, replsim.Path(t), "server", "--enable-debug-command", "yes", "--save", "", "--appendonly", "no")
	return tcpConns(t, srv.Addr())
}

func tcpConns(t *testing.T, addr string) func(int) Target {
	return func(int) Target {
		c, err := DialTCP(addr, 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
}

// TestSessions compares multi-connection sessions with real Redis.
func TestSessions(t *testing.T) {
	ours := []sessionSide{{"in-process", nodeSessionSide}, {"replsim-server", serverSessionSide}}
	for _, sd := range ours {
		t.Run(sd.name, func(t *testing.T) {
			for _, s := range sessions {
				t.Run(s.name, func(t *testing.T) { runSession(t, s, sd) })
			}
		})
	}
}

func runSession(t *testing.T, s session, sd sessionSide) {
	dead := strconv.Itoa(redistest.FreePort(t))
	theirs, ours := redisSessionSide(t), sd.start(t)
	tc, oc := map[string]Target{}, map[string]Target{}
	for i, step := range s.steps {
		f := strings.Fields(strings.ReplaceAll(step, "$DEAD", dead))
		conn, args := f[0], f[1:]
		if tc[conn] == nil {
			tc[conn], oc[conn] = theirs(0), ours(0)
		}
		want, err := tc[conn].Do(args...)
		require.NoError(t, err, "redis: step %d %q", i, step)
		got, err := oc[conn].Do(args...)
		require.NoError(t, err, "ours: step %d %q", i, step)
		ok, why := Compare(ModeFor(args), got, want)
		require.True(t, ok, "step %d %q: %s\nours:   %q\nredis:  %q", i, step, why, got, want)
	}
}
