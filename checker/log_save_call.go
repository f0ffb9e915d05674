package checker

import (
	"path"
	"strings"
)

// rdbStdioBuffer is the stdio buffer rdbSave writes its temp file through
// (a FILE* on a regular file: one block, 4 KB). An RDB smaller than it
// reaches the disk only at fflush; a larger one is written, and fails,
// inside rdbSaveRio's fwrite.
const rdbStdioBuffer = 4096

// rdbWriteCalls checks which call rdbSave names for a failed write of its
// temp file: "Write error saving DB on disk(fflush)" for a payload smaller
// than the stdio buffer, "(rdbSaveRio)" for a larger one. The payload is
// the size of the failed write (the node writes the file in one call), on
// a temp RDB file ("temp-<n>.rdb") of the node since the child started
// (a BGSAVE child's lines come when it ends) or at the line's instant.
func rdbWriteCalls(lines []LogLine, faults []DiskFault) []Violation {
	const (
		flushLine = "Write error saving DB on disk(fflush): "
		rioLine   = "Write error saving DB on disk(rdbSaveRio): "
	)
	childFrom := map[process]int64{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if strings.Contains(l.Format, "started by pid") {
			childFrom[processOf(l)] = l.At
		}
		flush, rio := strings.HasPrefix(l.Msg, flushLine), strings.HasPrefix(l.Msg, rioLine)
		if !flush && !rio {
			continue
		}
		from, ok := childFrom[processOf(l)]
		if !ok {
			from = l.At
		}
		var last *DiskFault
		for j := range faults {
			f := &faults[j]
			base := path.Base(f.Path)
			if f.Node == l.Node && f.Op == "write" && f.At >= from && f.At <= l.At && f.Size > 0 &&
				strings.HasPrefix(base, "temp-") && strings.HasSuffix(base, ".rdb") {
				last = f
			}
		}
		if last == nil {
			continue
		}
		if want := last.Size >= rdbStdioBuffer; want != rio {
			call := "fflush"
			if want {
				call = "rdbSaveRio"
			}
			out = append(out, lineViolation(l, "%q for a failed write of %d bytes to %s at %s: rdbSave writes through a %d-byte stdio buffer, so that write fails in %s",
				l.Msg, last.Size, last.Path, seconds(last.At), rdbStdioBuffer, call))
		}
	}
	return out
}
