package checker

import (
	"fmt"
	"slices"
	"strings"
)

// logEverysecFsyncFail is the line of a failed background fsync of the AOF
// (bio.c's BIO_AOF_FSYNC job: the first failure after a success);
// startAppendOnly's logReopenFsyncErr forgets the failure.
const logEverysecFsyncFail = "Fail to fsync the AOF file: %s"

// everysecFsyncLogs pairs a node's failed fsyncs of its incr AOF under
// appendfsync everysec with "Fail to fsync the AOF file: %s": Redis's bio
// job logs a failure only when the fsync before it succeeded
// (aof_bio_fsync_status was C_OK), so the first failure of a run of them
// logs the line and the others do not, and the line never comes without
// a failed fsync. The status is OK when the process starts, after a
// successful fsync of its incr file, and after a reopen that ignores the
// error. Not judged: an instant where the settings changed (appendonly no
// fsyncs and logs the same text), a rewrite started, the node shut down or
// exited, a replica loaded its master's RDB (stopAppendOnly), or an fsync
// both failed and succeeded; there the line still needs a failed fsync of
// the incr AOF, or, with the AOF waiting for a scheduled rewrite, no file
// ("Bad file descriptor"). But an instant where appendonly turned off with
// one fsync of the incr AOF is stopAppendOnly's fsync alone, which leaves
// the status as it was; and when appendonly turns on again
// (startAppendOnly) while the status is known to have failed, the node
// logs that it forgets it, unless the rewrite could not start.
func everysecFsyncLogs(in AOFFsyncInput) []Violation {
	type key struct {
		node string
		at   int64
	}
	failed, synced, logged, excused, reset := map[key]bool{}, map[key]bool{}, map[key]bool{}, map[key]bool{}, map[key]bool{}
	var instants []key
	add := func(k key, m map[key]bool) {
		m[k] = true
		instants = append(instants, k)
	}
	for _, f := range in.Faults {
		if f.Op == "sync" && IsIncrAOF(f.Path) {
			add(key{f.Node, f.At}, failed)
		}
	}
	for _, s := range in.Syncs {
		add(key{s.Node, s.At}, synced)
	}
	noFile := map[key]bool{}
	// otherFsync: an instant with another fsync than bio's or stopAppendOnly's;
	// enableFailed: startAppendOnly could not start its rewrite.
	otherFsync, enableFailed := map[key]bool{}, map[key]bool{}
	waits := aofWaitLines(in.Lines)
	for _, l := range in.Lines {
		k := key{l.Node, l.At}
		switch {
		case l.Format == logEverysecFsyncFail:
			add(k, logged)
			if len(l.Args) > 0 && l.Args[0] == "Bad file descriptor" {
				_, noFile[k] = aofWaitingAt(waits[l.Node], l.At)
			}
		case l.Format == logReopenFsyncErr:
			add(k, reset)
		case l.Format == logRewriteIncr || l.Format == logShutdownFsync || l.Format == logLoadingDB || strings.HasSuffix(l.Msg, "Exiting..."):
			excused[k], otherFsync[k] = true, true
		case strings.HasPrefix(l.Msg, logAOFEnableFailedPrefix):
			enableFailed[k] = true
		}
	}
	// turnedOn and turnedOff: appendonly went from no to yes (CONFIG SET
	// appendonly yes: startAppendOnly) or from yes to no (stopAppendOnly,
	// whose fsync is the main thread's and leaves bio's status alone).
	turnedOn, turnedOff := map[key]bool{}, map[key]bool{}
	last := map[string]*SettingsChange{}
	for i := range in.Settings {
		c := &in.Settings[i]
		k := key{c.Node, c.At}
		excused[k] = true
		if c.Start {
			add(k, reset)
		}
		if p := last[c.Node]; p != nil && !c.Start && !c.Down && !p.Down && p.AppendOnly != c.AppendOnly {
			if c.AppendOnly {
				add(k, turnedOn)
			} else {
				turnedOff[k] = true
			}
		}
		last[c.Node] = c
		if c.Down {
			delete(last, c.Node)
		}
	}
	fsyncs := map[key]int{} // the incr AOF's fsyncs, failed or not, per instant
	for _, f := range in.Faults {
		if f.Op == "sync" && IsIncrAOF(f.Path) {
			fsyncs[key{f.Node, f.At}]++
		}
	}
	syncCount := map[key]int{} // the incr AOF's successful fsyncs, per instant
	for _, s := range in.Syncs {
		fsyncs[key{s.Node, s.At}]++
		syncCount[key{s.Node, s.At}]++
	}
	slices.SortStableFunc(instants, func(a, b key) int {
		if a.at != b.at {
			return int(min(max(a.at-b.at, -1), 1))
		}
		return strings.Compare(a.node, b.node)
	})
	instants = slices.Compact(instants)
	settings := newSettingsLog(in.Settings)
	const ok, failing, unknown = 0, 1, 2
	state := map[string]int{} // bio's fsync status as the node's lines should show it
	var out []Violation
	bad := func(k key, format string, args ...any) {
		out = append(out, Violation{Check: PropAOFFsync, At: k.at, Nodes: []string{k.node},
			Detail: fmt.Sprintf("%s at %s: ", k.node, seconds(k.at)) + fmt.Sprintf(format, args...)})
	}
	for _, k := range instants {
		// The AOF was off until this instant's CONFIG SET: no fsync of
		// bio's ran in it before startAppendOnly, unless appendonly was
		// turned off in the same instant, whose stopAppendOnly's flush
		// may retry the failed fsync before its own (seed 6100304): an
		// instant with a successful fsync beside the stop's is not
		// judged.
		stops := 0
		if turnedOff[k] {
			stops = 1
		}
		if turnedOn[k] && state[k.node] == failing && !reset[k] && !enableFailed[k] && syncCount[k] <= stops {
			bad(k, "appendonly turned on while its last background fsync of the AOF had failed (%q, no successful one since), and it did not log %q: startAppendOnly forgets aof_bio_fsync_status and says so", logEverysecFsyncFail, logReopenFsyncErr)
		}
		if reset[k] {
			state[k.node] = ok
		}
		cs := settings[k.node]
		i := inForce(cs, k.at)
		everysec := i >= 0 && !cs[i].Down && cs[i].AppendOnly && cs[i].AppendFsync == "everysec"
		switch {
		case turnedOff[k] && !otherFsync[k] && fsyncs[k] <= 1:
			// stopAppendOnly's fsync alone: bio's status stays.
		case excused[k] || failed[k] && synced[k]:
			// Not bio's fsync (a stop's, a shutdown's, a rewrite's), or
			// an order unknown: what the status is now is unknown.
			if failed[k] || synced[k] {
				state[k.node] = unknown
			}
		case failed[k]:
			if everysec && state[k.node] == ok && !logged[k] {
				bad(k, "an fsync of its incr AOF failed after one that succeeded, under appendfsync everysec, and it did not log %q (Redis's bio job logs the first failure)", logEverysecFsyncFail)
			}
			if everysec && state[k.node] == failing && logged[k] {
				bad(k, "logged %q for an fsync failing again: Redis's bio job logs only the first failure after a success", logEverysecFsyncFail)
			}
			state[k.node] = failing
		case synced[k]:
			// Only bio's fsync (everysec) sets its status back to OK; an
			// fsync under always is the main thread's.
			if everysec {
				state[k.node] = ok
			} else {
				state[k.node] = unknown
			}
		}
		switch {
		case logged[k] && !failed[k] && !excused[k]:
			bad(k, "logged %q with no fsync of its incr AOF failing then", logEverysecFsyncFail)
		case logged[k] && !failed[k] && !noFile[k]:
			// stopAppendOnly's line (appendonly no, a replica's load):
			// its fsync of aof_fd failed, which is the incr file, or no
			// file at all (-1, EBADF) while the AOF waits for a rewrite
			// that has not opened its temp incr file.
			bad(k, "logged %q with no fsync of its incr AOF failing then, and not for want of a file (EBADF while its AOF waited for a scheduled rewrite)", logEverysecFsyncFail)
		}
	}
	return out
}
