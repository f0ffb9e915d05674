package checker

import (
	"fmt"
	"strings"
)

// CheckRewriteStartFsyncSecond judges the first everysec fsync of an incr
// file that Redis 7.0.15 opened in a second it counts as fsynced:
//
//   - a rewrite's start, with the AOF on: openNewIncrAofForAppend hands
//     the old file to a background fsync and close
//     (aof_background_fsync_and_close) and sets aof_last_fsync to
//     server.unixtime (the start line is known by the old file's fsync in
//     its instant);
//   - a process's start: initServer sets aof_last_fsync to the time
//     before aofOpenIfNeededOnServerStart opens or creates the incr file.
//
// flushAppendOnlyFile's gate (unixtime > aof_last_fsync) then holds the
// file's first fsync to a later second of the node's clock. Judged only
// with everysec in force from the line to that fsync and no other line
// about the node's AOF files between but a rewrite's own
// (rewriteProgress).
func CheckRewriteStartFsyncSecond(in AOFFsyncInput) []Violation {
	settings := newSettingsLog(in.Settings)
	resets := map[string][]int64{}
	for _, l := range in.Lines {
		if aofFileLine(l.Format) && !rewriteProgress[l.Format] {
			resets[l.Node] = append(resets[l.Node], l.At)
		}
	}
	attempts := fsyncAttempts(in)
	var out []Violation
	for _, l := range in.Lines {
		atStart := l.Format == logAOFOpened || l.Format == logAOFCreatedAtStart
		if !atStart && l.Format != logRewriteIncr || len(l.Args) == 0 || strings.HasPrefix(l.Args[0], "temp-") {
			continue
		}
		newFile := l.Args[0]
		closed, next := atStart, -1
		for i, s := range attempts {
			if s.Node != l.Node || s.At < l.At {
				continue
			}
			name := lastPart(s.Path)
			if s.At == l.At && name != newFile {
				closed = true // the old file's fsync as it is let go
				continue
			}
			// One of the same instant may come before the line (a
			// harness's plant before a start): the records do not order
			// them, so the first fsync judged is a later one.
			if name == newFile && s.At > l.At {
				next = i
				break
			}
		}
		if !closed || next < 0 {
			continue
		}
		s := attempts[next]
		why := "letting go of the old file (openNewIncrAofForAppend)"
		if atStart {
			why = "the process's start (initServer)"
		}
		cs := settings[l.Node]
		i, j := inForce(cs, l.At), inForce(cs, s.At)
		if i < 0 || i != j || cs[i].Down || !cs[i].AppendOnly || cs[i].AppendFsync != "everysec" {
			continue
		}
		if anyIn(resets[l.Node], l.At+1, s.At) {
			continue
		}
		clock, ok := in.Clocks[l.Node]
		if !ok || !clock.Known() {
			continue
		}
		lo, _ := clock.Range(l.At, l.At)
		_, hi := clock.Range(s.At, s.At)
		if hi/1e9 > lo/1e9 {
			continue
		}
		out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{l.Node},
			Detail: fmt.Sprintf("%s fsynced %s at %s, in second %d of its clock, the second it opened that file (%q at %s) under appendfsync everysec: %s sets aof_last_fsync to that second, and flushAppendOnlyFile fsyncs only once unixtime > aof_last_fsync",
				l.Node, newFile, seconds(s.At), hi/1e9, l.Msg, seconds(l.At), why)})
	}
	return out
}

// rewriteProgress are the lines of a rewrite running or ending
// (backgroundRewriteDoneHandler), none of which moves aof_last_fsync.
var rewriteProgress = map[string]bool{
	logAOFRWStarted: true, logAOFRWSuccess: true, logAOFRWError: true, logAOFRWErrorBare: true, logRWBySignal: true,
	logRWRenamedBase: true, logRenameFailed: true, logRWRenamedIncr: true, logRWRenameIncrErr: true,
	logAOFRWFinished: true, logHistoryRemoved: true,
}
