package checker

import (
	"fmt"
	"path"
	"strings"
)

// FileSync is one successful fsync of a file, as the simulated disk saw it.
type FileSync struct {
	At   int64
	Node string
	Path string
	// Unchanged says the file had nothing unsynced: no byte written and no
	// truncation since its last fsync; Written that bytes were written to
	// it in the fsync's instant.
	Unchanged, Written bool
}

// PropAOFFsync names the rules on when a node fsyncs its AOF: never
// under appendfsync no (but as it lets go of a file), at most once a
// second and at least once a second with something unsynced under
// everysec, after every write under always.
const PropAOFFsync = "aof_fsync"

// AOFFsyncInput is what CheckAOFFsyncs reads.
type AOFFsyncInput struct {
	// Syncs are the successful fsyncs of incr AOF files, in time order.
	Syncs []FileSync
	// Faults are the injected disk faults: a failed fsync is retried.
	Faults []DiskFault
	// Settings are every node's settings over time.
	Settings []SettingsChange
	// Lines are every node's log lines.
	Lines []LogLine
	// Clocks are the nodes' clocks (CheckEverysecFsyncRate).
	Clocks Clocks
	// Crons are the nodes' serverCron runs (CheckEverysecIdleFsync).
	Crons []CronRun
}

// logRewriteIncr is the line of a rewrite's start, when the node opens a
// new incr file and lets go of the old one.
const logRewriteIncr = "Creating AOF incr file %s on background rewrite"

// logShutdownFsync is prepareForShutdown's line before its AOF fsync: a
// SHUTDOWN that fails later (its save) leaves the node up.
const logShutdownFsync = "Calling fsync() on the AOF file."

// CheckAOFFsyncs flags an fsync of a node's incr AOF under appendfsync no,
// and under always an fsync of an incr file with nothing unsynced
// (flushAppendOnlyFile fsyncs after a write), with the same exceptions.
// Redis 7.0.15 leaves the AOF to the OS under that policy: flushAppendOnlyFile
// only write()s it (an fsync per write is "always", one a second
// "everysec"). The node fsyncs it under "no" only when it lets go of the
// file: when appendonly is switched off (stopAppendOnly, also as a replica
// loads its master's RDB: "MASTER <-> REPLICA sync: Loading DB in memory"
// in the same instant) or the node shuts
// down (prepareForShutdown: "Calling fsync() on the AOF file.", and the node
// goes down at that instant unless its final save fails), or when a rewrite opens a new incr file; and it retries
// an fsync that failed (under another policy) until one succeeds, or it
// restarts: under always, the fsync that follows each write does not end
// that (Redis's leaves aof_bio_fsync_status failed), only the retry does,
// and neither does a rewrite's fsync of the incr file it closes.
func CheckAOFFsyncs(in AOFFsyncInput) []Violation {
	settings := newSettingsLog(in.Settings)
	rewrites := map[[2]any]bool{}
	newIncr := map[[2]any]string{}
	shutdownSyncs := map[string][]int64{} // per node, its shutdowns' fsyncs
	for _, l := range in.Lines {
		if l.Format == logShutdownFsync {
			shutdownSyncs[l.Node] = append(shutdownSyncs[l.Node], l.At)
		}
		if l.Format == logRewriteIncr || l.Format == logShutdownFsync || l.Format == logLoadingDB {
			rewrites[[2]any{l.Node, l.At}] = true
		}
		if l.Format == logRewriteIncr && len(l.Args) > 0 {
			newIncr[[2]any{l.Node, l.At}] = l.Args[0]
		}
	}
	closes := closingFsyncs(in.Syncs, newIncr)
	aofLines := aofLineInstants(in.Lines)
	out := append(shutdownFsyncs(in), everysecFsyncLogs(in)...)
	fi := 0
	// failed is, per node, the first failed incr fsync that no fsync has
	// made good since (the node retries it whatever the policy).
	failed := map[string]int64{}
	for k, s := range in.Syncs {
		for ; fi < len(in.Faults) && in.Faults[fi].At <= s.At; fi++ {
			if f := in.Faults[fi]; f.Op == "sync" && IsIncrAOF(f.Path) {
				if _, ok := failed[f.Node]; !ok {
					failed[f.Node] = f.At
				}
			}
		}
		if strings.HasPrefix(path.Base(s.Path), "temp-") && !isTempIncr(s.Path) {
			continue // a truncated AOF rewritten at load
		}
		cs := settings[s.Node]
		i := inForce(cs, s.At)
		if at, ok := failed[s.Node]; ok && !downSince(cs, at, s.At) {
			// The retry of a failed fsync. Under always the fsync after
			// each write leaves the failure standing (flushAppendOnlyFile
			// fsyncs in the main thread and leaves aof_bio_fsync_status
			// alone): only the retry, with nothing new, ends it there. Nor
			// does the fsync of the file a rewrite lets go. A failure of
			// the same instant may have come after this fsync.
			if at < s.At && !closes[k] && (i < 0 || cs[i].AppendFsync != "always" || s.Unchanged) {
				delete(failed, s.Node)
			}
			continue
		}
		delete(failed, s.Node)
		if rewrites[[2]any{s.Node, s.At}] {
			continue
		}
		if i < 0 || cs[i].At == s.At || cs[i].Down || !cs[i].AppendOnly {
			continue
		}
		// Under everysec the node retries a failed fsync whatever it has
		// (its documented deviation, aofFsyncEverysec), and the disk may
		// have dropped what the failure left unsynced: judged under always
		// only, where a failed fsync exits.
		if !s.Written && cs[i].AppendFsync == "always" {
			what := "with nothing written to it in that instant"
			if s.Unchanged {
				what = "with nothing written since its last fsync"
			}
			out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{s.Node},
				Detail: fmt.Sprintf("%s fsynced its AOF %s at %s %s, under appendfsync %s, with no earlier fsync failing, no rewrite starting, no shutdown and no change of its settings then: Redis fsyncs only right after a write (flushAppendOnlyFile returns on an empty buffer)",
					s.Node, s.Path, seconds(s.At), what, cs[i].AppendFsync)})
			continue
		}
		if s.Unchanged && cs[i].AppendFsync == "everysec" && !anyIn(shutdownSyncs[s.Node], previousSync(in.Syncs, k), s.At) &&
			!anyIn(aofLines[s.Node], previousSync(in.Syncs, k), s.At) {
			// flushAppendOnlyFile fsyncs an idle file only while
			// aof_last_incr_fsync_offset != aof_last_incr_size, and every
			// fsync of its own (the always policy's too) sets the first
			// to the second; a SHUTDOWN's (redis_fsync, prepareForShutdown)
			// does not, so after one that failed later the idle fsync
			// may find nothing unsynced. Nor is it judged across a line
			// about the AOF (a rewrite's end, whose failure may leave
			// the incr file's bytes counted apart: seed 7394).
			out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{s.Node},
				Detail: fmt.Sprintf("%s fsynced its AOF %s at %s with nothing written since its last fsync, under appendfsync everysec, with no earlier fsync failing, no rewrite starting, no shutdown and no change of its settings then: Redis fsyncs an idle AOF only while bytes it wrote are unsynced (aof_last_incr_fsync_offset != aof_last_incr_size)",
					s.Node, s.Path, seconds(s.At))})
			continue
		}
		if cs[i].AppendFsync != "no" {
			continue
		}
		out = append(out, Violation{Check: PropAOFFsync, At: s.At, Nodes: []string{s.Node},
			Detail: fmt.Sprintf("%s fsynced its AOF %s at %s under appendfsync no (in force since %s), with no earlier fsync failing, no rewrite starting, no shutdown and no change of its settings then",
				s.Node, s.Path, seconds(s.At), seconds(cs[i].At))})
	}
	return out
}

// previousSync is the instant of the fsync before syncs[k] on the same
// node (-1 if none).
func previousSync(syncs []FileSync, k int) int64 {
	for j := k - 1; j >= 0; j-- {
		if syncs[j].Node == syncs[k].Node {
			return syncs[j].At
		}
	}
	return -1
}

// closingFsyncs indexes, among syncs, the fsync of the incr file a
// rewrite lets go as it starts (newIncr: the new file's name by node and
// instant): the last fsync then of another file. openNewIncrAofForAppend
// hands the old file to a BIO_CLOSE_FILE job that fsyncs and closes it,
// after flushAppendOnlyFile(1) wrote and perhaps fsynced it; that job
// leaves aof_bio_fsync_status alone, and so does the node.
func closingFsyncs(syncs []FileSync, newIncr map[[2]any]string) map[int]bool {
	type file struct {
		node, path string
		at         int64
	}
	last := map[file]int{}
	for k, s := range syncs {
		if name, ok := newIncr[[2]any{s.Node, s.At}]; ok && path.Base(s.Path) != name {
			last[file{s.Node, s.Path, s.At}] = k
		}
	}
	out := make(map[int]bool, len(last))
	for _, k := range last {
		out[k] = true
	}
	return out
}

// shutdownFsyncs flags a shutdown that announced its AOF fsync ("Calling
// fsync() on the AOF file.") and did none: prepareForShutdown calls
// redis_fsync on the AOF right after flushAppendOnlyFile(1), whatever the
// write did, so at that instant the disk sees a successful fsync of the
// node's incr file or a failed write or fsync of it (a failed write under
// appendfsync always exits first). A failed fsync there is logged as
// logShutdownFsyncFail.
func shutdownFsyncs(in AOFFsyncInput) []Violation {
	type at struct {
		node string
		at   int64
	}
	seen, synced, failed, logged := map[at]bool{}, map[at]bool{}, map[at]bool{}, map[at]bool{}
	for _, s := range in.Syncs {
		if IsIncrAOF(s.Path) {
			seen[at{s.Node, s.At}] = true
			synced[at{s.Node, s.At}] = true
		}
	}
	for _, f := range in.Faults {
		if (f.Op == "sync" || f.Op == "write") && IsIncrAOF(f.Path) {
			seen[at{f.Node, f.At}] = true
			failed[at{f.Node, f.At}] = failed[at{f.Node, f.At}] || f.Op == "sync"
		}
	}
	noFile := map[at]bool{}
	waits := aofWaitLines(in.Lines)
	for _, l := range in.Lines {
		// A failed flush under appendfsync always exits before the
		// shutdown's own fsync ("... Exiting...").
		if l.Format == logShutdownFsyncFail || strings.HasSuffix(l.Format, "Exiting...") {
			logged[at{l.Node, l.At}] = true
		}
		// An AOF waiting for a rewrite that has not opened its temp incr
		// file has no file: Redis fsyncs aof_fd -1.
		if l.Format == logShutdownFsyncFail && len(l.Args) > 0 && l.Args[0] == "Bad file descriptor" {
			if _, waiting := aofWaitingAt(waits[l.Node], l.At); waiting {
				noFile[at{l.Node, l.At}] = true
			}
		}
	}
	var out []Violation
	for _, l := range in.Lines {
		k := at{l.Node, l.At}
		if l.Format != logShutdownFsync {
			continue
		}
		switch {
		case !seen[k] && !noFile[k]:
			out = append(out, Violation{Check: PropAOFFsync, At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s logged %q at %s and fsynced no incr AOF then: prepareForShutdown fsyncs the AOF before it exits",
					l.Node, logShutdownFsync, seconds(l.At))})
		case failed[k] && !synced[k] && !logged[k]:
			// (An fsync that succeeded in that instant was the shutdown's:
			// it comes last. One that failed may be the everysec one.)
			out = append(out, Violation{Check: PropAOFFsync, At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s's shutdown fsync of its AOF failed at %s and it did not log %q",
					l.Node, seconds(l.At), logShutdownFsyncFail)})
		}
	}
	return out
}

// logShutdownFsyncFail is prepareForShutdown's line for a failed AOF
// fsync (stopAppendOnly's has no full stop).
const logShutdownFsyncFail = "Fail to fsync the AOF file: %s."

// downSince is whether the node whose settings are cs went down between
// from and to: a restart forgets a failed fsync.
func downSince(cs []SettingsChange, from, to int64) bool {
	for k := max(inForce(cs, from), 0); k < len(cs) && cs[k].At <= to; k++ {
		if cs[k].Down && cs[k].At >= from {
			return true
		}
	}
	return false
}
