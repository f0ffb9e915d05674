package checker

import (
	"path"
	"strings"
)

// A start whose RDB file failed to open or read exits with Redis 7.0.15's
// line for it: loadDataFromDisk's "Fatal error loading the DB:
// <strerror>. Exiting." when rdbLoad's fopen failed, rdbLoadRio's "Short
// read or OOM loading DB. Unrecoverable error, aborting now." when a read
// did (then rdbReportReadError's line). The simulated disk fails them only
// when a fault is injected, so an open or read fault on the node's RDB
// file in the instant of a start's fatal report must be named by it.

const (
	logRDBShortRead = "Short read or OOM loading DB. Unrecoverable error, aborting now."
	logFatalLoading = "Fatal error loading the DB: "
)

// rdbReadFaultsReported judges each instant in which a node's RDB file (a
// ".rdb" file outside the AOF directory that is no temp file) failed to
// open or read, and the node logged a fatal load report.
func rdbReadFaultsReported(lines []LogLine, faults []DiskFault) []Violation {
	type hit struct{ open, read bool }
	hits := map[nodeInstant]*hit{}
	for _, f := range faults {
		base := path.Base(f.Path)
		if (f.Op != "open" && f.Op != "read") || !strings.HasSuffix(base, ".rdb") || strings.HasPrefix(base, "temp-") || strings.Contains(f.Path, "/") {
			continue
		}
		k := nodeInstant{f.Node, f.At}
		if hits[k] == nil {
			hits[k] = &hit{}
		}
		hits[k].open = hits[k].open || f.Op == "open"
		hits[k].read = hits[k].read || f.Op == "read"
	}
	if len(hits) == 0 {
		return nil
	}
	type report struct {
		line             *LogLine
		open, read, done bool
	}
	reports := map[nodeInstant]*report{}
	var order []nodeInstant
	for i := range lines {
		l := &lines[i]
		k := nodeInstant{l.Node, l.At}
		if hits[k] == nil {
			continue
		}
		r := reports[k]
		if r == nil {
			r = &report{}
			reports[k] = r
			order = append(order, k)
		}
		switch {
		case l.Msg == logRDBShortRead:
			r.read = true
		case strings.HasPrefix(l.Msg, logFatalLoading) && strings.HasSuffix(l.Msg, ". Exiting.") &&
			!strings.Contains(strings.TrimPrefix(l.Msg, logFatalLoading), ":"):
			r.open = true // a C strerror, no error chain
		}
		if fatalLoadLine(l) && r.line == nil {
			r.line = l
		}
	}
	var out []Violation
	for _, k := range order {
		r, h := reports[k], hits[k]
		if r.line == nil {
			continue // no fatal report: the fault hit a load that did not fail (a retry, another file)
		}
		switch {
		case h.open && !h.read && !r.open:
			out = append(out, lineViolation(r.line, "%q after its RDB file failed to open: Redis reports a failed fopen as %q", r.line.Msg, logFatalLoading+"<strerror>. Exiting."))
		case h.read && !h.open && !r.read:
			out = append(out, lineViolation(r.line, "%q after a read of its RDB file failed: rdbLoadRio reports it with %q first", r.line.Msg, logRDBShortRead))
		}
	}
	return out
}
