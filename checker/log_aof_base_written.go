package checker

import (
	"path"
	"strings"
)

// checkStartBasesWritten judges "Creating AOF base file %s on server
// start": aofOpenIfNeededOnServerStart logs it after rewriteAppendOnlyFile
// wrote the base (its temp file "temp-rewriteaof-<pid>.aof", fsynced, then
// renamed), and exits when that failed. So no injected failure of a
// create, write, fsync or rename of that temp file may fall in the line's
// instant on its node.
func checkStartBasesWritten(lines []LogLine, faults []DiskFault) []Violation {
	failed := map[nodeInstant]DiskFault{}
	for _, f := range faults {
		switch f.Op {
		case "create", "write", "sync", "rename":
			if strings.HasPrefix(path.Base(f.Path), "temp-rewriteaof-") {
				failed[nodeInstant{f.Node, f.At}] = f
			}
		}
	}
	var out []Violation
	for _, l := range lines {
		if l.Format != logAOFBaseAtStart {
			continue
		}
		if f, ok := failed[nodeInstant{l.Node, l.At}]; ok {
			out = append(out, lineViolation(&l, "%q though the %s of %s failed in that instant: Redis logs it only after the base is written and renamed, and exits when that fails",
				l.Msg, f.Op, f.Path))
		}
	}
	return out
}
