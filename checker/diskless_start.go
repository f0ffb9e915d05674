package checker

import (
	"fmt"
	"slices"
)

// A BGSAVE for SYNC that replicas wait for starts no later than the first
// replicationCron that finds it due. Redis 7.0.15's replicationCron ends
// with replicationStartPendingFork: with no child running
// (hasActiveChildProcess) and replicas in WAIT_BGSAVE_START, it starts
// one when repl-diskless-sync is off, when repl-diskless-sync-max-replicas
// (above 0) of them wait, or when one has been idle the
// repl-diskless-sync-delay (server.unixtime - lastinteraction, whole
// seconds; a waiting replica sends nothing after its PSYNC, so its idle
// time counts from the "asks for synchronization" line, whose clock is no
// earlier than lastinteraction's cached second). A replica waits from a
// request answered with a line saying so (waitsForTransfer) until a start
// takes it or its link is lost (the names as in disklessDelayKept).

// CheckDisklessStart judges each replicationCron run (a sample) of in
// against the waits its log holds.
func CheckDisklessStart(in ReplIDInput) []Violation {
	type state struct {
		lastAsk  LogLine
		waiting  []LogLine
		children int
	}
	states := map[childKey]*state{}
	get := func(k childKey) *state {
		s := states[k]
		if s == nil {
			s = &state{}
			states[k] = s
		}
		return s
	}
	var out []Violation
	next := 0
	for _, smp := range in.Samples {
		for ; next < smp.Logs && next < len(in.Lines); next++ {
			l := &in.Lines[next]
			st := get(childKey{l.Node, l.Gen})
			dr, da, dx, _ := childDelta(l)
			st.children += dr + da + dx
			name := ""
			if len(l.Args) > 0 {
				name = l.Args[0]
			}
			switch {
			case l.Format == logAsksSync && name != "":
				st.lastAsk = *l
			case waitsForTransfer[l.Msg]:
				if a := st.lastAsk; a.Format != "" && a.At == l.At {
					st.waiting = append(st.waiting, a)
				}
				st.lastAsk = LogLine{}
			case l.Format == logReplicaLost && name != "":
				for i := len(st.waiting) - 1; i >= 0; i-- {
					if st.waiting[i].Args[0] == name {
						st.waiting = slices.Delete(st.waiting, i, i+1)
						break
					}
				}
			case l.Format == logSyncToSockets || l.Format == logSyncToDisk:
				st.waiting = st.waiting[:0]
			}
		}
		st := get(childKey{smp.Node, smp.Gen})
		if len(st.waiting) == 0 || st.children != 0 {
			continue
		}
		idle := int64(-1)
		for _, w := range st.waiting {
			idle = max(idle, floorDiv(smp.ClockMs, 1000)-floorDiv(w.ClockMs, 1000))
		}
		most := smp.DisklessMaxReplicas
		why := ""
		switch {
		case !smp.DisklessSync:
			why = "repl-diskless-sync is no"
		case most > 0 && int64(len(st.waiting)) >= most:
			why = fmt.Sprintf("%d replicas wait, repl-diskless-sync-max-replicas %d", len(st.waiting), most)
		case idle >= smp.DisklessDelaySec:
			why = fmt.Sprintf("the earliest has been idle %d s, repl-diskless-sync-delay %d s", idle, smp.DisklessDelaySec)
		default:
			continue
		}
		out = append(out, Violation{Check: "node_log", At: smp.At, Nodes: []string{smp.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): its replicationCron at %s (clock %d ms) left %d replicas waiting for a BGSAVE for SYNC (the first: %q at clock %d ms) with no child running, and %s: Redis's replicationStartPendingFork starts it then",
				smp.Node, smp.Gen, seconds(smp.At), smp.ClockMs, len(st.waiting), st.waiting[0].Msg, st.waiting[0].ClockMs, why)})
		st.waiting = st.waiting[:0] // one report per wait
	}
	return out
}
