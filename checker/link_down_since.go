package checker

import (
	"fmt"
	"strconv"
)

// LinkDownSample is a replica's INFO replication
// master_link_down_since_seconds, read while its master link was down.
type LinkDownSample struct {
	Node string
	Gen  int
	// At is the virtual time (ns) of the read, ClockMs the node's clock
	// then.
	At      int64
	ClockMs int64
	// Logs is how many log lines (of every node) were recorded before
	// the read.
	Logs  int
	Value string
}

// LinkDownInput is every node's log and the samples, in the order they
// were taken.
type LinkDownInput struct {
	Lines   []LogLine
	Samples []LinkDownSample
}

// In Redis 7.0.15 (replication.c), replicationHandleMasterDisconnection
// sets repl_down_since to server.unixtime when the master client is freed,
// which freeClient logs as logMasterLost (a lost link, or one REPLICAOF
// drops; replicationSetMaster itself leaves it); a link up clears it
// (readSyncBulkPayload at the end of a full sync, logFullSyncDone;
// replicationResurrectCachedMaster on a partial one, logPartialDone), and
// so does replicationUnsetMaster (REPLICAOF NO ONE, logMasterMode). A new
// process starts with 0 (initServerConfig).

// CheckLinkDownSince judges master_link_down_since_seconds, which INFO
// shows a replica whose link is not up: -1 while repl_down_since is 0,
// else the whole seconds of its clock since the link was lost
// (server.unixtime - repl_down_since, seconds of the clock at the read and
// at the logMasterLost line).
func CheckLinkDownSince(in LinkDownInput) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	down := map[genKey]int64{} // second of the clock the link was lost; 0: none
	var out []Violation
	next := 0
	for _, s := range in.Samples {
		for ; next < s.Logs && next < len(in.Lines); next++ {
			l := &in.Lines[next]
			k := genKey{l.Node, l.Gen}
			switch l.Format {
			case logMasterLost:
				down[k] = floorDiv(l.ClockMs, 1000)
			case logFullSyncDone, logPartialDone, logMasterMode:
				down[k] = 0
			}
		}
		want := int64(-1)
		if d := down[genKey{s.Node, s.Gen}]; d != 0 {
			want = floorDiv(s.ClockMs, 1000) - d
		}
		if got, err := strconv.ParseInt(s.Value, 10, 64); err != nil || got != want {
			out = append(out, Violation{Check: "link_down_since", Nodes: []string{s.Node}, At: s.At,
				Detail: fmt.Sprintf("%s (incarnation %d): INFO master_link_down_since_seconds:%s at its clock %d ms, but its log says %d (%s)",
					s.Node, s.Gen, s.Value, s.ClockMs, want, linkDownWhy(down[genKey{s.Node, s.Gen}]))})
		}
	}
	return out
}

// linkDownWhy says where the expected value came from.
func linkDownWhy(downSec int64) string {
	if downSec == 0 {
		return "no link lost since the start, the last link up or REPLICAOF NO ONE"
	}
	return fmt.Sprintf("link lost at second %d of its clock", downSec)
}
