package checker

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// TempFilesNode is a running node at the end of the run: the temp files
// ("temp-" names: a save's or a rewrite's output before its rename, a
// manifest before its rename) its current process created and left, its
// INFO persistence, and whether a removal failed on its disk since it
// started.
type TempFilesNode struct {
	Node         string
	Gen          int
	Left         []string
	Info         string
	RemoveFailed bool
}

// CheckTempFiles judges the temp files a running node's process leaves:
// with no save or rewrite running, none. Redis renames a finished save's or
// rewrite's temp file into place, and removes it on every failure and kill
// (rdbSave and rewriteAppendOnlyFile unlink it on error, the done handlers
// and killRDBChild / killAppendOnlyChild call rdbRemoveTempFile /
// aofRemoveTempFile), as it removes a manifest's temp file whose rename
// failed. Only a crash leaves one, and files from an earlier process are
// not judged. A failed removal on the node's disk excuses it. The
// manifest's temp file is not judged: writeAofManifestFile leaves it
// behind when its write, fsync or rename fails. Nor is the temp incr AOF
// file (temp-<appendfilename>.incr) while AOF is off: turning AOF off
// while the rewrite that would turn it on runs kills that rewrite, and
// killAppendOnlyChild removes only the rewrite's own temp files
// (aofRemoveTempFile), not the incr file openNewIncrAofForAppend opened
// for AOF_WAIT_REWRITE; the next CONFIG SET appendonly yes reopens it
// (seed 29437; redis-server 7.0.15 leaves temp-say.aof.incr after
// CONFIG SET appendonly yes, then no, sent together).
func CheckTempFiles(nodes []TempFilesNode) []Violation {
	var out []Violation
	for _, n := range nodes {
		f, _ := parseInfo(n.Info)
		left := slices.DeleteFunc(slices.Clone(n.Left), func(name string) bool {
			base := path.Base(name)
			return strings.HasSuffix(name, ".manifest") ||
				f["aof_enabled"] == "0" && strings.HasPrefix(base, "temp-") && strings.HasSuffix(base, ".incr")
		})
		if len(left) == 0 || n.RemoveFailed {
			continue
		}
		if f["rdb_bgsave_in_progress"] != "0" || f["aof_rewrite_in_progress"] != "0" {
			continue
		}
		slices.Sort(left)
		out = append(out, Violation{Check: "temp_files", Nodes: []string{n.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): its process left %s with no save or rewrite running: Redis renames or removes every temp file it writes",
				n.Node, n.Gen, strings.Join(left, ", "))})
	}
	return out
}
