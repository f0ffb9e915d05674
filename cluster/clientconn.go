package cluster

import (
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
)

// clientConn is the connection side the harness's own protocol clients
// (the monitor, the replication client) share: one connection at a time,
// its input buffer, and what happens when it ends, whichever side ends it.
// The client embeds it and keeps its own states from 2 on.
type clientConn struct {
	h    *Cluster
	name string
	conn netsim.ConnID
	// state: 0 not connected, 1 dialing; the client numbers the rest.
	state int
	in    []byte
	// retry dials again; ended is the client's part of a connection's
	// end (its session, its next dial).
	retry sim.EventFunc
	ended func()
}

// connect dials addr.
func (c *clientConn) connect(addr string) {
	c.state = 1
	c.conn = c.h.net.Dial(c.name, addr)
}

// dialFailed is the end of a dial that failed: it tries again later.
func (c *clientConn) dialFailed() {
	c.state = 0
	c.h.w.After(reconnectDelay, c.retry)
}

// OnAccept implements netsim.Handler; the clients do not listen.
func (c *clientConn) OnAccept(int, netsim.ConnID) {}

// hangUp closes the connection and ends the session.
func (c *clientConn) hangUp() {
	c.h.net.Close(c.conn)
	c.closed()
}

func (c *clientConn) closed() {
	c.state = 0
	c.in = c.in[:0]
	c.ended()
}

// OnClosed implements netsim.Handler.
func (c *clientConn) OnClosed(conn netsim.ConnID, err error) {
	if conn != c.conn || c.state == 0 {
		return
	}
	c.closed()
}
