package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// multiPair is a node with two clients: a transaction on one while the
// other changes the node's role.
type multiPair struct {
	t      *testing.T
	h      *nodetest.Harness
	tx, op node.ConnID
}

func newMultiPair(t *testing.T) *multiPair {
	h := nodetest.New(t, node.DefaultConfig())
	return &multiPair{t: t, h: h, tx: h.Conn(), op: h.Conn()}
}

func (p *multiPair) on(c node.ConnID, want string, args ...string) {
	p.t.Helper()
	require.Equal(p.t, want, p.h.DoString(c, args...), "reply to %q", args)
}

// A transaction queued while master and executed after the node became a
// read-only replica is refused as a whole, as Redis's processCommand does
// with the queued commands' flags: nothing of it runs.
func TestExecAbortsWritesQueuedBeforeBecomingReplica(t *testing.T) {
	p := newMultiPair(t)
	p.on(p.tx, "+OK\r\n", "MULTI")
	p.on(p.tx, "+QUEUED\r\n", "SET", "a", "1")
	p.on(p.tx, "+QUEUED\r\n", "GET", "a")
	p.on(p.op, "+OK\r\n", "REPLICAOF", "127.0.0.1", "1")
	p.on(p.tx, "-EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica.\r\n", "EXEC")
	p.on(p.tx, "-ERR EXEC without MULTI\r\n", "EXEC")
	p.on(p.tx, "$-1\r\n", "GET", "a")
	// A read-only transaction still runs on the replica.
	p.on(p.tx, "+OK\r\n", "MULTI")
	p.on(p.tx, "+QUEUED\r\n", "GET", "a")
	p.on(p.tx, "*1\r\n$-1\r\n", "EXEC")
}

// With replica-serve-stale-data no and the link down, an EXEC that queued
// a command without the stale flag is refused with MASTERDOWN; one that
// queued only stale-allowed commands runs.
func TestExecAbortsStaleReadsWithLinkDown(t *testing.T) {
	p := newMultiPair(t)
	p.on(p.tx, "+OK\r\n", "MULTI")
	p.on(p.tx, "+QUEUED\r\n", "GET", "a")
	p.on(p.op, "+OK\r\n", "CONFIG", "SET", "replica-serve-stale-data", "no")
	p.on(p.op, "+OK\r\n", "REPLICAOF", "127.0.0.1", "1")
	p.on(p.tx, "-EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n", "EXEC")

	p.on(p.op, "+OK\r\n", "REPLICAOF", "NO", "ONE")
	p.on(p.tx, "+OK\r\n", "MULTI")
	p.on(p.tx, "+QUEUED\r\n", "ECHO", "x")
	p.on(p.op, "+OK\r\n", "REPLICAOF", "127.0.0.1", "1")
	p.on(p.tx, "*1\r\n$1\r\nx\r\n", "EXEC")
	// PING is not a stale command in Redis 7.0; queued or not it is refused.
	p.on(p.tx, "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n", "PING")
}

// An EXEC refused by a check (here its arity) discards the transaction with
// EXECABORT; the reason loses its ERR code, as in Redis.
func TestExecArityAborts(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"MULTI", "+OK\r\n",
		"SET a 1", "+QUEUED\r\n",
		"EXEC foo", "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
		"EXEC", "-ERR EXEC without MULTI\r\n",
		"EXEC foo", "-ERR wrong number of arguments for 'exec' command\r\n",
		"GET a", "$-1\r\n",
	)
}

// REPLICAOF and SLAVEOF are queued inside MULTI and run by EXEC; the writes
// before them in the same transaction reach the AOF but not the stream of
// a node that is a replica when the EXEC ends (Redis feeds replicas only
// as a master).
func TestReplicaofInsideMulti(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"MULTI", "+OK\r\n",
		"SET a 1", "+QUEUED\r\n",
		"SLAVEOF 127.0.0.1 1", "+QUEUED\r\n",
		"EXEC", "*2\r\n+OK\r\n+OK\r\n",
		"GET a", "$1\r\n1\r\n",
	)
	assert.Equal(t, "slave", e.h.Node.Repl().Role)
	e.expect(
		"MULTI", "+OK\r\n",
		"REPLICAOF no one", "+QUEUED\r\n",
		"EXEC", "*1\r\n+OK\r\n",
	)
	assert.Equal(t, "master", e.h.Node.Repl().Role)
}

// Unknown CONFIG subcommands and wrong subcommand arities are refused when
// queued, dooming the transaction, as for every container command.
func TestConfigSubcommandCheckedAtQueueTime(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"MULTI", "+OK\r\n",
		"CONFIG FOO", "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n",
		"CONFIG GET", "-ERR wrong number of arguments for 'config|get' command\r\n",
		"CONFIG SET maxmemory", "-ERR wrong number of arguments for 'config|set' command\r\n",
		"CONFIG RESETSTAT x", "-ERR wrong number of arguments for 'config|resetstat' command\r\n",
		"CONFIG GET maxmemory", "+QUEUED\r\n",
		"EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n",
		"MULTI", "+OK\r\n",
		"CONFIG GET hz", "+QUEUED\r\n",
		"EXEC", "*1\r\n*2\r\n$2\r\nhz\r\n$2\r\n10\r\n",
		"CONFIG", "-ERR wrong number of arguments for 'config' command\r\n",
	)
}
