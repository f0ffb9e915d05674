package node_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

func shutdownNode(t *testing.T) (*nodetest.Harness, node.ConnID, *nodetest.Replica) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	c := h.Conn()
	r := h.Replica()
	ticks(h, time.Second)
	require.Equal(t, ":1\r\n", h.DoString(c, "INCR", "k"))
	return h, c, r
}

// ack makes the fake replica acknowledge everything it was sent.
func ack(h *nodetest.Harness, r *nodetest.Replica) {
	h.Do(r.Conn, "REPLCONF", "ACK", strconv.FormatInt(h.Node.Repl().Offset, 10))
}

// SHUTDOWN with a lagging replica blocks, asks for an ACK, shows the time
// left in INFO, and exits once the replica caught up.
func TestShutdownWaitsForLaggingReplica(t *testing.T) {
	h, c, r := shutdownNode(t)
	assert.Empty(t, h.DoString(c, "SHUTDOWN"), "blocked")
	assert.False(t, h.Node.Down())
	assert.Contains(t, r.Commands(), []string{"REPLCONF", "GETACK", "*"})
	other := h.Conn()
	info := h.DoString(other, "INFO")
	assert.Contains(t, info, "shutdown_in_milliseconds:10000\r\n")
	assert.Contains(t, info, "blocked_clients:1\r\n")
	ticks(h, time.Second)
	assert.False(t, h.Node.Down())
	ack(h, r)
	ticks(h, 100*time.Millisecond)
	assert.True(t, h.Node.Down())
	assert.Contains(t, h.Env.Logs(), "1 of 1 replicas are in sync when shutting down.")
	assert.Contains(t, h.Env.Logs(), "Redis is now ready to exit, bye bye...")
}

// At shutdown-timeout the node exits anyway, logging the lagging replica.
func TestShutdownTimesOut(t *testing.T) {
	h, c, r := shutdownNode(t)
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "shutdown-timeout", "2"))
	h.DoString(c, "SHUTDOWN")
	ticks(h, 1900*time.Millisecond)
	assert.False(t, h.Node.Down())
	ticks(h, 200*time.Millisecond)
	assert.True(t, h.Node.Down())
	assert.Contains(t, h.Env.Logs(), "0 of 1 replicas are in sync when shutting down.")
	found := false
	for _, l := range h.Env.Logs() {
		found = found || len(l) > 16 && l[:16] == "Lagging replica "
	}
	assert.True(t, found, "a Lagging replica line")
	_ = r
}

// SHUTDOWN ABORT answers the blocked SHUTDOWN clients with an error;
// NOW, and shutdown-timeout 0, do not wait.
func TestShutdownAbortAndNow(t *testing.T) {
	h, c, r := shutdownNode(t)
	d := h.Conn()
	assert.Equal(t, "-ERR No shutdown in progress.\r\n", h.DoString(d, "SHUTDOWN", "ABORT"))
	h.DoString(c, "SHUTDOWN")
	e := h.Conn()
	assert.Empty(t, h.DoString(e, "SHUTDOWN", "NOSAVE"), "a second SHUTDOWN blocks too")
	assert.Equal(t, "+OK\r\n", h.DoString(d, "SHUTDOWN", "ABORT"))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n", string(h.Env.Take(c)))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n", string(h.Env.Take(e)))
	assert.Contains(t, h.Env.Logs(), "Shutdown manually aborted.")
	assert.NotContains(t, h.DoString(d, "INFO", "server"), "shutdown_in_milliseconds")
	ack(h, r)
	ticks(h, time.Second)
	assert.False(t, h.Node.Down(), "aborted for good")

	assert.Equal(t, ":2\r\n", h.DoString(c, "INCR", "k"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "shutdown-timeout", "0"))
	h.DoString(c, "SHUTDOWN")
	assert.True(t, h.Node.Down())
}

// A blocked SHUTDOWN client that hangs up leaves the wait; the others
// stay blocked and get their error at ABORT (mutant shutdown_wait.go:222:8
// dropped the first other client instead). An internal session
// (AdminSession) hangs up the same way and is answered nothing.
func TestShutdownClientHangsUp(t *testing.T) {
	h, c, _ := shutdownNode(t)
	d := h.Conn()
	h.DoString(c, "SHUTDOWN")
	e := h.Conn()
	assert.Empty(t, h.DoString(e, "SHUTDOWN"), "joins the wait")
	h.CloseConn(e)
	hangUp := h.Node.AdminSession("SHUTDOWN")
	assert.Contains(t, h.DoString(d, "INFO", "clients"), "blocked_clients:2\r\n")
	hangUp()
	assert.Contains(t, h.DoString(d, "INFO", "clients"), "blocked_clients:1\r\n")
	assert.Equal(t, "+OK\r\n", h.DoString(d, "SHUTDOWN", "ABORT"))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n", string(h.Env.Take(c)))
	assert.Empty(t, h.Env.Take(e), "a closed client is answered nothing")
	assert.Empty(t, h.Node.TakeAdminReplies(), "nor is the session, nor does it count as the operator")
}

func TestShutdownNow(t *testing.T) {
	h, c, _ := shutdownNode(t)
	h.DoString(c, "SHUTDOWN", "NOW")
	assert.True(t, h.Node.Down())
}

// A signal schedules the shutdown for the next tick, with the flags of
// shutdown-on-sigterm; ABORT cancels a scheduled one too.
func TestShutdownSignal(t *testing.T) {
	h, c, r := shutdownNode(t)
	h.Node.ShutdownSignal(false)
	assert.True(t, h.Node.ShutdownPending())
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SHUTDOWN", "ABORT"))
	ticks(h, time.Second)
	assert.False(t, h.Node.Down())

	h.Node.ShutdownSignal(false)
	ticks(h, 100*time.Millisecond)
	assert.False(t, h.Node.Down(), "waits for the replica")
	ack(h, r)
	ticks(h, 100*time.Millisecond)
	assert.True(t, h.Node.Down())
}

// shutdown_asap is a signal's alone: it stays set while the signal's
// shutdown waits for a replica (a second SIGINT would exit at once:
// sigShutdownHandler), a SHUTDOWN command's wait leaves it clear (a SIGINT
// then schedules a shutdown), and SHUTDOWN ABORT clears it whether the
// signal's shutdown started or not (abortShutdown).
func TestShutdownSignalAsap(t *testing.T) {
	h, c, _ := shutdownNode(t)
	h.Node.ShutdownSignal(true)
	ticks(h, 100*time.Millisecond)
	assert.Contains(t, h.Env.Logs(), "Waiting for replicas before shutting down.")
	assert.True(t, h.Node.ShutdownWaiting())
	assert.True(t, h.Node.ShutdownPending(), "prepareForShutdown leaves shutdown_asap set")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SHUTDOWN", "ABORT"))
	assert.False(t, h.Node.ShutdownPending())
	assert.False(t, h.Node.ShutdownWaiting())

	h.Node.ShutdownSignal(false)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SHUTDOWN", "ABORT"), "requested, not started yet")
	assert.False(t, h.Node.ShutdownPending())
	ticks(h, 300*time.Millisecond)
	assert.False(t, h.Node.ShutdownWaiting(), "aborted before it started")

	d := h.Conn()
	assert.Empty(t, h.DoString(d, "SHUTDOWN"), "blocked: it waits for the replica")
	assert.True(t, h.Node.ShutdownWaiting())
	assert.False(t, h.Node.ShutdownPending(), "a SHUTDOWN command's wait leaves shutdown_asap clear")
	h.Node.ShutdownSignal(true)
	assert.True(t, h.Node.ShutdownPending())
	ticks(h, 100*time.Millisecond)
	assert.False(t, h.Node.Down(), "the wait under way goes on")
}

func TestShutdownOnSigtermNow(t *testing.T) {
	h, c, _ := shutdownNode(t)
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "shutdown-on-sigterm", "now nosave"))
	assert.Equal(t, "*2\r\n$19\r\nshutdown-on-sigterm\r\n$10\r\nnosave now\r\n", h.DoString(c, "CONFIG", "GET", "shutdown-on-sigterm"))
	h.Node.ShutdownSignal(false)
	ticks(h, 100*time.Millisecond)
	assert.True(t, h.Node.Down())
}

// A client that pipelined a command behind its SHUTDOWN runs it as soon as
// a SHUTDOWN ABORT answers the SHUTDOWN, in the same event (Redis's
// beforeSleep, processUnblockedClients), not at the next serverCron; a
// pipelined internal session (AdminPipeline) gets both replies the same
// way.
func TestShutdownAbortResumesPipelinedInput(t *testing.T) {
	h, c, _ := shutdownNode(t)
	d := h.Conn()
	assert.Empty(t, h.DoRaw(c, []byte("*1\r\n$8\r\nSHUTDOWN\r\n*1\r\n$4\r\nPING\r\n")), "blocked, its PING waiting")
	p := h.Node.AdminPipeline([]byte("*1\r\n$8\r\nSHUTDOWN\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n"))
	assert.True(t, p.Blocked())
	assert.Empty(t, p.Replies())
	assert.Equal(t, "+OK\r\n", h.DoString(d, "SHUTDOWN", "ABORT"))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n+PONG\r\n", string(h.Env.Take(c)))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n$2\r\nhi\r\n", string(p.Replies()))
	p.HangUp()
	assert.Contains(t, h.DoString(d, "INFO", "clients"), "blocked_clients:0\r\n")
}
