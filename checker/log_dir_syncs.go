package checker

import (
	"fmt"
	"strings"
)

// dirSyncExplained are the lines that report, or come with, a failed
// fsync of the data directory (the working directory: the RDB file's and
// the AOF directory's parent) in the instant it failed.
var dirSyncExplained = []string{
	"Write error saving DB on disk(fsyncFileDir)",           // rdbSave, in the foreground
	"Failed trying to sync DB directory ",                   // readSyncBulkPayload
	"Fatal error loading the DB: fsync the parent of ",      // the node's start (aofMkdir; Redis does not sync it)
	"Background append only file rewriting started by pid ", // the node's rewrite start ignores it
	"Creating AOF incr file ",                               // the same start, before its child
	"Can't open or create append-only dir ",                 // the same start, failing
	// ... or exiting as it flushes the AOF under appendfsync always ...
	"Can't persist AOF for fsync error when the AOF fsync policy is 'always'",
	"Can't recover from AOF write error when the AOF fsync policy is 'always'",
	// ... or failing to open its new incr file (openNewIncrAofForAppend).
	"Can't open the append-only file ",
	"Can't persist the AOF manifest: ",
	"Can't open the AOF manifest file ",
	"Error trying to write the temporary AOF manifest file ",
	"Fail to fsync the temp AOF file ",
	"Error trying to rename the temporary AOF manifest file ",
}

// tempRDBSyncExplained are the lines that report a failed fsync of a temp
// RDB file in the instant it failed: a foreground rdbSave's (SAVE, the
// final save, DEBUG RELOAD, FLUSHALL with save points) and a replica's
// transfer file's (readSyncBulkPayload).
var tempRDBSyncExplained = []string{
	"Write error saving DB on disk(fsync)",
	"Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ",
}

// isTempRDB says whether p names a temp RDB file (temp-<pid>.rdb of a
// save, temp-<time>.<pid>.rdb of a replica's transfer).
func isTempRDB(p string) bool {
	b := lastPart(p)
	return strings.HasPrefix(b, "temp-") && strings.HasSuffix(b, ".rdb")
}

// dirSyncsReported checks that every failed fsync of the data directory
// shows in its node's log. A foreground save (SAVE, the final save, DEBUG
// RELOAD), a replica's install of its master's RDB and the AOF's creation
// at start report it at once (dirSyncExplained); a BGSAVE child reports it
// when it ends ("Write error saving DB on disk(fsyncFileDir)") unless it
// was killed; only a rewrite's start goes on without it (the node syncs
// the directory there where Redis does not). A save that ignored the
// failure would report "DB saved on disk" for a file a crash can lose.
func dirSyncsReported(lines []LogLine, faults []DiskFault) []Violation {
	type at struct {
		node string
		t    int64
	}
	byInstant := map[at][]*LogLine{}
	for i := range lines {
		l := &lines[i]
		byInstant[at{l.Node, l.At}] = append(byInstant[at{l.Node, l.At}], l)
	}
	var out []Violation
	for _, f := range faults {
		var explainedBy []string
		what, childLine := "", ""
		switch {
		case f.Op == "syncdir" && f.Path == ".":
			explainedBy, what, childLine = dirSyncExplained, "the data directory", "Write error saving DB on disk(fsyncFileDir)"
		case f.Op == "sync" && isTempRDB(f.Path):
			explainedBy, what, childLine = tempRDBSyncExplained, f.Path, "Write error saving DB on disk(fsync)"
		default:
			continue
		}
		explained := f.Op == "sync" && killedChildFile(lines, f)
		for _, l := range byInstant[at{f.Node, f.At}] {
			for _, p := range explainedBy {
				explained = explained || strings.HasPrefix(l.Msg, p)
			}
		}
		if explained {
			continue
		}
		child, end := bgsaveAround(lines, f.Node, f.At)
		switch {
		case child == nil:
			out = append(out, Violation{Check: "node_log", At: f.At, Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: an fsync of %s failed at %s, but the node logged no failure then and ran no BGSAVE child: a save, a replica's install of its master's RDB and the AOF's creation report it",
					f.Node, what, seconds(f.At))})
		case end != nil && end.Format == logSaveDone:
			out = append(out, Violation{Check: "node_log", At: end.At, Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: an fsync of %s failed at %s while its BGSAVE child (%q) ran, but the child ended with %q: rdbSave fails on it (%q)",
					f.Node, what, seconds(f.At), child.Msg, end.Msg, childLine)})
		}
	}
	return out
}

// killedChildFile says f hit a temp RDB file while a BGSAVE child its
// node's process killed before may still be at work: the simulated
// child's work runs on after the kill (where Redis's child dies with
// SIGUSR1) and may fail later, while another child runs or none does, so
// after a kill the process's temp RDB fsyncs are not judged (seeds 627,
// 2924, 5207).
func killedChildFile(lines []LogLine, f DiskFault) bool {
	proc, killed := -1, false
	for i := range lines {
		l := &lines[i]
		if l.Node != f.Node || l.At > f.At {
			continue
		}
		if l.Proc != proc {
			proc, killed = l.Proc, false
		}
		killed = killed || l.Format == logSaveBySignal
	}
	return killed
}

// bgsaveAround is the BGSAVE child of node's process that ran at t (its
// start line; nil if none) and the line it ended with (nil if the log
// shows no end: the process died first).
func bgsaveAround(lines []LogLine, node string, t int64) (start, end *LogLine) {
	for i := range lines {
		l := &lines[i]
		if l.Node != node {
			continue
		}
		if l.At > t && start == nil {
			return nil, nil
		}
		switch l.Format {
		case logSaveStarted:
			if l.At <= t {
				start = l
			}
		case logSaveDone, logSaveError, logSaveBySignal:
			if start != nil && l.Proc == start.Proc {
				if l.At >= t {
					return start, l
				}
				start = nil
			}
		}
	}
	return start, nil
}
