package node

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// AOF file types in the manifest, as Redis 7.0 writes them.
const (
	aofTypeBase = 'b'
	aofTypeHist = 'h'
	aofTypeIncr = 'i'
)

// aofInfo is one line of the manifest.
type aofInfo struct {
	name string
	seq  int64
	typ  byte
}

// aofManifest lists the files of a multi-part AOF: at most one base, the
// history files (to delete), and the incremental files in order.
type aofManifest struct {
	base    *aofInfo
	history []aofInfo
	incr    []aofInfo
	baseSeq int64 // highest base sequence used
	incrSeq int64 // highest incr sequence used
}

func (m *aofManifest) empty() bool { return m.base == nil && len(m.incr) == 0 }

func (m *aofManifest) clone() aofManifest {
	c := aofManifest{baseSeq: m.baseSeq, incrSeq: m.incrSeq}
	if m.base != nil {
		b := *m.base
		c.base = &b
	}
	c.history = append([]aofInfo(nil), m.history...)
	c.incr = append([]aofInfo(nil), m.incr...)
	return c
}

// newBase names the next base file (prefix.N.base.rdb) and turns the
// current base into history.
func (m *aofManifest) newBase(prefix string) string { return m.newBaseExt(prefix, "rdb") }

// newBaseExt is newBase for a base in the format ext names (rdb, or aof
// for a base written as commands).
func (m *aofManifest) newBaseExt(prefix, ext string) string {
	if m.base != nil {
		old := *m.base
		old.typ = aofTypeHist
		m.history = append([]aofInfo{old}, m.history...)
	}
	m.baseSeq++
	m.base = &aofInfo{name: prefix + "." + strconv.FormatInt(m.baseSeq, 10) + ".base." + ext, seq: m.baseSeq, typ: aofTypeBase}
	return m.base.name
}

// newIncr names the next incremental file (prefix.N.incr.aof).
func (m *aofManifest) newIncr(prefix string) string {
	m.incrSeq++
	ai := aofInfo{name: prefix + "." + strconv.FormatInt(m.incrSeq, 10) + ".incr.aof", seq: m.incrSeq, typ: aofTypeIncr}
	m.incr = append(m.incr, ai)
	return ai.name
}

// lastIncr returns the incr file to append to, adding one if none exists.
func (m *aofManifest) lastIncr(prefix string) string {
	if len(m.incr) == 0 {
		return m.newIncr(prefix)
	}
	return m.incr[len(m.incr)-1].name
}

// incrToHistory turns every incr file but the last (being written) into
// history, as markRewrittenIncrAofAsHistory does.
func (m *aofManifest) incrToHistory() {
	if len(m.incr) <= 1 {
		return
	}
	done := m.incr[:len(m.incr)-1]
	for i := len(done) - 1; i >= 0; i-- {
		h := done[i]
		h.typ = aofTypeHist
		m.history = append([]aofInfo{h}, m.history...)
	}
	m.incr = append([]aofInfo(nil), m.incr[len(m.incr)-1:]...)
}

// String renders the manifest as Redis does: base first, then history,
// then incr, one "file <name> seq <n> type <t>" line each.
func (m *aofManifest) String() string {
	var b strings.Builder
	line := func(ai aofInfo) {
		name := ai.name
		if needsRepr(name) {
			name = repr(name)
		}
		fmt.Fprintf(&b, "file %s seq %d type %c\n", name, ai.seq, ai.typ)
	}
	if m.base != nil {
		line(*m.base)
	}
	for _, h := range m.history {
		line(h)
	}
	for _, i := range m.incr {
		line(i)
	}
	return b.String()
}

// repr quotes s as sdscatrepr does.
func repr(s string) string { return resp.Repr(s) }

// needsRepr is sdsneedsrepr (names with quotes, spaces or unprintable
// bytes are written quoted), plus the single quote: Redis writes a name
// with a ' bare, which its own sdssplitargs then cannot read back.
func needsRepr(s string) bool {
	if s == "" {
		return true // written "" (Redis writes nothing, and cannot read that back)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' || c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == '\a' || c == '\b' || c < 0x20 || c > 0x7e || c == ' ' {
			return true
		}
	}
	return false
}

// manifestMaxLine is MANIFEST_MAX_LINE: Redis reads a manifest with fgets
// into a buffer of this many bytes plus one.
const manifestMaxLine = 1024

// manifestError is a manifest Redis refuses at startup, with what its
// FATAL AOF MANIFEST FILE ERROR report prints: the line number and the
// trimmed line when Redis had one in hand (hasLine), and the reason.
type manifestError struct {
	name    string
	num     int
	hasLine bool
	line    string
	msg     string
	// openErr is why the manifest could not be opened (then Redis logs
	// one line, not the report, and exits).
	openErr error
}

func (e *manifestError) Error() string {
	if e.openErr != nil {
		return fmt.Sprintf("AOF manifest %s: can't open it for reading: %s", e.name, strerror(e.openErr))
	}
	if !e.hasLine {
		return fmt.Sprintf("AOF manifest %s: %s", e.name, e.msg)
	}
	return fmt.Sprintf("AOF manifest %s, line %d: %s", e.name, e.num, e.msg)
}

// logFatal writes the report Redis writes before it exits on a bad
// manifest (aofLoadManifestFromFile's loaderr), line by line.
func (e *manifestError) logFatal(n *Node) {
	if e.openErr != nil {
		n.logWarning("Fatal error: can't open the AOF manifest file %s for reading: %s", e.name, strerror(e.openErr))
		return
	}
	n.logWarning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n")
	if e.hasLine {
		n.logWarning("Reading the manifest file, at line %d\n", e.num)
		n.logWarning(">>> '%s'\n", e.line)
	}
	n.logWarning("%s\n", e.msg)
}

// parseManifest reads a manifest with Redis's rules (aofLoadManifestFromFile):
// it reads chunks as fgets does (a line, or manifestMaxLine bytes of one);
// a chunk starting with '#' is a comment; any other chunk must end in a
// newline before any NUL byte, and holds key/value pairs with at least
// file, seq and type; one base at most; incr sequences strictly increase.
// Errors are *manifestError.
func parseManifest(name string, data []byte) (aofManifest, error) {
	return parseManifestPaths(name, data, false)
}

// parseManifestPaths is parseManifest; acceptPaths is the planted bug
// BugManifestPathAccepted.
func parseManifestPaths(name string, data []byte, acceptPaths bool) (aofManifest, error) {
	var m aofManifest
	num := 0
	fail := func(hasLine bool, line, msg string) (aofManifest, error) {
		return aofManifest{}, &manifestError{name: name, num: num, hasLine: hasLine, line: line, msg: msg}
	}
	if len(data) == 0 {
		return fail(false, "", "Found an empty AOF manifest")
	}
	var maxSeq int64
	for pos := 0; pos < len(data); {
		end := min(pos+manifestMaxLine, len(data))
		if i := bytes.IndexByte(data[pos:end], '\n'); i >= 0 {
			end = pos + i + 1
		}
		chunk := data[pos:end]
		pos = end
		num++
		if chunk[0] == '#' {
			continue
		}
		text := string(chunk)
		if i := strings.IndexByte(text, 0); i >= 0 {
			text = text[:i] // C string functions stop at the NUL
		}
		if !strings.HasSuffix(text, "\n") {
			return fail(false, "", "The AOF manifest file contains too long line")
		}
		line := strings.Trim(text, " \t\r\n")
		args, err := splitArgs(line) // a blank line has no arguments
		if err != nil || len(args) < 6 || len(args)%2 != 0 {
			return fail(true, line, "Invalid AOF manifest file format")
		}
		var ai aofInfo
		named := false
		for k := 0; k < len(args); k += 2 {
			switch strings.ToLower(args[k]) {
			case "file":
				ai.name, named = args[k+1], true
				if strings.ContainsAny(ai.name, "/\\") && !acceptPaths {
					return fail(true, line, "File can't be a path, just a filename")
				}
			case "seq":
				ai.seq = strtoll(args[k+1]) // atoll: glibc reads it with strtol
			case "type":
				ai.typ = 0
				if args[k+1] != "" {
					ai.typ = args[k+1][0]
				}
			}
		}
		if !named || ai.seq == 0 || ai.typ == 0 {
			return fail(true, line, "Invalid AOF manifest file format")
		}
		switch ai.typ {
		case aofTypeBase:
			if m.base != nil {
				return fail(true, line, "Found duplicate base file information")
			}
			b := ai
			m.base = &b
			m.baseSeq = ai.seq
		case aofTypeHist:
			m.history = append(m.history, ai)
		case aofTypeIncr:
			if ai.seq <= maxSeq {
				return fail(true, line, "Found a non-monotonic sequence number")
			}
			m.incr = append(m.incr, ai)
			m.incrSeq = ai.seq
			maxSeq = ai.seq
		default:
			return fail(true, line, "Unknown AOF file type")
		}
	}
	return m, nil
}

// splitArgs splits a manifest line as sdssplitargs does.
func splitArgs(line string) ([]string, error) {
	args, ok := resp.SplitArgs(line)
	if !ok {
		return nil, errors.New("unbalanced quotes")
	}
	return args, nil
}
