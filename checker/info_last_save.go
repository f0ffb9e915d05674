package checker

import (
	"fmt"
	"strconv"
)

// CheckLastSave judges each running node's INFO rdb_last_save_time at the
// end of the run: it is the second, by the node's clock, of its process's
// last successful save (logDBSaved, logSaveDone), or of the process's
// start when it saved nothing (initServer: "at startup we consider the DB
// saved"). Redis 7.0.15 sets server.lastsave after rdbSave's success in
// the process (SAVE, FLUSHALL with save points, DEBUG RELOAD, a shutdown's
// save) and in backgroundSaveDoneHandlerDisk (any BGSAVE to disk, a
// replica's sync included); a BGSAVE child logs "DB saved on disk" as it
// ends, in the instant of its parent's line.
func CheckLastSave(in InfoCountersInput) []Violation {
	type proc struct {
		node string
		proc int
	}
	last := map[proc]*LogLine{}
	for i := range in.Lines {
		l := &in.Lines[i]
		if l.Msg == logDBSaved || l.Msg == logSaveDone {
			last[proc{l.Node, l.Proc}] = l
		}
	}
	var out []Violation
	for _, n := range in.Nodes {
		fields, _ := parseInfo(n.Info)
		v, ok := fields["rdb_last_save_time"]
		if !ok {
			continue
		}
		want, from := floorDiv(n.StartClockMs, 1000), "its process's start (no save since)"
		if l := last[proc{n.Node, n.Proc}]; l != nil {
			want, from = floorDiv(l.ClockMs, 1000), fmt.Sprintf("its last successful save (%q at %s)", l.Msg, seconds(l.At))
		}
		if got, err := strconv.ParseInt(v, 10, 64); err != nil || got != want {
			out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): INFO rdb_last_save_time:%s, but by its clock %s was at %d: Redis sets lastsave there and nowhere else",
					n.Node, n.Gen, v, from, want)})
		}
	}
	return out
}
