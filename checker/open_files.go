package checker

import (
	"fmt"
	"path"
	"strings"
)

// PropOpenFiles names the open-files property: a running node holds open
// only the files Redis 7.0.15 keeps open, so a handle it forgot to close
// (a leaked file descriptor outside the simulation) is a violation.
const PropOpenFiles = "open_files"

// OpenFile is a file handle a node's process holds open.
type OpenFile struct {
	Path  string
	Write bool
	// Deleted: the file was removed while open.
	Deleted bool
}

// OpenFilesNode is a running node's open handles at the end of the run,
// with what says which it may hold: whether its AOF is on (INFO
// aof_enabled), its appenddirname and the manifest on its disk ("" none).
// DirFaulted says an operation changing the AOF directory failed since
// the process started: a manifest persisted whose directory fsync then
// failed names a new incr file that Redis, failing the switch
// (openNewIncrAofForAppend), never appends to.
type OpenFilesNode struct {
	Node       string
	Gen        int
	AOFOn      bool
	Dir        string
	Manifest   string
	DirFaulted bool
	// Waiting says the AOF waits for the rewrite that turns it on
	// (AOF_WAIT_REWRITE, AOFWaiting): it appends to the temp incr file
	// TempIncr names meanwhile.
	Waiting  bool
	TempIncr string
	Handles  []OpenFile
}

// CheckOpenFiles checks that a running node holds open at most its AOF's
// current incr file, to append to (server.aof_fd, opened by
// openNewIncrAofForAppend and kept until the next one or appendonly no),
// and that only while the AOF is on: every other file Redis opens (the
// manifest, a base, an RDB, temp files) it closes in the call that opened
// it, and its children's files die with them.
func CheckOpenFiles(nodes []OpenFilesNode) []Violation {
	var out []Violation
	for _, n := range nodes {
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: PropOpenFiles, Nodes: []string{n.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): ", n.Node, n.Gen) + fmt.Sprintf(format, args...)})
		}
		var writes []string
		deleted := map[string]bool{}
		for _, h := range n.Handles {
			deleted[h.Path] = deleted[h.Path] || h.Deleted && h.Write
			if !h.Write {
				bad("holds %s open for reading: Redis closes every file it reads once read", h.Path)
				continue
			}
			writes = append(writes, h.Path)
		}
		if len(writes) == 0 {
			continue
		}
		if !n.AOFOn || len(writes) > 1 {
			bad("holds %s open for writing with appendonly %v: Redis keeps open only the AOF's current incr file", strings.Join(writes, ", "), n.AOFOn)
			continue
		}
		if n.Waiting {
			// A failed rewrite removes the temp incr file (or what it was
			// renamed to: a removal a disk fault may have failed) and
			// keeps it open until the next one.
			if writes[0] != path.Join(n.Dir, n.TempIncr) && !deleted[writes[0]] && !n.DirFaulted {
				bad("appends to %s while its AOF waits for the rewrite that turns it on: Redis appends to the temp incr file %s then (openNewIncrAofForAppend)", writes[0], path.Join(n.Dir, n.TempIncr))
			}
			continue
		}
		if want := currentIncr(n.Manifest); want != "" && !n.DirFaulted && writes[0] != path.Join(n.Dir, want) {
			bad("appends to %s, but its manifest's current incr file is %s", writes[0], path.Join(n.Dir, want))
		}
	}
	return out
}

// currentIncr is the last incr file a manifest lists ("" none).
func currentIncr(manifest string) string {
	last := ""
	for _, e := range ManifestEntries(manifest) {
		if e.Type == "i" {
			last = e.Name
		}
	}
	return last
}
