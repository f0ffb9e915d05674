package checker

import (
	"fmt"
	"strings"
)

// PropRewriteEnds names the property that a background AOF rewrite whose
// done handler fails after renaming its new files into place leaves
// neither in the AOF directory.
const PropRewriteEnds = "aof_rewrite_ends"

// RewriteEnd is a node's AOF directory right after the event in which a
// background AOF rewrite's done handler renamed its new base (and, when
// the AOF waited for it, its new incr file) into place: the paths it
// renamed to, whether each was still there, and whether the handler
// logged that the rewrite finished successfully.
type RewriteEnd struct {
	Node     string
	Gen      int
	At       int64
	Renamed  []string
	Left     []bool
	Finished bool
}

// RewriteEndLine reads a log line of a rewrite's done handler: the name
// of the file it renamed into place in the AOF directory ("" if none),
// and whether it says the rewrite finished successfully.
func RewriteEndLine(format string, args []string) (renamed string, finished bool) {
	switch format {
	case logRWRenamedBase, logRWRenamedIncr:
		if len(args) == 2 {
			return args[1], false
		}
	case logAOFRWFinished:
		return "", true
	}
	return "", false
}

// CheckRewriteEnds checks that a rewrite's done handler that fails after
// renaming its new base into place (the temp incr file's rename, or the
// manifest's persist, failed) removes what it renamed: Redis 7.0.15's
// backgroundRewriteDoneHandler (aof.c) bg_unlinks the new base, and the
// new incr file too when the manifest's persist failed, so no base or
// incr file a failed rewrite made stays behind, to be taken for one the
// manifest lists. A removal a disk fault failed at that instant excuses
// the file.
func CheckRewriteEnds(ends []RewriteEnd, faults []DiskFault) []Violation {
	var out []Violation
	for _, e := range ends {
		if e.Finished {
			continue
		}
		var left []string
		for i, p := range e.Renamed {
			if i < len(e.Left) && e.Left[i] && !removeFailed(faults, e.Node, e.At, p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 {
			continue
		}
		out = append(out, Violation{Check: PropRewriteEnds, At: e.At, Nodes: []string{e.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): a background AOF rewrite that failed at its end left %s behind: Redis removes the files its done handler renamed into place when it fails after that (backgroundRewriteDoneHandler's bg_unlink)",
				e.Node, e.Gen, strings.Join(left, ", "))})
	}
	return out
}

// removeFailed reports whether a disk fault failed the removal of p on
// node at instant at.
func removeFailed(faults []DiskFault, node string, at int64, p string) bool {
	for _, f := range faults {
		if f.Node == node && f.At == at && f.Op == "remove" && f.Path == p {
			return true
		}
	}
	return false
}
