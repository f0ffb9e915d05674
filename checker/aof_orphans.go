package checker

import (
	"fmt"
	"strings"
)

// CheckAOFOrphans judges the files in a running node's AOF directory: with
// no rewrite running and the AOF not waiting for the one that turns it on,
// every file its process created there is named by the manifest (as base,
// history or incr), or is the manifest or a temp file. Redis 7.0.15 lists a
// file in the manifest before it writes to it (openNewIncrAofForAppend
// persists the manifest with the new incr; backgroundRewriteDoneHandler
// renames the new base into place and persists the manifest naming it),
// and a file leaves the manifest only as history, which aofDelHistoryFiles
// removes from the disk and then from the manifest. Files that were there
// when the process started are not judged (an earlier process's crash may
// have undone a removal: bio's unlink is not followed by an fsync of the
// directory), nor a node whose disk failed an operation in that directory
// or a removal since its start, where a persist or a removal may have
// failed half way.
func CheckAOFOrphans(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		if len(f.Unlisted) == 0 || f.DirFaultAny || f.Waiting {
			continue
		}
		info, _ := parseInfo(f.Info)
		if info["aof_rewrite_in_progress"] != "0" {
			continue
		}
		out = append(out, Violation{Check: "aof_manifest", Nodes: []string{f.Node},
			Detail: fmt.Sprintf("%s: its process left %s in the AOF directory, named neither by %s nor as temp files, with no rewrite running and no disk fault since its start: Redis names every AOF file in the manifest before it writes it, and removes a file only after it left the manifest as history",
				f.Node, strings.Join(f.Unlisted, ", "), f.Path)})
	}
	return out
}
