package checker

import (
	"bytes"
	"fmt"
	"strconv"
)

// CheckAOFTimestamps judges the "#TS:" annotations a running node's
// process appended to its last incr AOF file: Redis 7.0.15 writes one
// before a command only when its clock's second has passed the last one it
// wrote (genAofTimestampAnnotationIfNeeded: aof_cur_timestamp <
// server.unixtime, the process's own record, zero at its start), so in
// one process's writes they strictly increase, whatever the clock did; and
// the process's first feed has one, so in the file it opened for appending
// at its start (OwnFromStart) what it wrote begins with one, when
// aof-timestamp-enabled was yes all along. A file whose unsynced pages an
// fsync failure dropped, or an AOF waiting for its first rewrite, is not
// judged.
func CheckAOFTimestamps(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		if f.LastIncr == "" || f.SizeUnknown || f.Waiting {
			continue
		}
		msg := judgeTimestamps(f.LastIncrOwn)
		if msg == "" && f.OwnFromStart && f.TimestampsAlways && len(f.LastIncrOwn) > 0 && !bytes.HasPrefix(f.LastIncrOwn, []byte("#TS:")) {
			msg = fmt.Sprintf("the process's first write there begins %q, not a #TS: annotation: its first feed always has one (aof_cur_timestamp is 0 at a start)", clip(f.LastIncrOwn, 24))
		}
		if msg != "" {
			out = append(out, Violation{Check: "aof_timestamps", Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: incr AOF %s, in what its current process appended: %s", f.Node, f.LastIncr, msg)})
		}
	}
	return out
}

// judgeTimestamps reads data as commands and annotations; it returns
// what is wrong with the annotations, or "". Data it cannot read as whole
// commands is left alone from there on.
func judgeTimestamps(data []byte) string {
	last, pos := int64(-1), 0
	for pos < len(data) {
		nl := bytes.Index(data[pos:], []byte("\r\n"))
		if nl < 0 {
			return ""
		}
		head := data[pos : pos+nl]
		switch {
		case len(head) > 0 && head[0] == '#':
			if ts, ok := bytes.CutPrefix(head, []byte("#TS:")); ok {
				v, err := strconv.ParseInt(string(ts), 10, 64)
				if err != nil {
					return fmt.Sprintf("a malformed annotation %q at byte %d", head, pos)
				}
				if v <= last {
					return fmt.Sprintf("#TS:%d at byte %d after #TS:%d: Redis annotates only when the second passed the last annotation's", v, pos, last)
				}
				last = v
			}
			pos += nl + 2
		case len(head) > 0 && head[0] == '*':
			end, ok := skipCommand(data, pos)
			if !ok {
				return ""
			}
			pos = end
		default:
			return ""
		}
	}
	return ""
}

// skipCommand returns the offset after the multibulk command at pos.
func skipCommand(data []byte, pos int) (int, bool) {
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
	if !ok {
		return 0, false
	}
	for i := 0; i < argc; i++ {
		n, ok := readNum('$')
		if !ok || pos+n+2 > len(data) {
			return 0, false
		}
		pos += n + 2
	}
	return pos, true
}
