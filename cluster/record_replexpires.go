package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
)

// sampleReplicaExpires reads node s's INFO stats
// slave_expires_tracked_keys, for checker.CheckReplicaExpires: after each
// tick whose serverCron ran (and with it the expire cycle; a node in a
// busy spell runs none), kept when not 0, or right after a full sync's
// load (fullSync).
func (s *simNode) sampleReplicaExpires(fullSync bool) {
	if !s.up || s.exiting || s.node.Down() {
		return
	}
	info := s.node.Info(false, map[string]bool{"stats": true})
	const field = "\r\nslave_expires_tracked_keys:"
	i := strings.Index(info, field)
	if i < 0 {
		return
	}
	v, _, _ := strings.Cut(info[i+len(field):], "\r\n")
	tracked, err := strconv.Atoi(v)
	if err != nil {
		tracked = -1
	}
	if tracked == 0 && !fullSync {
		return // judged by nothing
	}
	replica, _ := s.node.LinkState()
	smp := checker.ReplicaExpiresSample{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()), FullSync: fullSync,
		Replica: replica, Tracked: tracked, Volatile: -1}
	if replica && tracked > 0 && !fullSync {
		smp.Volatile = s.node.VolatileKeysFrom(s.Now()/1e6 - 1)
	}
	s.h.rec.replExpires = append(s.h.rec.replExpires, smp)
}

// ReplicaExpiresInput is every client's history, the operator's DEBUG
// RELOADs and LOADAOFs and the nodes' samples of
// slave_expires_tracked_keys, for checker.CheckReplicaExpires.
func (h *Cluster) ReplicaExpiresInput(ops []checker.Op) checker.ReplicaExpiresInput {
	return checker.ReplicaExpiresInput{Ops: ops, Reloads: h.rec.reloads, Samples: h.rec.replExpires}
}
