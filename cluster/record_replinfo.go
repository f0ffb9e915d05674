package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node/resp"
)

// ReplInfoInput is what every node answers to INFO replication and ROLE
// at the end of the run (an operator's read), for checker.CheckReplInfo.
// ROLE is read without running it (node.RoleValue): as a command it could
// evict under maxmemory and leave the master ahead of its replicas after
// the run converged (seed 1906).
//
// Each node comes with its clock and the time of its latest
// replicationCron (when links time out), and a replica with whether the
// master end of its link has closed, the close not yet delivered, and
// whether its latest full sync came through SYNC.
func (h *Cluster) ReplInfoInput() checker.ReplInfoInput {
	in := checker.ReplInfoInput{Healed: h.rec.heal.done, At: int64(h.w.Now())}
	clocks := h.nodeClocks()
	for _, s := range h.nodes {
		n := checker.ReplInfoNode{Name: s.name, Port: s.port, Up: s.up && !s.exiting && !s.node.Down()}
		if n.Up {
			n.ReplTimeoutSec = int64(s.node.Config().ReplTimeoutSec)
			n.Clock, n.ReplCronAt = clocks[s.name], int64(s.replCronAt)
			if c := netsim.ConnID(s.node.MasterLinkConn()); c != 0 {
				n.MasterClosed = !h.net.Alive(h.net.Peer(c))
				n.MasterInFlight = h.net.Unsent(h.net.Peer(c)) > 0
			}
			n.MasterClient = s.node.MasterClientInfo()
			n.Info = s.node.Info(false, map[string]bool{"replication": true})
			n.RoleReplicas = roleReplicas(s.node.RoleValue())
			n.BySYNC = h.lastFullSyncBySYNC(s.name)
		}
		in.Nodes = append(in.Nodes, n)
	}
	return in
}

// lastFullSyncBySYNC reports whether node's latest full sync came through
// SYNC.
func (h *Cluster) lastFullSyncBySYNC(node string) bool {
	for i := len(h.rec.syncs) - 1; i >= 0; i-- {
		if f := &h.rec.syncs[i]; f.Node == node {
			return f.BySYNC()
		}
	}
	return false
}

// roleReplicas reads the replicas of a master's ROLE reply.
func roleReplicas(v resp.Value, err error) []checker.RoleReplica {
	if err != nil || len(v.Array) != 3 || string(v.Array[0].Str) != "master" {
		return nil
	}
	var out []checker.RoleReplica
	for _, r := range v.Array[2].Array {
		if len(r.Array) != 3 {
			continue
		}
		off, _ := strconv.ParseInt(string(r.Array[2].Str), 10, 64)
		out = append(out, checker.RoleReplica{IP: string(r.Array[0].Str), Port: string(r.Array[1].Str), Offset: off})
	}
	return out
}
