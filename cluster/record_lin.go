package cluster

import (
	"math"

	"github.com/replsim/replsim/checker"
)

// mastership is one master epoch: the node the harness treated as master
// from..to.
type mastership struct {
	node     string
	epoch    int
	from, to int64
	// demoted, in an epoch with no master, is the node the master
	// clients are still sent to (the one demoted); it serves their
	// writes if its replica-read-only is off.
	demoted string
}

// masterships derives the master epochs from the timeline: the first node
// is master in epoch 0; every event that starts a new epoch hands over. A
// promotion (or the heal's repair) makes its node master; a crash or exit
// of the master ends its epoch (it serves nothing while down, and comes
// back in a new one); a demotion leaves no master at all (node "") until
// the next promotion.
func (h *Cluster) masterships() []mastership {
	if len(h.nodes) == 0 {
		return nil
	}
	cur := mastership{node: h.nodes[0].name, from: 0, to: math.MaxInt64}
	var out []mastership
	for _, ev := range h.timeline {
		if ev.Epoch <= cur.epoch {
			continue
		}
		cur.to = ev.At
		out = append(out, cur)
		cur = mastership{node: cur.node, epoch: ev.Epoch, from: ev.At, to: math.MaxInt64, demoted: cur.demoted}
		switch ev.Kind {
		case EventPromote, EventRepair:
			cur.node, cur.demoted = ev.Node, ""
		case EventDemote:
			cur.node, cur.demoted = "", ev.Node
		}
	}
	return append(out, cur)
}

// linHistory is what the linearizability check judges: the master
// clients' operations, plus any replica reader's operation that reached its
// node while that node was the master (after a promotion). A write that
// straddles the promotion is included (a replica would have refused it,
// so if it took effect it did as master); a read that straddles it is not
// (it may have been served by the replica). A replica with
// replica-read-only off would not have refused the write, though: it may
// have run it before the promotion, and its master's stream may have
// overwritten it since, so its outcome in the epoch is unknown (seed
// 76591: a reader's SET k1 on writable n3, then the master's SET k1, then
// n3's promotion, and the SET's OK arrived after it). Reads sent while no node was
// master (after a demotion) were served by a replica and are left out;
// the writes of such an epoch are judged together, a replica reader's
// sent to the demoted node with the master clients' (seed 1 at 100,000
// ops: the demoted node, made writable by CONFIG SET replica-read-only no,
// took both, and judging only the master clients' could not explain what
// they read back).
// So is a master client's read answered after its epoch ended: it may have
// run in a later epoch (seed 5787: a GET held by a partition reached its
// node after a demotion and a promotion, and read that epoch's value); a
// failed write (INCR of a non-integer) only reads, and is treated alike,
// as is every read command (EXISTS, a hash or set read, TYPE), not only
// GET. The keys each epoch's master evicted under maxmemory join as
// operations of their own (record_evict.go).
// An epoch that a full sync of the master clients' node ended
// (EventMasterResync) lost its dataset at that instant: a write answered
// after it may have run on the loaded snapshot, so its reply says nothing
// about the epoch's own state and it counts as one whose outcome is unknown.
func (h *Cluster) linHistory() []checker.Op {
	ms := h.masterships()
	masterless := map[int]bool{}
	end := map[int]int64{}
	for _, m := range ms {
		if m.node == "" {
			masterless[m.epoch] = true
		}
		end[m.epoch] = m.to
	}
	resynced := h.resyncEnds()
	unknownAfterResync := func(op *checker.Op) {
		if at, ok := resynced[op.Epoch]; ok && !op.Unknown && op.Return > at {
			op.Unknown = true
		}
	}
	out := make([]checker.Op, 0, len(h.masterOps))
	for _, op := range h.masterOps {
		if masterless[op.Epoch] && !op.Writes() {
			continue
		}
		reads := (!op.Writes() && op.Kind != checker.OpWait) || op.Err != "" // GET, HGET, SMEMBERS, TYPE, ...
		if e, ok := end[op.Epoch]; ok && reads && !op.Unknown && op.Return > e {
			continue
		}
		unknownAfterResync(&op)
		out = append(out, op)
	}
	for _, op := range h.replicaOps {
		ret := op.Return
		if op.Unknown {
			ret = math.MaxInt64
		}
		for _, m := range ms {
			if op.Call >= m.to || ret < m.from {
				continue
			}
			if m.node == "" && m.demoted == op.Node && op.Writes() {
				// Judged with the master clients' writes to the same node.
				op.Epoch = m.epoch
				unknownAfterResync(&op)
				out = append(out, op)
				break
			}
			if m.node != op.Node {
				continue
			}
			if (op.Call >= m.from && ret < m.to) || op.Writes() {
				op.Epoch = m.epoch
				if op.Call < m.from && h.writableReplica(op.Node, op.Call, m.from) {
					op.Unknown = true
				}
				unknownAfterResync(&op)
				out = append(out, op)
				break
			}
		}
	}
	out = append(out, h.evictionOps(ms, out)...)
	return append(out, h.cycledBack(ms, out)...)
}

// resyncEnds maps each epoch that a full sync of the master clients' node
// ended to that instant.
func (h *Cluster) resyncEnds() map[int]int64 {
	var out map[int]int64
	for _, ev := range h.timeline {
		if ev.Kind == EventMasterResync {
			if out == nil {
				out = map[int]int64{}
			}
			out[ev.Epoch-1] = ev.At
		}
	}
	return out
}

// writableReplica reports whether node was a replica with
// replica-read-only off at some instant in [from, to).
func (h *Cluster) writableReplica(node string, from, to int64) bool {
	var cur *checker.SettingsChange
	for i := range h.rec.settings {
		c := &h.rec.settings[i]
		if c.Node != node {
			continue
		}
		if c.At >= to {
			break
		}
		if c.At > from && cur != nil && cur.Replica && !cur.ReadOnly && !cur.Down {
			return true
		}
		cur = c
	}
	return cur != nil && cur.Replica && !cur.ReadOnly && !cur.Down
}
