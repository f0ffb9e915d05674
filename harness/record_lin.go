package harness

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
}

// masterships derives the master epochs from the timeline: the first node
// is master in epoch 0; a promotion hands over; a crash or exit of the
// master ends its epoch (it serves nothing while down, and comes back in a
// new one).
func (h *Harness) masterships() []mastership {
	if len(h.nodes) == 0 {
		return nil
	}
	cur := mastership{node: h.nodes[0].name, from: 0, to: math.MaxInt64}
	var out []mastership
	for _, ev := range h.timeline {
		if ev.Kind == "op_promote" || ((ev.Kind == "proc_crash" || ev.Kind == "proc_exit") && ev.Node == cur.node) {
			cur.to = ev.At
			out = append(out, cur)
			cur = mastership{node: cur.node, epoch: ev.Epoch, from: ev.At, to: math.MaxInt64}
			if ev.Kind == "op_promote" {
				cur.node = ev.Node
			}
		}
	}
	return append(out, cur)
}

// linHistory is what the linearizability check judges: the master
// clients' operations, plus any replica reader's operation that reached its
// node while that node was the master (after a promotion). A write that
// straddles the promotion is included (a replica would have refused it,
// so if it took effect it did as master); a read that straddles it is not
// (it may have been served by the replica).
func (h *Harness) linHistory() []checker.Op {
	out := append([]checker.Op(nil), h.masterOps...)
	ms := h.masterships()
	for _, op := range h.replicaOps {
		ret := op.Return
		if op.Unknown {
			ret = math.MaxInt64
		}
		for _, m := range ms {
			if m.node != op.Node || op.Call >= m.to || ret < m.from {
				continue
			}
			if (op.Call >= m.from && ret < m.to) || op.Kind.IsWrite() {
				op.Epoch = m.epoch
				out = append(out, op)
				break
			}
		}
	}
	return out
}
