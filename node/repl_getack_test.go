package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// REPLCONF GETACK from any client makes a replica whose link is up send
// its master an ACK (replconfCommand: "if (server.masterhost &&
// server.master) replicationSendAck()"); the client itself gets no reply.
func TestGetackFromAnyClientAcksToTheMaster(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	link := linkUp(t, h, c)
	h.Env.Take(link)
	assert.Empty(t, h.DoString(c, "REPLCONF", "GETACK", "*"), "no reply to the client")
	assert.Equal(t, "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$3\r\n100\r\n", string(h.Env.Take(link)))
}
