package checker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// bgsaveAttached checks syncCommand's CASE 1: while a BGSAVE to disk
// runs, a replica asking for a full resync shares it ("Waiting for end of
// BGSAVE for SYNC") when another replica waits for that BGSAVE's end
// (SLAVE_STATE_WAIT_BGSAVE_END, registering the stream since the fork) and
// the new one has at least that replica's capabilities; otherwise it
// waits for the next BGSAVE ("Can't attach the replica to the current
// BGSAVE"). The cluster's own replicas announce every capability (capa
// eof, capa psync2), so a "Can't attach" for one of them while the log
// shows another replica waiting for the running BGSAVE's end is wrong.
//
// The log shows who waits for the end: the replicas that waited for the
// next BGSAVE when a BGSAVE for SYNC started to disk, and those that
// attached since (a request that was served a partial resync, or got no
// decision in its instant, waits for nothing); each leaves with its connection ("Connection with
// replica %s lost.") or when the BGSAVE ends. A line about a master link
// or REPLICAOF ends what the rule knows of the process.
func bgsaveAttached(lines []LogLine, ports map[string]int) []Violation {
	type state struct {
		waiting, end []string // replica names, as the log gives them
		diskRunning  bool
		startToDisk  bool   // the last line was "Starting BGSAVE for SYNC with target: disk"
		pending      string // the replica whose full resync awaits its decision
		pendingAt    int64  // when it asked: syncCommand decides in that instant
	}
	states := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		s := stateOf(states, processOf(l), func() *state { return &state{} })
		if endsMasterBacklog(l.Format) {
			*s = state{}
			continue
		}
		if l.At != s.pendingAt {
			s.pending = ""
		}
		toDisk := s.startToDisk
		s.startToDisk = false
		arg := ""
		if len(l.Args) > 0 {
			arg = l.Args[0]
		}
		if rdb, _, _, _ := childDelta(l); rdb < 0 {
			s.diskRunning, s.end = false, nil
		}
		switch {
		case l.Format == logAsksSync || l.Format == logFullRequested:
			// A plain SYNC logs no "Full resync requested" line.
			s.pending, s.pendingAt = arg, l.At
		case l.Format == logPartialOK:
			s.pending = ""
		case l.Msg == logWaitBgsaveEnd:
			if s.pending != "" {
				s.end = append(s.end, s.pending)
			}
			s.pending = ""
		case l.Msg == logCantAttach:
			if s.diskRunning && len(s.end) > 0 && s.pending != "" && clusterReplica(s.pending, ports) {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q for replica %s, which announces every capability, while %s waited for the end of the running BGSAVE to disk: Redis attaches it to that BGSAVE (replication.c syncCommand, CASE 1)",
						l.Node, l.Gen, l.Msg, s.pending, strings.Join(s.end, ", "))})
			}
			s.waiting = append(s.waiting, s.pending)
			s.pending = ""
		case l.Msg == logSocketBgsave || l.Msg == logDelayDiskless || l.Msg == logOtherChild:
			s.waiting = append(s.waiting, s.pending)
			s.pending = ""
		case l.Msg == logSyncToDisk:
			if s.pending != "" {
				s.waiting = append(s.waiting, s.pending)
				s.pending = ""
			}
			s.startToDisk = true
		case l.Msg == logSyncToSockets:
			s.pending, s.waiting = "", nil
		case l.Format == logSaveStarted && toDisk:
			s.diskRunning, s.end, s.waiting = true, s.waiting, nil
		case l.Format == logSaveStarted:
			s.diskRunning = true
		case l.Format == logReplicaLost:
			s.end = removeOne(s.end, arg)
			s.waiting = removeOne(s.waiting, arg)
		}
	}
	return out
}

// clusterReplica reports whether a replica's name (host:port) is one of
// the cluster's nodes at its listening port.
func clusterReplica(name string, ports map[string]int) bool {
	i := strings.LastIndexByte(name, ':')
	if i < 0 {
		return false
	}
	port, err := strconv.Atoi(name[i+1:])
	p, ok := ports[name[:i]]
	return err == nil && ok && p == port
}

// removeOne removes the first x from xs.
func removeOne(xs []string, x string) []string {
	if i := slices.Index(xs, x); i >= 0 {
		return slices.Delete(xs, i, i+1)
	}
	return xs
}
