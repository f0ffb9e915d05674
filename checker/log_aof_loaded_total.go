package checker

import "strings"

// aofLoadTotals checks that a start which loaded an AOF file says so as a
// whole: loadAppendOnlyFiles logs "DB loaded from %s file %s: %.3f
// seconds" for each file it read, and returns anything but AOF_NOT_EXIST
// then, on which loadDataFromDisk logs "DB loaded from append only file:
// %.3f seconds" before the AOF is opened for appending
// (aofOpenIfNeededOnServerStart's "Creating/Opening AOF incr file %s on
// server start"). A process that failed to load exits before that line.
func aofLoadTotals(lines []LogLine) []Violation {
	type state struct{ file, total bool }
	st := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		s := st[k]
		if s == nil {
			s = &state{}
			st[k] = s
		}
		switch {
		case l.Format == logAOFFileLoaded:
			s.file = true
		case strings.HasPrefix(l.Msg, logAOFLoaded):
			s.total = true
		case l.Format == logAOFCreatedAtStart || l.Format == logAOFOpened:
			if s.file && !s.total {
				out = append(out, lineViolation(l, "%q after a file of the AOF loaded (%q) with no %q: loadDataFromDisk logs it for any load that read a file",
					l.Msg, logAOFFileLoaded, logAOFLoaded))
			}
			s.file = false
		}
	}
	return out
}
