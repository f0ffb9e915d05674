package checker

import "fmt"

// CheckWaitsUnblockedByReplicaof flags a WAIT that blocked on a node and
// returned its count after that node ran REPLICAOF host port in between:
// Redis 7.0.15's replicationSetMaster calls disconnectAllBlockedClients,
// which answers every blocked client (WAIT's too) with "-UNBLOCKED force
// unblock from blocking operation, instance state changed (master ->
// replica?)" and closes it after the reply, so such a WAIT never returns
// a count. lines are the nodes' log lines (the "REPLICAOF %s:%d enabled"
// line follows replicationSetMaster in the command's instant).
func CheckWaitsUnblockedByReplicaof(waits []WaitAck, lines []LogLine) []Violation {
	setMaster := map[string][]int64{}
	for i := range lines {
		if lines[i].Format == logReplicaOfOn {
			setMaster[lines[i].Node] = append(setMaster[lines[i].Node], lines[i].At)
		}
	}
	var out []Violation
	for i := range waits {
		w := &waits[i]
		if !w.Blocked {
			continue
		}
		for _, d := range setMaster[w.Master] {
			if d > w.BlockedAt && d < w.At {
				out = append(out, Violation{Check: PropLiveness, At: w.At, Nodes: []string{w.Master}, Offsets: []int64{w.Offset},
					Detail: fmt.Sprintf("%s returned client %d's WAIT %d (blocked at %s) with %d replicas at %s, though REPLICAOF made it a replica at %s: replicationSetMaster answers every blocked client with an UNBLOCKED error and closes it (disconnectAllBlockedClients)",
						w.Master, w.Client, w.Want, seconds(w.BlockedAt), len(w.Conns), seconds(w.At), seconds(d))})
				break
			}
		}
	}
	return out
}
