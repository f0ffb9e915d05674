package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// ProbeWrite sends, at the end of a converged run's steady tail, one write
// to the master as an operator would: DEL of a key nobody uses. A healed
// cluster must take writes again (checker.CheckWriteProbe): a refusal
// there (MISCONF of an AOF error never retried, READONLY of a master that
// thinks it is a replica) is a liveness failure no client saw, as the
// workload was over.
// It reports whether the write was refused (the caller may probe again
// a while later, for a retry that waits on the node's clock).
func (h *Cluster) ProbeWrite() (refused bool) {
	m := h.master
	if m == nil {
		return false
	}
	p := checker.WriteProbe{Node: m.name, At: int64(h.w.Now())}
	v, err := h.Exec(m.name, "DEL", checker.ProbeKey)
	if err == nil {
		h.rec.probeWrites = append(h.rec.probeWrites, checker.NodeCall{Node: m.name, Call: p.At, Return: p.At})
	}
	switch {
	case err != nil:
		p.Reply = "(not sent: " + err.Error() + ")"
	case v.Kind == resp.Error:
		p.Reply, p.Refused = string(v.Str), true
		p.GoodReplicas, p.MinReplicas = -1, m.node.Config().MinReplicasToWrite
		info := m.node.Info(false, map[string]bool{"replication": true})
		if _, rest, ok := strings.Cut(info, "\r\nmin_slaves_good_slaves:"); ok {
			field, _, _ := strings.Cut(rest, "\r\n")
			if n, err := strconv.ParseInt(field, 10, 64); err == nil {
				p.GoodReplicas = n
			}
		}
	default:
		p.Reply = v.String()
	}
	h.w.Log().S("probe: DEL ").S(checker.ProbeKey).S(" on ").S(m.name).S(" -> ").S(p.Reply).End()
	h.rec.probe = &p
	h.rec.probes = append(h.rec.probes, p)
	return p.Refused
}

// ProbeWrites are the probes' writes: the WAIT probe's SET (Return -1
// when no reply ordered it) and the write probe's DEL.
func (h *Cluster) ProbeWrites() []checker.NodeCall { return h.rec.probeWrites }

// WriteProbeResult is the probe's outcome (nil when the run had none).
func (h *Cluster) WriteProbeResult() *checker.WriteProbe {
	if h.rec.probe == nil {
		return nil
	}
	p := *h.rec.probe
	p.Lines, p.DiskFaults = h.rec.logs, h.rec.disk
	return &p
}
