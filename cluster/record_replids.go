package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// sampleReplIDs reads node s's replication IDs from INFO replication
// after a replicationCron run, for checker.CheckReplIDs.
func (s *simNode) sampleReplIDs() {
	if !s.up || s.exiting || s.node.Down() {
		return
	}
	s.h.rec.replIDs = append(s.h.rec.replIDs, replIDSample(s.node, s.name, s.gen, s.h.w.Now(), s.Now()/1e6, len(s.h.rec.logs)))
}

// replIDSample reads n's replication IDs, its role, replica count and
// backlog (INFO replication) and its repl-backlog-ttl; clockMs is its
// clock, logs how many lines its log (the one the sample is judged
// against) holds.
func replIDSample(n *node.Node, name string, gen int, at sim.Time, clockMs int64, logs int) checker.ReplIDSample {
	info := n.Info(false, map[string]bool{"replication": true})
	field := func(name string) string {
		i := strings.Index(info, "\r\n"+name+":")
		if i < 0 {
			return ""
		}
		v, _, _ := strings.Cut(info[i+len(name)+3:], "\r\n")
		return v
	}
	replicas, _ := strconv.Atoi(field("connected_slaves"))
	ttl, _ := n.ConfigGet("repl-backlog-ttl")
	ttlSec, _ := strconv.ParseInt(ttl, 10, 64)
	cfg := n.Config()
	return checker.ReplIDSample{Node: name, Gen: gen, At: int64(at), Logs: logs,
		ID: field("master_replid"), ID2: field("master_replid2"), Second: field("second_repl_offset"),
		ClockMs: clockMs, Master: field("role") == "master", Replicas: replicas,
		Backlog: field("repl_backlog_active") == "1", BacklogTTLSec: ttlSec,
		DisklessSync: cfg.ReplDisklessSync, DisklessDelaySec: cfg.ReplDisklessSyncDelay, DisklessMaxReplicas: cfg.ReplDisklessSyncMaxReplicas}
}

// ReplIDInputs are every node's log and its samples of the replication
// IDs, and the same for the fake master's replica (its own log), for
// checker.CheckReplIDs.
func (h *Cluster) ReplIDInputs() []checker.ReplIDInput {
	out := []checker.ReplIDInput{{Lines: h.rec.logs, Samples: h.rec.replIDs}}
	if f := h.fakeMaster; f != nil && f.rep != nil {
		out = append(out, checker.ReplIDInput{Lines: f.rep.logs, Samples: f.rep.replIDs})
	}
	return out
}
