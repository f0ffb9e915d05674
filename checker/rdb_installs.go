package checker

import (
	"fmt"
	"sort"
	"strings"
)

// PropRDBInstalls names the property that a node's RDB file
// (dbfilename) is replaced only by a save that succeeded or by a
// replica's sync: a failed or killed save leaves it as it was.
const PropRDBInstalls = "rdb_installs"

// RDBInstall is a rename onto a node's dbfilename: the file a restart
// loads was replaced. Held says the node was paused then (the harness
// holds what the node would process, so a background job's end is logged
// when the pause ends).
type RDBInstall struct {
	At       int64
	Node     string
	From, To string
	Held     bool
}

// rdbInstallLines are the lines Redis 7.0.15 logs in the instant it
// renames a temp file onto dbfilename: a save's success (rdbSave in the
// process or in a BGSAVE child, logged as its end is handled), a
// replica's load of the snapshot it received, or the directory's fsync
// failing after the rename.
var rdbInstallLines = []string{
	logDBSaved,
	"MASTER <-> REPLICA sync: Loading DB in memory",
	"Failed trying to sync DB directory ",
	"Write error saving DB on disk(fsyncFileDir)",
}

// CheckRDBInstalls judges every rename onto a node's dbfilename against
// its log: the node logs, in that instant, one of rdbInstallLines, or a
// BGSAVE to disk was in flight then (its "Background saving started"
// before the rename, in the process of the node's last line by then, and
// its end not before it: the child's success is logged when the parent
// reaps it). A BGSAVE child killed (FLUSHALL, a full sync's restart of the
// AOF, ...) or failing before its rename leaves the file alone, as Redis's
// child, killed or exiting on its error, never reaches its rename(). A
// rename on a paused node is explained by the lines of its next instant
// with any, too.
func CheckRDBInstalls(installs []RDBInstall, lines []LogLine) []Violation {
	byNode := map[string][]*LogLine{}
	for i := range lines {
		byNode[lines[i].Node] = append(byNode[lines[i].Node], &lines[i])
	}
	agg := newAggregator()
	for _, in := range installs {
		ls := byNode[in.Node]
		if saveInFlight(ls, in.At) || loggedInstall(ls, in.At) {
			continue
		}
		if in.Held {
			// The first instant at or after the rename with a line.
			i := sort.Search(len(ls), func(i int) bool { return ls[i].At >= in.At })
			if i < len(ls) && loggedInstall(ls, ls[i].At) {
				continue
			}
		}
		agg.addV("rdb-install/"+in.Node, Violation{Detail: fmt.Sprintf(
			"%s renamed %s onto its RDB file %s at %s, but no BGSAVE to disk was in flight and it logged no save's success, replica load or directory fsync failure then: only a save that succeeded (\"DB saved on disk\") or a replica's sync replaces the RDB file; a killed or failed save leaves it as it was",
			in.Node, in.From, in.To, seconds(in.At)), At: in.At, Nodes: []string{in.Node}})
	}
	return agg.violations(PropRDBInstalls)
}

// loggedInstall says whether one of ls (a node's lines, in order) at
// instant at is one of rdbInstallLines.
func loggedInstall(ls []*LogLine, at int64) bool {
	for i := sort.Search(len(ls), func(i int) bool { return ls[i].At >= at }); i < len(ls) && ls[i].At == at; i++ {
		for _, p := range rdbInstallLines {
			if strings.HasPrefix(ls[i].Msg, p) {
				return true
			}
		}
	}
	return false
}

// saveInFlight says whether a BGSAVE to disk of the process of the node's
// last line by at was running at at: started by then, and not ended
// before.
func saveInFlight(ls []*LogLine, at int64) bool {
	last := sort.Search(len(ls), func(i int) bool { return ls[i].At > at }) - 1
	if last < 0 {
		return false
	}
	proc := ls[last].Proc
	for i := last; i >= 0 && ls[i].Proc == proc; i-- {
		switch ls[i].Format {
		case logSaveStarted:
			return true
		case logSaveDone, logSaveError, logSaveBySignal:
			return ls[i].At == at // it may have ended right after the rename
		}
	}
	return false
}
