package node

import "strconv"

func init() {
	register(&command{name: "role", arity: 1, flags: flagStale, fn: roleCommand})
}

// roleCommand is ROLE: a master lists its online replicas (IP, listening
// port and acknowledged offset, as bulk strings); a replica names its
// master, its link state and the offset it applied (-1 without a link).
func roleCommand(n *Node, c *client, args [][]byte) {
	r := &n.repl
	if !r.isReplica() {
		var online []*client
		for _, rc := range r.replicas {
			if rc.replica.state == slaveOnline {
				online = append(online, rc)
			}
		}
		c.addArrayLen(3)
		c.addBulk("master")
		c.addInt(r.offset)
		c.addArrayLen(len(online))
		for _, rc := range online {
			rs := rc.replica
			ip := rs.announcedIP
			if ip == "" {
				ip = hostOf(rc.addr)
			}
			c.addArrayLen(3)
			c.addBulk(ip)
			c.addBulk(strconv.Itoa(rs.listeningPort))
			c.addBulk(strconv.FormatInt(rs.ackOffset, 10))
		}
		return
	}
	var state string
	switch {
	case r.state >= replRecvPing && r.state <= replRecvPsync:
		state = "handshake"
	case r.state == replConnect:
		state = "connect"
	case r.state == replConnecting:
		state = "connecting"
	case r.state == replTransfer:
		state = "sync"
	case r.state == replConnected:
		state = "connected"
	default:
		state = "none"
	}
	c.addArrayLen(5)
	c.addBulk("slave")
	c.addBulk(r.masterHost)
	c.addInt(int64(r.masterPort))
	c.addBulk(state)
	if r.state == replConnected {
		c.addInt(r.offset)
	} else {
		c.addInt(-1)
	}
}
