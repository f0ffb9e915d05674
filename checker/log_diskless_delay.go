package checker

import (
	"fmt"
	"slices"
)

// The lines after a replica's request that say it waits for a later
// transfer (Redis's syncCommand and its CASE 2 and 3).
var waitsForTransfer = map[string]bool{
	"Delay next BGSAVE for diskless SYNC":                                                       true,
	"Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC":                        true,
	"Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC":          true,
	"No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed": true,
}

// disklessDelayKept checks the lower bound of repl-diskless-sync-delay: a
// master starts a transfer to replicas' sockets only once a replica waiting
// for it has been idle the delay, in whole seconds of its own clock (Redis's
// shouldStartChildProcess: server.unixtime - lastinteraction >= the delay,
// lastinteraction being the last read from the replica, no sooner than its
// PSYNC, which logs "Replica %s asks for synchronization"), unless
// repl-diskless-sync-max-replicas replicas wait. The delay and the limit are
// those in force at the start, as Redis's cron reads them then.
//
// A replica waits from a request the master answered with a line saying so
// until its link is lost. Log lines name a replica by its announced address,
// not its connection: a second request under the same name may come on a
// new connection while the first still waits (the replica closed it, but
// its end never reached the master across a partition; gate seed 3031082),
// so both wait, and a loss takes the latest of that name, which leaves the
// earlier wait and never makes the rule stricter than Redis. Each transfer takes the replica that waited
// longest (by the master's clock); Redis's takes every waiting replica at
// once, so what is left of them only makes the earliest wait earlier: the
// rule never asks more than Redis guarantees. The delay's own line comes
// only with repl-diskless-sync yes and a delay above 0.
func disklessDelayKept(lines []LogLine) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	type state struct {
		lastAsk LogLine
		waiting []LogLine
	}
	states := map[genKey]*state{}
	var out []Violation
	for _, l := range lines {
		k := genKey{l.Node, l.Gen}
		st := states[k]
		if st == nil {
			st = &state{}
			states[k] = st
		}
		name := ""
		if len(l.Args) > 0 {
			name = l.Args[0]
		}
		dropLatest := func(name string) {
			for i := len(st.waiting) - 1; i >= 0; i-- {
				if st.waiting[i].Args[0] == name {
					st.waiting = slices.Delete(st.waiting, i, i+1)
					return
				}
			}
		}
		switch {
		case l.Format == logAsksSync && name != "":
			st.lastAsk = l
		case waitsForTransfer[l.Msg]:
			if l.Msg == logDelayDiskless && (l.DisklessDelaySec == 0 || !l.DisklessSync) {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q with repl-diskless-sync %v and repl-diskless-sync-delay %d: Redis delays only a diskless sync, and only with a delay",
						l.Node, l.Gen, l.Msg, l.DisklessSync, l.DisklessDelaySec)})
			}
			if a := st.lastAsk; a.Format != "" && a.At == l.At {
				st.waiting = append(st.waiting, a)
			}
			st.lastAsk = LogLine{}
		case l.Format == logReplicaLost && name != "":
			dropLatest(name)
		case l.Format == logSyncToSockets && len(st.waiting) > 0:
			i := 0
			for j, w := range st.waiting {
				if w.ClockMs < st.waiting[i].ClockMs {
					i = j
				}
			}
			first := st.waiting[i]
			st.waiting = slices.Delete(st.waiting, i, i+1)
			if l.DisklessDelaySec > 0 && l.DisklessMaxReplicas == 0 {
				if idle := floorDiv(l.ClockMs, 1000) - floorDiv(first.ClockMs, 1000); idle < l.DisklessDelaySec {
					out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
						Detail: fmt.Sprintf("%s (incarnation %d): %q %d s (whole seconds of its clock) after the earliest waiting replica's %q, within repl-diskless-sync-delay %d s",
							l.Node, l.Gen, l.Msg, idle, first.Msg, l.DisklessDelaySec)})
				}
			}
		}
	}
	return out
}

// floorDiv is a / b rounded towards minus infinity (b > 0): whole seconds
// of a clock that may read before the epoch.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
