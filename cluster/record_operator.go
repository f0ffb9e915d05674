package cluster

import "github.com/replsim/replsim/checker"

// recordOperatorCall keeps a command the operator ran on node name at
// virtual time at, for checker.CheckRDBSaveCauses.
// It returns the call's index, for recordOperatorReply.
func (h *Cluster) recordOperatorCall(name string, at int64, args []string) int {
	h.rec.operatorCalls = append(h.rec.operatorCalls, checker.OperatorCall{Node: name, At: at, Args: append([]string(nil), args...),
		LogFrom: len(h.rec.logs)})
	return len(h.rec.operatorCalls) - 1
}

// recordOperatorReply adds the reply to the operator's call i, and where
// the log stands after it.
func (h *Cluster) recordOperatorReply(i int, reply string) {
	c := &h.rec.operatorCalls[i]
	c.Answered, c.Reply, c.LogTo = true, reply, len(h.rec.logs)
}

// ReplicaofNoopInput is what checker.CheckReplicaofNoops reads.
func (h *Cluster) ReplicaofNoopInput() ([]checker.LogLine, []checker.OperatorCall) {
	return h.rec.logs, h.rec.operatorCalls
}

// RDBSaveCauseInput is what checker.CheckRDBSaveCauses reads.
func (h *Cluster) RDBSaveCauseInput() checker.RDBSaveCauseInput {
	ops := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	ops = append(append(ops, h.masterOps...), h.replicaOps...)
	return checker.RDBSaveCauseInput{Lines: h.rec.logs, Ops: ops, Operator: h.rec.operatorCalls,
		Probes: h.rec.probeWrites, Settings: h.rec.settings}
}
