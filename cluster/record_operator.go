package cluster

import "github.com/replsim/replsim/checker"

// recordOperatorCall keeps a command the operator ran on node name at
// virtual time at, for checker.CheckRDBSaveCauses.
func (h *Cluster) recordOperatorCall(name string, at int64, args []string) {
	h.rec.operatorCalls = append(h.rec.operatorCalls, checker.OperatorCall{Node: name, At: at, Args: append([]string(nil), args...)})
}

// RDBSaveCauseInput is what checker.CheckRDBSaveCauses reads.
func (h *Cluster) RDBSaveCauseInput() checker.RDBSaveCauseInput {
	ops := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	ops = append(append(ops, h.masterOps...), h.replicaOps...)
	return checker.RDBSaveCauseInput{Lines: h.rec.logs, Ops: ops, Operator: h.rec.operatorCalls,
		Probes: h.rec.probeWrites, Settings: h.rec.settings}
}
