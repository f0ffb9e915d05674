package checker

import (
	"fmt"
	"strings"
)

// ProbeKey is the key the write probe deletes: outside every workload's
// key space, so the DEL deletes nothing, propagates nothing and writes no
// AOF.
const ProbeKey = "__replsim_probe"

// probeMonitorTail is how a monitor shows the probe: from the harness's
// operator client, which has no address.
const probeMonitorTail = ` [0 ] "DEL" "` + ProbeKey + `"`

// WriteProbe is the harness's write to the master at the end of a
// converged run's steady tail (cluster/probe.go).
type WriteProbe struct {
	Node    string
	At      int64
	Reply   string
	Refused bool // the reply was an error
}

// CheckWriteProbe: once the faults have healed and the replicas have
// converged, the master takes a write. Excused: NOREPLICAS, which
// min-replicas-to-write may rightly keep answering (a chained topology
// gives the master fewer replicas than the setting asks for).
func CheckWriteProbe(p *WriteProbe) []Violation {
	if p == nil || !p.Refused || strings.HasPrefix(p.Reply, "NOREPLICAS") {
		return nil
	}
	return []Violation{{Check: PropLiveness, At: p.At, Nodes: []string{p.Node}, Detail: fmt.Sprintf(
		"after the heal and convergence the master %s refused a write at %s: %s (DEL of an unused key; nothing was failing any more)",
		p.Node, seconds(p.At), p.Reply)}}
}
