package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// ReplInfoInput is what every node answers to INFO replication and ROLE
// at the end of the run (an operator's read), for checker.CheckReplInfo.
// ROLE is read without running it (node.RoleValue): as a command it could
// evict under maxmemory and leave the master ahead of its replicas after
// the run converged (seed 1906).
func (h *Cluster) ReplInfoInput() checker.ReplInfoInput {
	in := checker.ReplInfoInput{Healed: h.rec.heal.done}
	for _, s := range h.nodes {
		n := checker.ReplInfoNode{Name: s.name, Port: s.port, Up: s.up && !s.exiting && !s.node.Down()}
		if n.Up {
			n.ReplTimeoutSec = int64(s.node.Config().ReplTimeoutSec)
			n.Info = s.node.Info(false, map[string]bool{"replication": true})
			n.RoleReplicas = roleReplicas(s.node.RoleValue())
		}
		in.Nodes = append(in.Nodes, n)
	}
	return in
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
