package checker

// nodeInstant is a node and a virtual instant.
type nodeInstant struct {
	node string
	at   int64
}

// faultsAt are the disk faults of operation op (all when op is ""), by
// the node and instant they hit.
func faultsAt(faults []DiskFault, op string) map[nodeInstant][]DiskFault {
	out := map[nodeInstant][]DiskFault{}
	for _, f := range faults {
		if op == "" || f.Op == op {
			k := nodeInstant{f.Node, f.At}
			out[k] = append(out[k], f)
		}
	}
	return out
}
