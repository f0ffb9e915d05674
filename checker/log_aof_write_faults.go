package checker

import (
	"fmt"
	"strconv"
)

// strerrors are Linux's strerror texts for the errnos a simulated disk
// returns.
var strerrors = map[string]string{
	"EIO":    "Input/output error",
	"ENOSPC": "No space left on device",
	"ENOENT": "No such file or directory",
}

// aofWritesFaulted checks each line flushAppendOnlyFile logs for a failed
// AOF write against the write fault at its instant: Redis logs "Short
// write ... (nwritten=K, expected=N)" when write(2) stored K of the N
// bytes it was given (K > 0: a write of a non-empty buffer never returns
// 0), and "Error writing to the AOF file: <strerror(errno)>" when it
// stored nothing and returned -1. The simulated disk fails a write only
// by a fault, which records what it stored and the errno it returned.
// The rate limit of these lines (once in 30 seconds) only leaves faults
// unlogged.
func aofWritesFaulted(lines []LogLine, faults []DiskFault) []Violation {
	at := faultsAt(faults, "write")
	var out []Violation
	for i := range lines {
		l := &lines[i]
		var fits func(f DiskFault) bool
		var what string
		switch l.Format {
		case logAOFShortWrite:
			if len(l.Args) < 2 {
				continue
			}
			k, err1 := strconv.ParseInt(l.Args[0], 10, 64)
			n, err2 := strconv.ParseInt(l.Args[1], 10, 64)
			if err1 != nil || err2 != nil {
				continue
			}
			fits = func(f DiskFault) bool { return k > 0 && f.Stored == k && f.Size == n }
			what = fmt.Sprintf("a failed write that stored %d of %d bytes (write(2) returns that count; it never returns 0 for a non-empty buffer)", k, n)
		case logAOFWriteError:
			if len(l.Args) < 1 {
				continue
			}
			text := l.Args[0]
			fits = func(f DiskFault) bool { return f.Stored == 0 && strerrors[f.Errno] == text }
			what = fmt.Sprintf("a failed write that stored nothing and returned an errno whose strerror is %q", text)
		default:
			continue
		}
		ok := false
		for _, f := range at[nodeInstant{l.Node, l.At}] {
			ok = ok || fits(f)
		}
		if !ok {
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d) logged %q, which needs %s at that instant, but the disk's write faults then were %s",
					l.Node, l.Gen, l.Msg, what, describeWriteFaults(at[nodeInstant{l.Node, l.At}]))})
		}
	}
	return out
}

// aofWriteErrorsRated checks flushAppendOnlyFile's rate limit: a process
// logs an AOF write failure ("Error writing ..." or "Short write ...")
// only when more than AOF_WRITE_LOG_ERROR_RATE (30) seconds of its clock
// passed since it last logged one, whatever came between (a static of
// flushAppendOnlyFile).
func aofWriteErrorsRated(lines []LogLine) []Violation {
	last := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if l.Format != logAOFShortWrite && l.Format != logAOFWriteError {
			continue
		}
		k := processOf(l)
		if p := last[k]; p != nil {
			if d := floorDiv(l.ClockMs, 1000) - floorDiv(p.ClockMs, 1000); d <= 30 {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d) logged %q %d s (by its clock) after %q at %s: flushAppendOnlyFile logs a write failure only more than 30 s after the last (AOF_WRITE_LOG_ERROR_RATE)",
						l.Node, l.Gen, l.Msg, d, p.Msg, seconds(p.At))})
			}
		}
		last[k] = l
	}
	return out
}

func describeWriteFaults(fs []DiskFault) string {
	if len(fs) == 0 {
		return "none"
	}
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s stored %d of %d bytes (%s)", f.Path, f.Stored, f.Size, f.Errno)
	}
	return s
}
