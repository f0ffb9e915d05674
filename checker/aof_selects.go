package checker

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// CheckAOFSelects judges the SELECTs each process appended to each incr
// AOF file it wrote (AOFIncrWrite) against Redis 7.0.15's aof_selected_db: feedAppendOnlyFile writes a SELECT before a command
// only when the command's db differs from the db of the last SELECT it
// wrote, and the record is reset to -1 (so that the next command gets a
// SELECT whatever its db) only at the process's start (initServerConfig),
// when the AOF is turned off (stopAppendOnly: nothing is appended until a
// rewrite starts) and when a background rewrite starts
// (rewriteAppendOnlyFileBackground, before it opens the next incr file).
// So what one process appended to one incr file begins with a SELECT and
// never selects the db already selected, but for two things a log shows:
//
//   - a rewrite start whose switch to a new incr file failed
//     (openNewIncrAofForAppend: the file, or the manifest that names it,
//     could not be written) reset the record and left the old file in
//     use: one more SELECT, perhaps of the same db, for each;
//   - a rewrite start with the AOF on flushes the buffer first
//     (flushAppendOnlyFile(1)); a failed write (an AOF write error, logged
//     once in 30 seconds at most, but always the first time in a process)
//     leaves it in aof_buf, to be written to the new file ahead of what
//     comes after the reset: that file may then begin without a SELECT,
//     and each such start adds a point where a SELECT may repeat the db.
//
// The temp incr file a rewrite that turns the AOF on writes to (renamed
// into the manifest when it succeeds) has neither: that rewrite starts
// with aof_buf empty (stopAppendOnly and a failed rewrite's cleanup empty
// it, and nothing is buffered while the AOF waits without a rewrite
// child). DEBUG LOADAOF resets nothing. MULTI takes the db of the
// transaction's first command and EXEC the last's (propagatePendingCommands),
// so a transaction adds no SELECT of its own. What a failed fsync may have
// dropped pages of, or a load cut the tail of, is not judged: a lost
// SELECT would make the next one look repeated.
func CheckAOFSelects(writes []AOFIncrWrite, lines []LogLine, faults []DiskFault) []Violation {
	byProc := map[incarnationProc][]*LogLine{}
	for i := range lines {
		k := incarnationProc{lines[i].Node, lines[i].Proc}
		byProc[k] = append(byProc[k], &lines[i])
	}
	var out []Violation
	for _, w := range writes {
		if len(w.Data) == 0 {
			continue
		}
		sel := scanAOFSelects(w.Data)
		if !sel.missingFirst && sel.repeats == 0 {
			continue
		}
		procLines := byProc[incarnationProc{w.Node, w.Proc}]
		if incrWriteCut(w, procLines, faults) {
			continue
		}
		carry, resets := incrResets(w, procLines)
		what := fmt.Sprintf("%s: incr AOF %s, in what its process appended to it from %s (%s) to %s", w.Node, w.Name, seconds(w.From), w.Origin, seconds(w.To))
		switch {
		case sel.missingFirst && !carry:
			out = append(out, Violation{Check: "aof_selects", At: w.To, Nodes: []string{w.Node}, Detail: fmt.Sprintf(
				"%s: the first command, %s, has no SELECT before it: Redis writes one before the first command after its start or a rewrite's (aof_selected_db is -1 then, feedAppendOnlyFile)",
				what, sel.first)})
		case sel.repeats > resets:
			out = append(out, Violation{Check: "aof_selects", At: w.To, Nodes: []string{w.Node}, Detail: fmt.Sprintf(
				"%s: %d SELECT(s) of the db already selected (the first, SELECT %s, at byte %d), where its log allows %d: Redis writes SELECT only when the db differs from aof_selected_db (feedAppendOnlyFile), which only a rewrite's start resets in a running process",
				what, sel.repeats, sel.firstRepeatDB, sel.firstRepeatAt, resets)})
		}
	}
	return out
}

// incarnationProc is one process of a node (LogLine.Proc).
type incarnationProc struct {
	node string
	proc int
}

// AOFIncrWrite is what one process appended to one incr AOF file: from
// when it began appending to it (its start, or the rewrite's start that
// made the file) until it left it (another rewrite's start, its end) or
// the run ended.
type AOFIncrWrite struct {
	Node string
	Proc int
	// Name is the file's name as the process last named it: the temp
	// incr file of a rewrite that turned the AOF on takes the name the
	// rewrite's success renamed it to.
	Name   string
	Origin IncrOrigin
	From   int64
	To     int64
	Data   []byte
}

// IncrOrigin is how a process came to append to an incr file.
type IncrOrigin string

// The origins of an incr file a process appends to.
const (
	// IncrAtStart: opened or made as the process started
	// (aofOpenIfNeededOnServerStart).
	IncrAtStart IncrOrigin = "opened at its start"
	// IncrOnRewrite: made by a rewrite's start with the AOF on
	// (openNewIncrAofForAppend).
	IncrOnRewrite IncrOrigin = "made by a rewrite's start"
	// IncrTemp: the temp incr file of a rewrite that turns the AOF on
	// (AOF_WAIT_REWRITE).
	IncrTemp IncrOrigin = "the temp incr file of the rewrite that turned the AOF on"
)

// The lines that make a process append to another incr file, exported for
// the cluster's record of what it appended (record_aof_incr.go).
const (
	LogAOFOpenedAtStart  = logAOFOpened
	LogAOFCreatedAtStart = logAOFCreatedAtStart
	LogAOFCreatedOnRW    = logAOFCreatedOnRW
	LogRWRenamedIncr     = logRWRenamedIncr
)

// IsTempIncr says whether name is a temp incr file's (getTempIncrAofName).
func IsTempIncr(name string) bool { return isTempIncr(name) }

// incrWriteCut says whether w's data may not be what the process appended
// in one piece: a failed fsync of an incr file may have dropped its
// unsynced pages (the next writes then follow a gap), and a load that cut
// a truncated tail (DEBUG LOADAOF) shortened the file under it.
func incrWriteCut(w AOFIncrWrite, lines []*LogLine, faults []DiskFault) bool {
	for _, f := range faults {
		if f.Node == w.Node && f.Op == "sync" && IsIncrAOF(f.Path) && f.At >= w.From && f.At <= w.To {
			return true
		}
	}
	for _, l := range lines {
		if l.At >= w.From && l.At <= w.To && (l.Format == LogLoadTruncated || l.Format == logShortRead) {
			return true
		}
	}
	return false
}

// incrResets reads the process's lines for the points inside w where
// aof_selected_db may have been reset: carry says a buffer left by a
// failed write may have been carried into the file at its making (so its
// first command may have no SELECT); resets counts those points.
func incrResets(w AOFIncrWrite, lines []*LogLine) (carry bool, resets int) {
	if w.Origin == IncrOnRewrite {
		// Each rewrite start up to the one that made the file may have
		// carried the buffer on, once some write had failed.
		failed := false
		for _, l := range lines {
			if l.At > w.From {
				break
			}
			if aofWriteErrorLine(l) {
				failed = true
			}
			if failed && l.Format == logAOFCreatedOnRW {
				carry = true
				resets++
			}
		}
	}
	for _, l := range lines {
		if l.At >= w.From && l.At <= w.To && (l.Format == logAOFOpenFailed || manifestFailFormats[l.Format]) {
			resets++
		}
	}
	return carry, resets
}

// aofSelectScan is what scanAOFSelects found.
type aofSelectScan struct {
	// missingFirst: the first command is not a SELECT (first renders it).
	missingFirst bool
	first        string
	// repeats counts the SELECTs of the db already selected; the first
	// at byte firstRepeatAt, of db firstRepeatDB.
	repeats       int
	firstRepeatAt int
	firstRepeatDB string
}

// scanAOFSelects reads data as annotations and commands, up to what it
// cannot read as whole commands.
func scanAOFSelects(data []byte) aofSelectScan {
	var out aofSelectScan
	selected, commands := "", 0
	for pos := 0; pos < len(data); {
		nl := bytes.Index(data[pos:], []byte("\r\n"))
		if nl < 0 {
			break
		}
		if data[pos] == '#' {
			pos += nl + 2
			continue
		}
		argv, end, ok := readAOFCommand(data, pos)
		if !ok {
			break
		}
		if len(argv) == 2 && strings.EqualFold(argv[0], "SELECT") {
			if argv[1] == selected {
				if out.repeats == 0 {
					out.firstRepeatAt, out.firstRepeatDB = pos, argv[1]
				}
				out.repeats++
			}
			selected = argv[1]
		} else if commands == 0 && selected == "" {
			out.missingFirst, out.first = true, strings.Join(argv, " ")
		}
		commands++
		pos = end
	}
	return out
}

// readAOFCommand reads the multibulk command at pos: its arguments and
// the offset after it.
func readAOFCommand(data []byte, pos int) ([]string, int, bool) {
	readNum := func(prefix byte) (int, bool) {
		nl := bytes.Index(data[pos:], []byte("\r\n"))
		if nl < 1 || data[pos] != prefix {
			return 0, false
		}
		v, err := strconv.Atoi(string(data[pos+1 : pos+nl]))
		if err != nil || v < 0 {
			return 0, false
		}
		pos += nl + 2
		return v, true
	}
	argc, ok := readNum('*')
	if !ok || argc == 0 {
		return nil, 0, false
	}
	argv := make([]string, 0, min(argc, 8))
	for i := 0; i < argc; i++ {
		n, ok := readNum('$')
		if !ok || pos+n+2 > len(data) || string(data[pos+n:pos+n+2]) != "\r\n" {
			return nil, 0, false
		}
		argv = append(argv, string(data[pos:pos+n]))
		pos += n + 2
	}
	return argv, pos, true
}

// logAOFOpenFailed is openNewIncrAofForAppend's failure to open the next
// incr file.
const logAOFOpenFailed = "Can't open the append-only file %s: %s"
