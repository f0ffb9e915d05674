package node_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

func TestRoleMaster(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	assert.Equal(t, "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", h.DoString(c, "ROLE"))
	r := h.Conn()
	h.Do(r, "REPLCONF", "listening-port", "7777")
	h.Do(r, "PSYNC", "?", "-1")
	h.Do(c, "SET", "k", "v")
	h.Do(r, "REPLCONF", "ACK", "5")
	off := h.Node.Repl().Offset
	require.Positive(t, off)
	assert.Equal(t, "*3\r\n$6\r\nmaster\r\n:"+strconv.FormatInt(off, 10)+"\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n7777\r\n$1\r\n5\r\n", h.DoString(c, "ROLE"))
	assert.Equal(t, "-ERR wrong number of arguments for 'role' command\r\n", h.DoString(c, "ROLE", "x"))
}

func TestRoleReplica(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "REPLICAOF", "m", "6379"))
	assert.Equal(t, "*5\r\n$5\r\nslave\r\n$1\r\nm\r\n:6379\r\n$10\r\nconnecting\r\n:-1\r\n", h.DoString(c, "ROLE"))
	link := h.Env.Dials()[0].ID
	h.Node.OnDialed(link, nil)
	assert.Equal(t, "*5\r\n$5\r\nslave\r\n$1\r\nm\r\n:6379\r\n$9\r\nhandshake\r\n:-1\r\n", h.DoString(c, "ROLE"))
	h.CloseConn(link)
	h2 := nodetest.New(t, node.DefaultConfig())
	c2 := h2.Conn()
	linkUp(t, h2, c2)
	assert.Equal(t, "*5\r\n$5\r\nslave\r\n$1\r\nm\r\n:6379\r\n$9\r\nconnected\r\n:100\r\n", h2.DoString(c2, "ROLE"))
}
