package checker

import "fmt"

// CheckStartFsyncSecond judges the first fsync after CONFIG SET appendonly
// yes under appendfsync everysec. Redis 7.0.15's startAppendOnly sets
// aof_last_fsync to unixtime, and flushAppendOnlyFile fsyncs under
// everysec only once unixtime > aof_last_fsync: so the AOF's first fsync
// (or failed try) after the start falls in a later second of the node's
// clock. The start's own instant is left out (its fsyncs may come before
// the start in it: the stop's, when appendonly no came first). Judged
// while the settings stay as the start left them, with no
// line about the AOF after the start's instant (a rewrite's end, say)
// up to the fsync, and the clock never below its reading at the start.
func CheckStartFsyncSecond(in AOFFsyncInput) []Violation {
	settings := newSettingsLog(in.Settings)
	lines := aofLineInstants(in.Lines)
	attempts := fsyncAttempts(in)
	var out []Violation
	seen := map[string]int{} // per node, its changes before k
	for k, c := range in.Settings {
		at := seen[c.Node] // c's index in its node's changes
		seen[c.Node]++
		if c.Down || c.Start || !c.AppendOnly || c.AppendFsync != "everysec" || !turnsAOFOn(in.Settings, k) {
			continue
		}
		clock, ok := in.Clocks[c.Node]
		if !ok || !clock.Known() {
			continue
		}
		cs := settings[c.Node]
		for _, s := range attempts {
			if s.Node != c.Node || s.At <= c.At {
				continue
			}
			// The first attempt after the start decides.
			if inForce(cs, s.At) != at || anyIn(lines[c.Node], c.At+1, s.At) {
				break
			}
			startLo, _ := clock.Range(c.At, c.At)
			lo, _ := clock.Range(c.At, s.At)
			_, hi := clock.Range(s.At, s.At)
			if lo >= startLo && hi/1e9 <= startLo/1e9 {
				out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{c.Node},
					Detail: fmt.Sprintf("%s fsynced its AOF %s (or tried to) at %s, in second %d of its clock, the second CONFIG SET appendonly yes started the AOF in (at %s), under appendfsync everysec: startAppendOnly sets aof_last_fsync to unixtime, and Redis fsyncs only once unixtime > aof_last_fsync",
						c.Node, s.Path, seconds(s.At), hi/1e9, seconds(c.At))})
			}
			break
		}
	}
	return out
}

// turnsAOFOn reports whether settings change k turned the AOF on in a
// running process: the node's change before it had appendonly no.
func turnsAOFOn(changes []SettingsChange, k int) bool {
	for i := k - 1; i >= 0; i-- {
		if p := &changes[i]; p.Node == changes[k].Node {
			return !p.Down && !p.AppendOnly
		}
	}
	return false
}
