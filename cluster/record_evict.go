package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/tap"
)

// eviction is one key a node evicted under maxmemory.
type eviction struct {
	at     int64
	epoch  int // the cluster's epoch then
	node   string
	db     int
	key    string
	policy string
}

var _ tap.EvictTap = (*simNode)(nil)

// Evicted implements tap.EvictTap.
func (s *simNode) Evicted(db int, key, policy string) {
	s.h.w.Log().S(s.name).S(" evicted ").S(key).S(" (").S(policy).S(")").End()
	s.h.evictions = append(s.h.evictions, eviction{at: s.h.w.Now(), epoch: s.h.epoch, node: s.name, db: db, key: key, policy: policy})
}

// evictionOps are the evictions the masters of ms made while they were
// master, as operations of their epochs (checker.OpEvict), each under the
// name the operations of hist give the key (checker.KeyNamer; seed 701:
// "k3" of db 9, MOVEd there, is the model's "d9:k3"); a key hist does not
// name has no model to judge it and is left out. The epoch is the one in
// force when the node evicted, not one found by time: a master that evicts
// and then exits (its AOF write failed) ends its epoch at the same instant
// (seed 877). A node that evicts while the harness no longer treats it as
// master (a deposed master that has not heard yet) serves no client the
// model judges: its evictions are left out, as its clients' reads are.
func (h *Cluster) evictionOps(ms []mastership, hist []checker.Op) []checker.Op {
	if len(h.evictions) == 0 {
		return nil
	}
	names := checker.NewKeyNamer(hist)
	var out []checker.Op
	for _, ev := range h.evictions {
		key, ok := names.Name(ev.db, ev.key)
		if !ok {
			continue
		}
		for _, m := range ms {
			if m.epoch == ev.epoch && m.node == ev.node {
				out = append(out, checker.NewEviction(ev.node, m.epoch, ev.db, key, ev.policy, ev.at))
				break
			}
		}
	}
	return out
}

// Evictions is how many keys the nodes evicted under maxmemory.
func (h *Cluster) Evictions() int { return len(h.evictions) }
