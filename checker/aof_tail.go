package checker

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// AOFStart is the AOF a node's process found as it started with
// appendonly yes: the last file its manifest listed (the one a load may
// find cut short), as the disk held it then.
type AOFStart struct {
	Node string
	Proc int // the LogLine.Proc of the process's lines
	At   int64
	Last string
	// Incr: the manifest lists an incr file (Last is the last one), else
	// Last is its base.
	Incr bool
	Data []byte
	// NoLoadTruncated: aof-load-truncated was no as the process started.
	NoLoadTruncated bool
	// Files are the base and incr files the manifest lists, in its order,
	// with their sizes as the process started (-1: not there).
	Files []AOFStartFile
}

// AOFStartFile is one file a start's manifest lists: its name, its type
// ("b" base, "i" incr) and its size.
type AOFStartFile struct {
	Name, Type string
	Size       int
}

// aofTail is what Redis 7.0.15's loadSingleAppendOnlyFile makes of a
// file in commands form: whether it ends inside a command, and where its
// last whole command ends (valid_up_to).
type aofTail struct {
	// judged is false for what the rule leaves alone: a file Redis reads
	// as a bad format, one with an RDB preamble, one that ends inside a
	// command inside a MULTI (Redis cuts it after the last whole command,
	// keeping the MULTI open; the node cuts it before the MULTI).
	judged bool
	short  bool // the data ends inside a command, or inside a MULTI
	// revert: the data ends after a whole command inside a MULTI, which
	// Redis reverts ("Revert incomplete MULTI/EXEC transaction").
	revert bool
	cut    int // valid_up_to, or valid_before_multi for a revert
	// refused counts the whole commands outside a MULTI that Redis
	// refuses whatever the dataset holds (refusedAnyway).
	refused int
}

// scanAOFTail reads data as loadSingleAppendOnlyFile does: '#' lines are
// annotations, each command is "*<argc>\r\n" then argc times
// "$<len>\r\n<bytes>\r\n"; valid_up_to moves to the end of every command
// read, not past annotations, and a MULTI sets valid_before_multi to it.
func scanAOFTail(data []byte) aofTail {
	if bytes.HasPrefix(data, []byte("REDIS")) {
		return aofTail{}
	}
	// line returns the number in "<c><digits>\r\n" at pos and the offset
	// after it; ok is false when the data ends first, bad when the line is
	// not one.
	line := func(pos int, c byte) (v int64, next int, ok, bad bool) {
		nl := bytes.IndexByte(data[pos:], '\n')
		if nl < 0 {
			return 0, 0, false, false
		}
		s := data[pos : pos+nl]
		if len(s) < 3 || s[0] != c || s[len(s)-1] != '\r' {
			return 0, 0, false, true
		}
		v, err := strconv.ParseInt(string(s[1:len(s)-1]), 10, 64)
		if err != nil || v < 0 {
			return 0, 0, false, true
		}
		return v, pos + nl + 1, true, false
	}
	pos, validUpTo, beforeMulti, multi, refused := 0, 0, 0, false, 0
	for pos < len(data) {
		if data[pos] == '#' {
			nl := bytes.IndexByte(data[pos:], '\n')
			if nl < 0 {
				break // fgets returns the partial annotation, then EOF
			}
			pos += nl + 1
			continue
		}
		argc, next, ok, bad := line(pos, '*')
		if bad || ok && argc < 1 {
			return aofTail{}
		}
		if !ok {
			return aofTail{judged: !multi, short: true, cut: validUpTo, refused: refused}
		}
		pos = next
		var args [][]byte
		for j := int64(0); j < argc; j++ {
			if pos == len(data) {
				return aofTail{judged: !multi, short: true, cut: validUpTo, refused: refused}
			}
			size, next, ok, bad := line(pos, '$')
			if bad {
				return aofTail{}
			}
			if !ok || int64(len(data)-next) < size+2 {
				return aofTail{judged: !multi, short: true, cut: validUpTo, refused: refused}
			}
			end := next + int(size)
			if data[end] != '\r' || data[end+1] != '\n' {
				return aofTail{}
			}
			args = append(args, data[next:end])
			pos = end + 2
		}
		switch strings.ToLower(string(args[0])) {
		case "multi":
			multi, beforeMulti = true, validUpTo
		case "exec":
			multi = false
		default:
			if !multi && refusedAnyway(args) {
				refused++
			}
		}
		validUpTo = pos
	}
	if multi {
		return aofTail{judged: true, short: true, revert: true, cut: beforeMulti, refused: refused}
	}
	return aofTail{judged: true, refused: refused}
}

// AOFEndsWhole reports whether data, an AOF file in commands form, ends
// after a whole command outside a MULTI, as Redis would read it.
func AOFEndsWhole(data []byte) bool {
	t := scanAOFTail(data)
	return t.judged && !t.short
}

// logUnexpectedAOFEnd is loadSingleAppendOnlyFile's line for a file that
// ends inside a command (or a MULTI) with aof-load-truncated no.
const logUnexpectedAOFEnd = "Unexpected end of file reading the append only file %s. You can: " +
	"1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. " +
	"2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."

// logRevertMulti is what loadSingleAppendOnlyFile logs for a file that
// ends inside a MULTI after a whole command.
const logRevertMulti = "Revert incomplete MULTI/EXEC transaction in AOF file %s"

// CheckAOFTails judges how each start that loaded its AOF treated the
// last file's end, against what Redis 7.0.15's loadSingleAppendOnlyFile
// does with the same bytes: a file that ends inside a command (outside a
// MULTI) logs "!!! Warning: short read while loading the AOF file %s!!!"
// and "!!! Truncating the AOF %s at offset %d !!!" at the end of its last
// whole command (valid_up_to, which annotations do not move), and is
// loaded only so (aof-load-truncated yes); one that ends after a whole
// command inside a MULTI logs "Revert incomplete MULTI/EXEC transaction
// in AOF file %s" and is cut the same way before the MULTI
// (valid_before_multi); a file that ends after a whole command outside a
// MULTI logs no short read. A start whose reads an injected fault hit
// (a bit flip, a failed read) saw other bytes and is not judged.
func CheckAOFTails(starts []AOFStart, lines []LogLine, faults []DiskFault) []Violation {
	var out []Violation
	for _, s := range starts {
		if readFaulted(faults, s.Node, s.At) {
			continue
		}
		t := scanAOFTail(s.Data)
		if !t.judged {
			continue
		}
		loaded, shortRead, reverted, uxeof, truncFailed := false, false, false, false, false
		cut := ""
		for _, l := range lines {
			if l.Node != s.Node || l.Proc != s.Proc || l.At != s.At {
				continue
			}
			switch {
			case strings.HasPrefix(l.Msg, logAOFLoaded):
				loaded = true
			case l.Format == logRevertMulti && len(l.Args) > 0 && l.Args[0] == s.Last:
				reverted = true
			case l.Format == logShortRead && len(l.Args) > 0 && l.Args[0] == s.Last:
				shortRead = true
			case l.Format == logTruncating && len(l.Args) > 1 && l.Args[0] == s.Last:
				cut = l.Args[1]
			case l.Format == logUnexpectedAOFEnd && len(l.Args) > 0 && l.Args[0] == s.Last:
				uxeof = true
			case l.Format == logTruncateFailed && len(l.Args) > 0 && l.Args[0] == s.Last:
				truncFailed = true
			}
		}
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: "node_log", At: s.At, Nodes: []string{s.Node},
				Detail: fmt.Sprintf("%s: its AOF's last file %s (%d bytes) ", s.Node, s.Last, len(s.Data)) + fmt.Sprintf(format, args...)})
		}
		where := fmt.Sprintf("ends inside a command, its last whole command ending at offset %d", t.cut)
		if t.revert {
			where = fmt.Sprintf("ends inside a MULTI after a whole command, the command before the MULTI ending at offset %d", t.cut)
		}
		if s.NoLoadTruncated && (t.short || t.revert) {
			// loadSingleAppendOnlyFile's uxeof: no truncation; the
			// process exits (loadDataFromDisk).
			// A start refused without that line failed before the file
			// (CheckRestartLoads judges it).
			switch {
			case loaded || shortRead || cut != "":
				bad("%s, with aof-load-truncated no: Redis logs %q and exits, but the node loaded it (short read %v, truncation at %q)",
					where, fmt.Sprintf(logUnexpectedAOFEnd, s.Last), shortRead, cut)
			case uxeof && t.revert && !reverted:
				bad("%s, with aof-load-truncated no: Redis logs %q before %q; the node did not",
					where, fmt.Sprintf(logRevertMulti, s.Last), fmt.Sprintf(logUnexpectedAOFEnd, s.Last))
			case uxeof && !t.revert && reverted:
				bad("%s, with aof-load-truncated no: Redis reverts no MULTI there, but the node logged %q",
					where, fmt.Sprintf(logRevertMulti, s.Last))
			}
			continue
		}
		if !loaded {
			// A truncation that failed (a disk fault in that instant)
			// ends as Redis's does: "Error truncating the AOF file",
			// then the unexpected end.
			if truncFailed && !diskFaultAt(faults, s.Node, s.At) {
				bad("%s: the node logged %q with no disk fault in that instant", where, fmt.Sprintf(logTruncateFailed, s.Last, "..."))
			}
			if uxeof && !truncFailed {
				bad("%s, and aof-load-truncated is yes: Redis truncates it and loads it, but the node refused it (%q)",
					where, fmt.Sprintf(logUnexpectedAOFEnd, s.Last))
			}
			continue // refused otherwise: CheckRestartLoads judges that
		}
		switch {
		case t.revert && !reverted:
			bad("%s: Redis logs %q before its short read; the node did not", where, fmt.Sprintf(logRevertMulti, s.Last))
		case !t.revert && reverted:
			bad("does not end inside a MULTI after a whole command, but the node logged %q", fmt.Sprintf(logRevertMulti, s.Last))
		case t.short && (!shortRead || cut != strconv.Itoa(t.cut)):
			bad("%s: Redis logs %q and %q, then loads it; the node logged short read %v, truncation at %q",
				where, fmt.Sprintf(logShortRead, s.Last), fmt.Sprintf(logTruncating, s.Last, t.cut), shortRead, cut)
		case !t.short && (shortRead || cut != ""):
			bad("ends after a whole command: Redis reads it to its end without a short read, but the node logged one (truncation at %q)", cut)
		}
	}
	return out
}

// logTruncateFailed is loadSingleAppendOnlyFile's line for a truncate()
// that failed; the unexpected end follows, and Redis exits.
const logTruncateFailed = "Error truncating the AOF file %s: %s"

// diskFaultAt reports whether any injected disk fault hit node's files at
// instant at.
func diskFaultAt(faults []DiskFault, node string, at int64) bool {
	for _, f := range faults {
		if f.Node == node && f.At == at {
			return true
		}
	}
	return false
}

// readFaulted reports whether a read of node's files failed or returned
// flipped bits at instant at.
func readFaulted(faults []DiskFault, node string, at int64) bool {
	for _, f := range faults {
		if f.Node == node && f.At == at && (f.Op == "bitflip" || f.Op == "read") {
			return true
		}
	}
	return false
}
