package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

const debugNotAllowed = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"

// protectedHarness is a node whose enable-debug-command is setting, with
// a client from 127.0.0.1 and one from elsewhere.
func protectedHarness(t *testing.T, setting string) (h *nodetest.Harness, local, remote node.ConnID) {
	cfg := node.DefaultConfig()
	cfg.EnableDebugCommand = setting
	cfg.RequirePass = "pw"
	env := nodetest.NewEnv(1)
	n := node.New(cfg, env)
	env.Node = n
	h = &nodetest.Harness{T: t, Env: env, Node: n}
	local = h.Conn() // 127.0.0.1
	remote = env.NewConnID()
	n.OnAccept(remote, "10.0.0.7:4000")
	return h, local, remote
}

// enable-debug-command is "no" by default, as in Redis 7.0: DEBUG is
// refused after the arity check and before AUTH, and a refusal inside
// MULTI dooms the transaction; "local" allows local clients only.
func TestDebugCommandProtected(t *testing.T) {
	h, local, remote := protectedHarness(t, "no")
	assert.Equal(t, "no", node.DefaultConfig().EnableDebugCommand)
	assert.Equal(t, "-ERR wrong number of arguments for 'debug' command\r\n", h.DoString(local, "DEBUG"))
	assert.Equal(t, debugNotAllowed, h.DoString(local, "DEBUG", "HELP"), "refused before NOAUTH")
	assert.Equal(t, debugNotAllowed, h.DoString(remote, "DEBUG", "NOSUCH"))
	assert.Equal(t, "+OK\r\n", h.DoString(local, "AUTH", "pw"))
	assert.Equal(t, "+OK\r\n", h.DoString(local, "MULTI"))
	assert.Equal(t, debugNotAllowed, h.DoString(local, "DEBUG", "SLEEP", "0"))
	assert.Equal(t, "-EXECABORT Transaction discarded because of previous errors.\r\n", h.DoString(local, "EXEC"))
	assert.Equal(t, "*2\r\n$20\r\nenable-debug-command\r\n$2\r\nno\r\n", h.DoString(local, "CONFIG", "GET", "enable-debug-command"))
	assert.Contains(t, h.DoString(local, "CONFIG", "SET", "enable-debug-command", "yes"), "can't set immutable config")

	h, local, remote = protectedHarness(t, "local")
	assert.Equal(t, "+OK\r\n", h.DoString(local, "AUTH", "pw"))
	assert.Equal(t, "+OK\r\n", h.DoString(local, "DEBUG", "SLEEP", "0"))
	assert.Equal(t, debugNotAllowed, h.DoString(remote, "DEBUG", "SLEEP", "0"))

	h, _, remote = protectedHarness(t, "yes")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", h.DoString(remote, "DEBUG", "SLEEP", "0"))
}
