package cluster

import "github.com/replsim/replsim/checker"

// cycledBack returns, for each epoch with no master whose demoted node
// was writable, a copy of every write that node ran as master and then
// applied again from its own master's stream in the epoch, as an operation
// of that epoch whose outcome is unknown. Demoting a master to a node
// downstream of it makes a replication cycle: a replica proxies its
// master's stream to its own replicas and propagates none of its own
// writes (replicationFeedSlaves returns at once when masterhost is set),
// so what the node wrote as master and its replicas had not yet received
// comes back to it, and lands between the master clients' writes (seed
// 43568: op_demote n3 to n4, with n4 a replica of n2 and n2 of n3 behind a
// slow link; n3's INCRs from before the demotion came back). The node's
// own bytes are known by their replication ID and offsets; the writes they
// hold, by the times the node produced them.
func (h *Cluster) cycledBack(ms []mastership, ops []checker.Op) []checker.Op {
	node := map[int]string{}
	for _, m := range ms {
		node[m.epoch] = m.node
	}
	var out []checker.Op
	for _, m := range ms {
		d := m.demoted
		if m.node != "" || d == "" || !h.writableReplica(d, m.from, m.to) {
			continue
		}
		from, to, ok := h.ownBytesBack(d, m.from, m.to)
		if !ok {
			continue
		}
		for _, op := range ops {
			ran := op.Call <= to && (op.Unknown || op.Return >= from)
			if ran && node[op.Epoch] == d && op.Node == d && op.Writes() && (op.Err == "" || op.Unknown) {
				op.Epoch, op.Unknown = m.epoch, true
				out = append(out, op)
			}
		}
	}
	return out
}

// ownBytesBack reports whether node applied, as a replica in [from, to),
// stream bytes it had itself produced as a master before from, and the
// first and last instants it produced them at. The bytes applied under
// one replication ID count as one span of offsets.
func (h *Cluster) ownBytesBack(node string, from, to int64) (first, last int64, ok bool) {
	type span struct{ lo, hi int64 }
	back := map[string]span{}
	for _, c := range h.rec.chunks {
		if c.Node == node && c.Replica && c.At >= from && c.At < to {
			s, seen := back[c.ReplID]
			if !seen {
				s = span{c.Start, c.End()}
			}
			back[c.ReplID] = span{min(s.lo, c.Start), max(s.hi, c.End())}
		}
	}
	for _, c := range h.rec.chunks {
		if c.At >= from {
			break
		}
		s, seen := back[c.ReplID]
		if c.Node != node || c.Replica || !seen || c.End() <= s.lo || c.Start >= s.hi {
			continue
		}
		if !ok {
			first = c.At
		}
		last, ok = c.At, true
	}
	return first, last, ok
}
