package checker

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// ManifestFile is the AOF manifest on a running node's disk at the end of
// the run.
type ManifestFile struct {
	Node, Path string
	Text       string
	// Bases are the contents of the RDB base files it names, by name
	// (unquoted).
	Bases map[string]string
	// CommandBases are the contents of the base files in commands form
	// (aof-use-rdb-preamble no) it names, by name (unquoted).
	CommandBases map[string]string
	// DiskFaulted says the node's disk failed an operation that changes
	// its AOF directory (not a read) since its process started; AutoGCOff
	// that aof-disable-auto-gc is yes.
	DiskFaulted, AutoGCOff bool
	// Timestamps says aof-timestamp-enabled was yes at some time in the
	// node's run: a rewrite then starts its base with a "#TS:" annotation.
	Timestamps bool
	// Sizes are the sizes of the files it names that exist, by name
	// (unquoted).
	Sizes map[string]int64
	// Info is the node's INFO persistence then.
	Info string
	// BaseUnlinkFailed says the node's process failed to remove the base
	// file the manifest names.
	BaseUnlinkFailed bool
	// SizeUnknown: the node's process cut a truncated AOF's tail at a
	// load (LogLoadTruncated; Redis keeps counting the bytes cut) or an
	// fsync of its incr AOF failed (the simulated disk dropped the
	// unsynced pages), so its INFO sizes are not judged.
	SizeUnknown bool
	// Unlisted are the files in the AOF directory the manifest does not
	// name, other than the manifest and temp files, that were not there
	// when the node's current process started; DirFaultAny says its disk
	// failed an operation in that directory (a read or a flipped bit
	// too), or a removal anywhere, since that start.
	Unlisted    []string
	DirFaultAny bool
	// LastIncr is the last incr file it names, if any; LastIncrOwn what
	// the node's current process appended to it (from the file's size
	// right after the process loaded its AOF, or all of a file it made).
	LastIncr    string
	LastIncrOwn []byte
	// OwnFromStart says LastIncr is the file the process opened for
	// appending at its start, so LastIncrOwn begins with its first feed;
	// TimestampsAlways that aof-timestamp-enabled was yes all through the
	// process.
	OwnFromStart, TimestampsAlways bool
	// IncrLeftover is, for a process that started with no AOF ("Creating
	// AOF base file ... on server start"), what the incr files the
	// manifest names held as it opened them: a file a failed rewrite left
	// under the new incr file's name (its manifest never persisted), which
	// the open for appending keeps and aof_current_size, counting from 0,
	// leaves out (aofOpenIfNeededOnServerStart).
	IncrLeftover int64
	// Waiting: the AOF waits for the rewrite that turns it on
	// (AOFWaiting); the manifest on disk is not the one it will write to,
	// and its INFO sizes are those of before (not judged either).
	Waiting bool
}

// aofBaseAux is the AUX field an AOF base in RDB format carries, as Redis
// 7.0.15 writes it: "aof-base" and the integer 1 (int8-encoded).
const aofBaseAux = "\xfa\x08aof-base\xc0\x01"

// manifestLine is a line as Redis 7.0.15 writes it (aofInfoFormat): the
// file name, quoted only when it has to be (sdsneedsrepr), its sequence
// number and type. A bare name is printable ASCII without a blank, a
// quote or a backslash (the node quotes a name with a single quote too,
// which Redis writes bare and then cannot read back). A negative seq is
// the wrap of an incr seq past LLONG_MAX (wrappedSeq): Redis's
// ++curr_incr_file_seq after a manifest whose seq atoll read as LLONG_MAX
// (sweep seed 3957943: a huge_seq manifest damage read through a bit flip
// loaded, and the next full sync opened incr file -9223372036854775808;
// seed 6079906: five rewrites after such a wrap).
var manifestLine = regexp.MustCompile(`^file ("(?:[^"\\]|\\.)*"|[\x21\x23-\x26\x28-\x5b\x5d-\x7e]+) seq (-?[1-9][0-9]*) type ([bhi])$`)

// wrappedSeq says whether a negative seq is one Redis can write: LLONG_MIN,
// where an incr seq wraps past LLONG_MAX, or a little above it (each new
// incr file adds one; a million is far more than a run makes).
func wrappedSeq(seq string) bool {
	v, err := strconv.ParseInt(seq, 10, 64)
	return err == nil && v < math.MinInt64+1_000_000
}

// CheckManifests judges the AOF manifests on the running nodes' disks:
// not empty, and every line written as Redis writes it, with a name in
// quotes only when it needs them (so a real Redis reads the file the same),
// and each RDB base it names marked as one (aof-base 1).
func CheckManifests(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: "aof_manifest", Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: %s: ", f.Node, f.Path) + fmt.Sprintf(format, args...)})
		}
		if f.Text == "" {
			bad("empty manifest")
			continue
		}
		if !strings.HasSuffix(f.Text, "\n") {
			bad("last line not terminated: %q", f.Text)
			continue
		}
		for _, line := range strings.Split(strings.TrimSuffix(f.Text, "\n"), "\n") {
			m := manifestLine.FindStringSubmatch(line)
			if m == nil || strings.HasPrefix(m[2], "-") && !wrappedSeq(m[2]) {
				bad("line %q is not as Redis writes it (file NAME seq N type b|h|i)", line)
				continue
			}
			name := m[1]
			if plain, err := strconv.Unquote(name); err == nil && strings.HasPrefix(name, `"`) {
				name = plain
			}
			if base, ok := f.Bases[name]; ok && m[3] == "b" && !strings.Contains(base, aofBaseAux) {
				bad("base %s does not carry the AUX field aof-base 1", m[1])
			}
			if name := m[1]; strings.HasPrefix(name, `"`) {
				plain, err := strconv.Unquote(name)
				if err == nil && !strings.ContainsAny(plain, " \"'\\\r\n\t\a\b") && printable(plain) {
					bad("line %q quotes a name that needs no quotes", line)
				}
			}
		}
	}
	return out
}

// printable reports whether s is all printable ASCII.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
