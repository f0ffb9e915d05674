package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/tap"
)

// What the bounded-liveness check (checker/liveness.go) needs beyond the
// stream and the full syncs: when the last heal was, every node's
// replication state right after it, and what bounds a sync over each link
// (latency, bandwidth, repl-timeout, diskless delay, blackholes).

// observeSyncConfig keeps the longest diskless delay each node was set
// to: a sync a replica asked for waits the delay in force when it asked.
// observeRoles calls it after everything that can change a config.
func (h *Cluster) observeSyncConfig() {
	if h.rec.maxDelay == nil {
		h.rec.maxDelay = map[string]int64{}
	}
	for _, s := range h.nodes {
		if s.up && s.node != nil {
			h.rec.maxDelay[s.name] = max(h.rec.maxDelay[s.name], delayOf(s.node.Config()))
		}
	}
}

// healMark is the cluster as its latest heal left it, and what its
// nodes' replication did since.
type healMark struct {
	done bool
	at   sim.Time
	// seq is the recorder's sequence number at the heal: a restart or
	// promotion numbered above it came after it, even at the same instant
	// (a node the heal resumed that exits on a pending SHUTDOWN restarts
	// right after the heal).
	seq   int
	repls map[string]tap.ReplStatus // nodes up right after the heal
	// samples are every node's replication state after the heal, each
	// time its role, master, link or replication ID changed (a partial
	// resync with nothing to send shows only here); last is the latest
	// per node.
	samples []checker.ReplSample
	last    map[string]tap.ReplStatus
}

// noteHeal records the heal that just ended (Heal calls it last).
func (h *Cluster) noteHeal() {
	m := healMark{done: true, at: h.w.Now(), seq: h.rec.seq, repls: map[string]tap.ReplStatus{}, last: map[string]tap.ReplStatus{}}
	h.rec.heal = m
	for _, s := range h.nodes {
		if s.up {
			m.repls[s.name] = s.node.Repl()
			h.noteRepl(s)
		}
	}
}

// noteRepl samples s's replication state after the heal, when it
// changed; the cluster calls it after every event a node handles.
func (h *Cluster) noteRepl(s *simNode) {
	m := &h.rec.heal
	if !m.done || !s.up {
		return
	}
	st := s.node.Repl()
	if p, ok := m.last[s.name]; ok && p.Role == st.Role && p.MasterHost == st.MasterHost && p.LinkUp == st.LinkUp && p.ReplID == st.ReplID {
		return
	}
	m.last[s.name] = st
	m.samples = append(m.samples, checker.ReplSample{At: int64(h.w.Now()), Node: s.name, Repl: st})
}

// livenessInput assembles the bounded-liveness check's input: the master
// and every live replica at the end, the path each replica's data takes,
// and what bounds a sync over each hop.
func (h *Cluster) livenessInput(clocks checker.Clocks) checker.LivenessInput {
	mk := h.rec.heal
	in := checker.LivenessInput{Healed: mk.done, HealAt: int64(mk.at), Chunks: h.rec.chunks, FullSyncs: h.rec.syncs,
		Samples: mk.samples, Clocks: clocks, NetCut: h.netCut(), ObufDrops: h.rec.obufDrops, Restarts: h.rec.restarts, Lines: h.rec.logs, DiskFaults: h.rec.disk}
	m := h.master
	if !mk.done || m == nil || !m.up || m.node.Repl().Role != "master" {
		return in
	}
	mr := m.node.Repl()
	in.Master, in.ReplID, in.FinalOffset, in.Data = m.name, mr.ReplID, mr.Offset, m.node.Dataset()
	in.AnchorAt = int64(mk.at)
	if st, ok := mk.repls[m.name]; ok {
		in.AnchorOffset = st.Offset
	}
	// A master that restarted or was promoted after the heal fixed its
	// history then: the latest of them, in the recorder's order.
	seq := mk.seq
	for _, r := range h.rec.restarts {
		if r.Node == m.name && r.Seq > seq {
			seq, in.AnchorAt, in.AnchorOffset = r.Seq, r.RestartAt, r.Repl.Offset
		}
	}
	for _, p := range h.rec.promotions {
		if p.Node == m.name && p.Seq > seq {
			seq, in.AnchorAt, in.AnchorOffset = p.Seq, p.At, p.Now.Offset
		}
	}
	silenced := h.blackholed()
	diskFailed := map[string]bool{}
	for _, f := range h.rec.disk {
		if f.Op == "write" || f.Op == "sync" || f.Op == "syncdir" {
			diskFailed[f.Node] = true
		}
	}
	for _, s := range h.nodes {
		if s == m || !s.up || !h.reachesMaster(s) {
			continue
		}
		r := checker.LivenessReplica{Name: s.name}
		for x := s; x != m; {
			up := h.Node(x.node.Repl().MasterHost)
			hop := h.hop(up, x, silenced)
			hop.DiskFailed = diskFailed[up.name]
			r.Hops = append([]checker.Hop{hop}, r.Hops...)
			x = up
		}
		in.Replicas = append(in.Replicas, r)
	}
	return in
}

// hop describes the link from master up to replica x as a sync sees it.
func (h *Cluster) hop(up, x *simNode, silenced map[[2]string]bool) checker.Hop {
	lat := func(a, b string) int64 {
		base, jitter := h.net.Latency(a, b)
		return int64(base + jitter)
	}
	ucfg, xcfg := up.node.Config(), x.node.Config()
	timeout := max(ucfg.ReplTimeoutSec, xcfg.ReplTimeoutSec, up.cfg.ReplTimeoutSec, x.cfg.ReplTimeoutSec)
	return checker.Hop{Master: up.name, Replica: x.name,
		Latency:       max(lat(up.name, x.name), lat(x.name, up.name)),
		Bandwidth:     h.net.Bandwidth(up.name, x.name),
		ReplTimeout:   timeout * int64(sim.Second),
		Diskless:      ucfg.ReplDisklessSync || up.cfg.ReplDisklessSync,
		DisklessDelay: max(delayOf(ucfg), delayOf(up.cfg), h.rec.maxDelay[up.name]),
		Silenced:      silenced[[2]string{up.name, x.name}] || silenced[[2]string{x.name, up.name}],
	}
}

// delayOf is how long a master with cfg waits before a diskless transfer.
func delayOf(cfg node.Config) int64 { return cfg.ReplDisklessSyncDelay * int64(sim.Second) }

// blackholed returns every directed pair of hosts a blackhole cut during
// the run.
func (h *Cluster) blackholed() map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, ev := range h.timeline {
		if ev.Kind != "net_blackhole" {
			continue
		}
		if from, to, ok := strings.Cut(ev.Detail, "->"); ok {
			out[[2]string{from, to}] = true
		}
	}
	return out
}

// netCut reports whether the network ever lost a dial's SYN or bytes: a
// partition, a one-way cut, a blackhole or failed dials.
func (h *Cluster) netCut() bool {
	for _, ev := range h.timeline {
		switch ev.Kind {
		case EventPartition, "net_oneway", "net_blackhole", "net_dial_error":
			return true
		}
	}
	return false
}
