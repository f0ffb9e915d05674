package checker

import (
	"fmt"
	"strings"
	"time"

	"github.com/replsim/replsim/tap"
)

// Bounded liveness, after TigerBeetle's liveness mode: once the faults
// stop, "eventually" is not enough. Each replica must catch up with its
// master within a budget derived from what the sync has to do over its
// links, and it must get there without a resync loop.

// What a sync over one hop (master -> replica) can wait for, besides the
// links' latency and bandwidth. Each term is a mechanism the node has,
// named after Redis's.
const (
	// LivenessCron is the period of replicationCron (one second, hz ticks
	// of 100 ms) plus one tick of slack: a replica connects, and a master
	// starts a delayed diskless transfer, only from that cron.
	LivenessCron = 1100 * time.Millisecond
	// LivenessJob bounds a background job (the fork that writes the RDB
	// for a sync): the simulator finishes one within 21 ms.
	LivenessJob = 25 * time.Millisecond
	// LivenessDialTimeout is how long a dial whose SYN a cut network lost
	// waits before it fails (netsim's DialTimeout), after which the
	// replica retries at its next cron.
	LivenessDialTimeout = 5 * time.Second
	// LivenessRoundTrips is how many round trips a full sync takes: the
	// dial, PING, AUTH and the two REPLCONFs, PSYNC and its +FULLRESYNC,
	// the payload, the replica's first ACK (which a diskless master waits
	// for before the stream) and the stream after it; two spare.
	LivenessRoundTrips = 8
	// LivenessSyncAttempts is how many syncs a hop may need after the
	// heal: one that a change upstream cuts short or makes stale (a
	// chained replica that synced from its master before that master
	// resynced), and the one that lands.
	LivenessSyncAttempts = 2
	// LivenessSaveRetry is how long a master whose disk failed a save may
	// refuse every replica's PING with MISCONF (stop-writes-on-bgsave-error)
	// after the disk is healthy again: Redis retries a failed BGSAVE 5 s
	// after it (CONFIG_BGSAVE_RETRY_DELAY), at a cron tick, and the save
	// takes a job; a failed AOF write or fsync is retried within a second,
	// unless aof_buf is empty (stuckAOFWrite).
	LivenessSaveRetry = 5*time.Second + 100*time.Millisecond + LivenessJob
	// LivenessRDBOverhead is the RDB bytes a key costs beyond its name and
	// value (type, lengths, expiry), rounded up.
	LivenessRDBOverhead = 24
)

// Hop is one master -> replica link on the way from the master to a
// replica, with what bounds a sync over it.
type Hop struct {
	Master, Replica string
	// Latency is the larger one-way latency of the two directions: base
	// plus the largest jitter, ns.
	Latency int64
	// Bandwidth is the master -> replica limit in bytes per second, 0 for
	// none.
	Bandwidth int64
	// ReplTimeout is the larger repl-timeout of the two nodes (live or in
	// their config files), ns: how long a silent link lasts.
	ReplTimeout int64
	// Diskless says the master sends the RDB straight to the socket, and
	// DisklessDelay how long it waits first for more replicas (ns).
	Diskless      bool
	DisklessDelay int64
	// Silenced says a blackhole dropped bytes between the two during the
	// run: a connection that lost bytes stays stalled until repl-timeout
	// ends it.
	Silenced bool
	// DiskFailed says the master's disk failed a write or an fsync (of a
	// file or a directory) during the run: until its next save succeeds it
	// refuses PING with MISCONF.
	DiskFailed bool
}

// LivenessReplica is a live replica at the end of the run and the path its
// data takes from the master.
type LivenessReplica struct {
	Name string
	// Hops go from the master down to this replica (one for a direct
	// replica).
	Hops []Hop
}

// ReplSample is a node's replication state at At.
type ReplSample struct {
	At   int64
	Node string
	Repl tap.ReplStatus
}

// LivenessInput is what the bounded-liveness check reads.
type LivenessInput struct {
	// Healed says the run healed; HealAt is the last heal. A run that never
	// healed has nothing to judge.
	Healed bool
	HealAt int64
	// AnchorAt is when the master's history as the replicas must reach it
	// was fixed: the heal, or a later restart or promotion of the master.
	// AnchorOffset is the master's offset then, and ReplID its final
	// replication ID: a replica has caught up once it holds that history
	// up to AnchorOffset.
	AnchorAt     int64
	AnchorOffset int64
	ReplID       string
	Master       string
	// FinalOffset is the master's offset at the end: the stream written
	// after the anchor crosses the links too.
	FinalOffset int64
	Replicas    []LivenessReplica
	Chunks      []StreamChunk
	FullSyncs   []FullSync
	// Samples are the nodes' replication states from the heal on: at the
	// heal, and whenever a node's role, master, link or replication ID
	// changed (a partial resync that had nothing to send shows only here).
	Samples []ReplSample
	// Data is the master's dataset at the end: what a full sync carries.
	Data []tap.KeyValue
	// Clocks are the nodes' clocks: a clock that went back stretches every
	// wall-clock timer (repl-timeout, the diskless delay) by as much.
	Clocks Clocks
	// NetCut says a partition, blackhole or failed dial happened: a dial
	// whose SYN was lost may still be waiting for its timeout at the heal.
	NetCut bool
	// ObufDrops are the replicas masters dropped for their output buffer.
	ObufDrops []ObufDrop
	// Restarts are the nodes' restarts: one after the heal (a node that
	// exits on a SHUTDOWN still waiting for its replicas at the heal, as
	// Redis's serverCron finishes it once they caught up or at
	// shutdown-timeout) starts the replica's, or its master's, history
	// over.
	Restarts []Restart
	// Lines are the nodes' log lines: a master whose AOF write error is
	// stuck (StuckAOFWriteError) refuses its replicas' PING with MISCONF
	// for as long as nothing clears it, as Redis does.
	Lines []LogLine
	// DiskFaults are the injected disk faults the nodes hit: after a
	// logged AOF write error, a failed write may start another unlogged
	// (StuckAOFWriteError).
	DiskFaults []DiskFault
}

// LivenessStats are what the check measured, for the run's stats.
type LivenessStats struct {
	// Judged is how many replicas were timed; Slowest is the largest
	// catch-up time and Tightest the largest share of its budget a
	// replica used (per mille).
	Judged   int
	Slowest  time.Duration
	Tightest int64
	// MostSyncs is the most full syncs a replica completed after the heal.
	MostSyncs int
}

// CheckLiveness judges every replica a master dropped for its output
// buffer (CheckObufDrops), then every live replica after the heal:
//
//   - it catches up with the master (holds the master's final history up to
//     the master's offset at the anchor) within its budget: for each hop
//     from the master down, LivenessSyncAttempts full syncs (a cron to
//     connect, the diskless delay and a cron to start it, a background
//     job, LivenessRoundTrips round trips, the dataset and the stream over
//     the bandwidth), plus repl-timeout and a cron when a blackhole
//     silenced a hop, plus the dial timeout when the network was cut, plus
//     how far back the clocks of the nodes on its path went;
//   - it completes at most LivenessSyncAttempts full syncs per hop of its
//     path after the heal, the anchor, and the latest restart of a node on
//     its path (syncsFrom): more is a resync loop, unless its master's
//     output-buffer limit justly dropped it after the heal (Redis's known
//     full-resync loop, reported as a hazard).
//
// A replica that never catches up is the convergence check's to report.
func CheckLiveness(in LivenessInput) ([]Violation, LivenessStats) {
	var st LivenessStats
	out := CheckObufDrops(in.ObufDrops)
	if !in.Healed || in.Master == "" {
		return out, st
	}
	dataBytes := datasetBytes(in.Data)
	stream := max(in.FinalOffset-in.AnchorOffset, 0)
	for _, r := range in.Replicas {
		if len(r.Hops) == 0 {
			continue
		}
		from, why := in.syncsFrom(r)
		syncs := 0
		for _, f := range in.FullSyncs {
			if f.Node == r.Name && f.At > from {
				syncs++
			}
		}
		st.MostSyncs = max(st.MostSyncs, syncs)
		if limit := LivenessSyncAttempts * len(r.Hops); syncs > limit {
			v := Violation{Check: PropLiveness, Detail: fmt.Sprintf(
				"resync loop: replica %s completed %d full syncs after %s at %s, more than %d for its %s",
				r.Name, syncs, why, seconds(from), limit, pathDesc(r.Hops))}
			if d, ok := pathObufLoop(in.ObufDrops, r, in.HealAt); ok {
				v.Check = PropHazard
				v.Detail = fmt.Sprintf("known hazard: full-resync loop: %s, driven by %s dropping %s for its output buffer (client-output-buffer-limit replica %d %d %d below the write rate; first at %s)",
					v.Detail, d.Master, d.Replica, d.Hard, d.Soft, d.SoftSeconds, seconds(d.At))
			}
			out = append(out, v)
		}
		at, ok := in.caughtUp(r)
		if !ok {
			continue
		}
		took := time.Duration(at - in.AnchorAt)
		budget, parts := in.budget(r, dataBytes, stream, at)
		st.Judged++
		st.Slowest = max(st.Slowest, took)
		if budget > 0 {
			st.Tightest = max(st.Tightest, int64(took)*1000/int64(budget))
		}
		if took > budget {
			v := Violation{Check: PropLiveness, Detail: fmt.Sprintf(
				"replica %s caught up with master %s (offset %d of %s) %s after the heal at %s, over its budget of %s (%s)",
				r.Name, in.Master, in.AnchorOffset, short(in.ReplID), roundDur(took), seconds(in.AnchorAt), roundDur(budget), parts)}
			if d, ok := pathObufLoop(in.ObufDrops, r, in.HealAt); ok {
				v.Check = PropHazard
				v.Detail = fmt.Sprintf("known hazard: %s, as %s dropped %s for its output buffer after the heal (client-output-buffer-limit replica %d %d %d; first at %s)",
					v.Detail, d.Master, d.Replica, d.Hard, d.Soft, d.SoftSeconds, seconds(d.At))
			}
			out = append(out, v)
		}
	}
	return out, st
}

// syncsFrom is when replica r's full syncs start to count, and what
// happened then: the heal, or later the anchor (the master restarted or
// was promoted, so every replica must sync its new history), or the
// latest restart of r or of a master on its path after the heal. A
// restarted replica without the master's history must sync again, and so
// must every replica below a restarted master: a SHUTDOWN waiting for
// lagging replicas at the heal (Redis's isShutdownInitiated) exits after
// it, at shutdown-timeout or once its replicas acknowledged its offset,
// and the node restarts then.
func (in *LivenessInput) syncsFrom(r LivenessReplica) (int64, string) {
	from, why := in.HealAt, "the heal"
	if in.AnchorAt > from {
		from, why = in.AnchorAt, "the master "+in.Master+" restarted or was promoted"
	}
	onPath := map[string]bool{r.Name: true}
	for _, h := range r.Hops {
		onPath[h.Master], onPath[h.Replica] = true, true
	}
	for _, rs := range in.Restarts {
		if onPath[rs.Node] && rs.RestartAt > from {
			from, why = rs.RestartAt, rs.Node+" restarted"
		}
	}
	return from, why
}

// caughtUp returns when replica r first held the master's final history
// up to the anchor offset, at or after the anchor.
func (in *LivenessInput) caughtUp(r LivenessReplica) (int64, bool) {
	best, ok := int64(0), false
	take := func(t int64) {
		if t >= in.AnchorAt && (!ok || t < best) {
			best, ok = t, true
		}
	}
	for i := range in.Chunks {
		c := &in.Chunks[i]
		if c.Replica && c.Node == r.Name && c.ReplID == in.ReplID && c.End() >= in.AnchorOffset && c.At >= in.AnchorAt {
			take(c.At)
		}
	}
	for _, f := range in.FullSyncs {
		if f.Node == r.Name && f.ReplID == in.ReplID && f.Offset >= in.AnchorOffset && f.At >= in.AnchorAt {
			take(f.At)
		}
	}
	for _, s := range in.Samples {
		if s.Node == r.Name && s.Repl.Role == "slave" && s.Repl.ReplID == in.ReplID && s.Repl.Offset >= in.AnchorOffset && s.At >= in.AnchorAt {
			take(s.At)
		}
	}
	return best, ok
}

// budget is how long replica r, which caught up at caughtAt, may take to
// catch up after the anchor, and how it adds up.
func (in *LivenessInput) budget(r LivenessReplica, dataBytes, stream, caughtAt int64) (time.Duration, string) {
	var total time.Duration
	var parts []string
	add := func(d time.Duration, what string) {
		if d > 0 {
			total += d
			parts = append(parts, what+" "+roundDur(d))
		}
	}
	var silent time.Duration
	names := []string{r.Hops[0].Master}
	for _, h := range r.Hops {
		names = append(names, h.Replica)
		one := LivenessCron + LivenessJob + time.Duration(2*LivenessRoundTrips*h.Latency)
		if h.Diskless {
			one += time.Duration(h.DisklessDelay) + LivenessCron
		}
		if h.Bandwidth > 0 {
			one += time.Duration((dataBytes + stream) * int64(time.Second) / h.Bandwidth)
		}
		add(LivenessSyncAttempts*one, fmt.Sprintf("%d syncs %s->%s", LivenessSyncAttempts, h.Master, h.Replica))
		if h.DiskFailed {
			add(LivenessSaveRetry, "save retry on "+h.Master)
			add(in.stuckAOFWrite(h.Master, caughtAt), "stuck AOF write error on "+h.Master)
		}
		if h.Silenced {
			silent = max(silent, time.Duration(h.ReplTimeout)+LivenessCron)
		}
	}
	add(silent, "repl-timeout of a silenced link")
	if in.NetCut {
		add(LivenessDialTimeout, "dial timeout")
	}
	var back time.Duration
	for _, n := range names {
		back += time.Duration(clockBack(in.Clocks[n]))
	}
	add(back, "clocks set back")
	return total, strings.Join(parts, " + ")
}

// pathObufLoop finds a justified output-buffer drop after the heal of r or
// of a replica on its path: a chained replica's master that full-syncs
// again drops its own replicas, which must full-sync again too (gate seed
// 3016376: n1 kept dropping n2 for its output buffer, and n3 below n2
// resynced each time).
func pathObufLoop(drops []ObufDrop, r LivenessReplica, healAt int64) (ObufDrop, bool) {
	if d, ok := obufLoop(drops, r.Name, healAt); ok {
		return d, true
	}
	for _, h := range r.Hops {
		if d, ok := obufLoop(drops, h.Replica, healAt); ok {
			return d, true
		}
	}
	return ObufDrop{}, false
}

// stuckAOFWrite is how long master had a stuck AOF write error between the
// anchor and caughtAt: Redis retries a failed AOF write only while aof_buf
// holds data, so until a write gets in some other way (an expiry's or an
// eviction's DEL) every PING of a replica is refused, however healthy the
// disk is.
func (in *LivenessInput) stuckAOFWrite(master string, caughtAt int64) time.Duration {
	var d int64
	for _, sp := range stuckAOFWriteSpans(in.Lines, in.DiskFaults, master) {
		if from, to := max(sp.from, in.AnchorAt), min(sp.to, caughtAt); to > from {
			d += to - from
		}
	}
	return time.Duration(d)
}

// clockBack is how far c went back in all its jumps.
func clockBack(c NodeClock) int64 {
	var back int64
	for i := 1; i < len(c.Segments); i++ {
		a, b := c.Segments[i-1], c.Segments[i]
		if d := a.at(b.From) - b.at(b.From); d > 0 {
			back += d
		}
	}
	return back
}

// datasetBytes bounds the size of an RDB of data.
func datasetBytes(data []tap.KeyValue) int64 {
	n := int64(0)
	for _, kv := range data {
		n += int64(len(kv.Key)+len(kv.Value)) + LivenessRDBOverhead
	}
	return n
}

func pathDesc(hops []Hop) string {
	s := hops[0].Master
	for _, h := range hops {
		s += " -> " + h.Replica
	}
	if len(hops) == 1 {
		return "link " + s
	}
	return fmt.Sprintf("%d-hop path %s", len(hops), s)
}

// roundDur shows d to the millisecond.
func roundDur(d time.Duration) string { return d.Round(time.Millisecond).String() }
