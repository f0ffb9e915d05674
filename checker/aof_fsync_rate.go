package checker

import (
	"fmt"
	"sort"
	"strings"
)

// Under appendfsync everysec Redis 7.0.15 fsyncs the AOF at most once per
// second of its clock: flushAppendOnlyFile starts the background fsync
// only when server.unixtime > server.aof_last_fsync, and sets
// aof_last_fsync to unixtime when it does. So two fsyncs of a node's AOF
// in a row, with everysec in force between them, fall in two different
// seconds of the node's clock, the later one later.
//
// Not judged across what may set aof_last_fsync without the gate, or to
// an earlier second after the clock went back: a settings change or a
// restart (SettingsChange), and any line of the node about its AOF files
// (opening or creating one, a rewrite, stopping or starting the AOF),
// nor at an instant excluded by CheckAOFFsyncs (a rewrite, a shutdown's
// fsync, a replica's load).

// A failed fsync counts as one: the node retries it once a second (where
// Redis 7.0.15 waits for new data), under the same gate.

// CheckEverysecFsyncRate flags a node that fsynced its AOF, or tried to,
// twice within one second of its clock under appendfsync everysec.
func CheckEverysecFsyncRate(in AOFFsyncInput) []Violation {
	settings := newSettingsLog(in.Settings)
	resets := aofLineInstants(in.Lines)
	var out []Violation
	prev := map[string]int64{} // per node, its last fsync's instant
	for _, s := range fsyncAttempts(in) {
		p, ok := prev[s.Node]
		prev[s.Node] = s.At
		if !ok || strings.HasPrefix(lastPart(s.Path), "temp-") {
			continue
		}
		cs := settings[s.Node]
		i, j := inForce(cs, p), inForce(cs, s.At)
		if i < 0 || i != j || cs[i].Down || !cs[i].AppendOnly || cs[i].AppendFsync != "everysec" || cs[i].At == p {
			continue
		}
		if anyIn(resets[s.Node], p, s.At) {
			continue
		}
		clock, ok := in.Clocks[s.Node]
		if !ok || !clock.Known() {
			continue
		}
		lo, _ := clock.Range(p, p)
		_, hi := clock.Range(s.At, s.At)
		if hi/1e9 > lo/1e9 {
			continue
		}
		out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{s.Node},
			Detail: fmt.Sprintf("%s fsynced its AOF %s (or tried to) at %s and again at %s, both in second %d of its clock, under appendfsync everysec: Redis fsyncs once a second (flushAppendOnlyFile: unixtime > aof_last_fsync)",
				s.Node, s.Path, seconds(p), seconds(s.At), hi/1e9)})
	}
	return out
}

// aofFileLine says whether a log line's format is about the node's AOF
// files or the AOF's state.
func aofFileLine(format string) bool {
	return strings.Contains(format, "AOF") || strings.Contains(format, "append only") || strings.Contains(format, "Append only") ||
		strings.Contains(format, "fsync") || format == logLoadingDB
}

// aofLineInstants are, per node, the instants of its lines about its AOF
// (aofFileLine), in time order.
func aofLineInstants(lines []LogLine) map[string][]int64 {
	out := map[string][]int64{}
	for _, l := range lines {
		if aofFileLine(l.Format) {
			out[l.Node] = append(out[l.Node], l.At)
		}
	}
	return out
}

// anyIn reports whether some instant of ts (in time order) lies in [a, b].
func anyIn(ts []int64, a, b int64) bool {
	for _, t := range ts {
		if t >= a && t <= b {
			return true
		}
	}
	return false
}

// lastPart is the file name of a slash-separated path.
func lastPart(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// fsyncAttempts are the successful fsyncs of incr AOF files and the
// failed ones (disk faults), in time order.
func fsyncAttempts(in AOFFsyncInput) []FileSync {
	out := append([]FileSync(nil), in.Syncs...)
	for _, f := range in.Faults {
		if f.Op == "sync" && IsIncrAOF(f.Path) {
			out = append(out, FileSync{At: f.At, Node: f.Node, Path: f.Path})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}
