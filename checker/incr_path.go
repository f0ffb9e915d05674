package checker

import (
	"path"
	"strings"
)

// IsIncrAOF says whether p names an incr AOF file: one a manifest lists
// (<appendfilename>.<seq>.incr.aof), or the temp incr file an AOF waiting
// for the rewrite that turns it on appends to (getTempIncrAofName:
// temp-<appendfilename>.incr), which that rewrite renames into the
// manifest.
func IsIncrAOF(p string) bool {
	return strings.HasSuffix(p, ".incr.aof") || isTempIncr(p)
}

// isTempIncr says whether p names a temp incr file.
func isTempIncr(p string) bool {
	b := path.Base(p)
	return strings.HasPrefix(b, "temp-") && strings.HasSuffix(b, ".incr")
}
