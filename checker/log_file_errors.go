package checker

import (
	"fmt"
	"slices"
	"strings"
)

// fileFailure is a Redis 7.0.15 line that reports one failed file
// operation, by the start of its text, and the disk operations that can
// fail that way.
type fileFailure struct {
	prefix string
	ops    []string
	// child is set for the lines a BGSAVE child logs: the node reports
	// them when the child ends, so the fault may come at any time since
	// the node's last child started.
	child bool
}

// fileFailures are the lines for file operations that fail only when
// the disk fails them: renames of files the process just wrote, fsyncs,
// writes and creates of temp files. The simulated disk fails them only
// when a fault is injected.
var fileFailures = []fileFailure{
	{"Error trying to rename the temporary AOF base file ", []string{"rename"}, false},
	{"Error trying to rename the temporary AOF incr file ", []string{"rename"}, false},
	{"Fail to fsync AOF directory ", []string{"syncdir"}, false},
	{"Can't open the AOF manifest file ", []string{"create", "open"}, false},
	{"Error trying to write the temporary AOF manifest file ", []string{"write"}, false},
	{"Fail to fsync the temp AOF file ", []string{"sync"}, false},
	{"Error trying to rename the temporary AOF manifest file ", []string{"rename"}, false},
	{"Failed opening the temp RDB file ", []string{"create", "open"}, true},
	{"Error moving temp DB file ", []string{"rename"}, true},
	// rdbSave names the call that failed: its rio writes (rdbSaveRio),
	// the stdio buffer's flush (fflush: the write of what rio buffered),
	// the file's fsync, the directory's (fsyncFileDir).
	{"Write error saving DB on disk(rdbSaveRio): ", []string{"write"}, true},
	{"Write error saving DB on disk(fflush): ", []string{"write"}, true},
	{"Write error saving DB on disk(fsync): ", []string{"sync"}, true},
	{"Write error saving DB on disk(fsyncFileDir): ", []string{"syncdir"}, true},
	{"Write error saving DB on disk(", []string{"write", "sync", "syncdir"}, true},
	{"Opening the temp file needed for MASTER <-> REPLICA synchronization: ", []string{"create", "open"}, false},
	{"Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ", []string{"write"}, false},
	{"Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ", []string{"sync", "syncdir"}, false},
	{"Failed trying to rename the temp DB into ", []string{"rename"}, false},
}

// fileErrorsFaulted checks that each line reporting a failed file
// operation (fileFailures) has a disk fault of a matching operation on
// its node at the same instant: the node logs the failure as it happens,
// and nothing but an injected fault fails these operations.
func fileErrorsFaulted(lines []LogLine, faults []DiskFault) []Violation {
	at := faultsAt(faults, "")
	faulted := func(node string, from, to int64, want []string) bool {
		for _, f := range faults {
			if f.Node == node && f.At >= from && f.At <= to && slices.Contains(want, f.Op) {
				return true
			}
		}
		return false
	}
	childFrom := map[process]int64{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if strings.Contains(l.Format, "started by pid") {
			childFrom[processOf(l)] = l.At
		}
		for _, ff := range fileFailures {
			if !strings.HasPrefix(l.Msg, ff.prefix) {
				continue
			}
			ok := false
			for _, f := range at[nodeInstant{l.Node, l.At}] {
				ok = ok || slices.Contains(ff.ops, f.Op)
			}
			if from, started := childFrom[processOf(l)]; ff.child && started && !ok {
				ok = faulted(l.Node, from, l.At, ff.ops)
			}
			if !ok {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d) logged %q, but no %s fault hit it at that instant: the simulated disk fails that operation only when a fault is injected",
						l.Node, l.Gen, l.Msg, strings.Join(ff.ops, " or "))})
			}
			break
		}
	}
	return out
}

// aofDirSyncsReported checks the converse for the AOF directory: Redis
// fsyncs it only when it persists the manifest (persistAofManifest's
// fsyncFileDir, after the rename), and a failure there is logged ("Fail
// to fsync AOF directory") and fails the persist. So a failed fsync of
// the node's AOF directory comes with that line in its instant. The
// directory is the one the manifest's path in such lines names
// (appenddirname, "appendonlydir" unless set). The node's other fsyncs
// of it come with lines of their own: a base written at the start
// ("fsync directory of ..."), an RDB save's (fsyncFileDir), and a load's
// truncation (the simulated disk makes a truncation durable with it).
func aofDirSyncsReported(lines []LogLine, faults []DiskFault) []Violation {
	const prefix = "Fail to fsync AOF directory "
	logged := map[nodeInstant]bool{}
	for i := range lines {
		if m := lines[i].Msg; strings.HasPrefix(m, prefix) || strings.Contains(m, "fsync directory of ") || strings.Contains(m, "(fsyncFileDir)") ||
			strings.HasPrefix(m, "Error truncating the AOF file ") {
			logged[nodeInstant{lines[i].Node, lines[i].At}] = true
		}
	}
	var out []Violation
	for _, f := range faults {
		if f.Op != "syncdir" || f.Path != defaultAOFDir || logged[nodeInstant{f.Node, f.At}] {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: f.At, Nodes: []string{f.Node},
			Detail: fmt.Sprintf("%s's fsync of its AOF directory %s failed at %s, and it logged no %q line then: Redis fsyncs that directory only to persist the manifest, whose failure it logs",
				f.Node, f.Path, seconds(f.At), prefix+"%s: %s.")})
	}
	return out
}

// defaultAOFDir is appenddirname's default, which every simulated node
// keeps.
const defaultAOFDir = "appendonlydir"
