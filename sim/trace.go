package sim

import "strconv"

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Trace is the sequence of one-line event descriptions of a run and the
// running FNV-1a 64-bit hash over them (each line followed by '\n'). Lines
// are kept only when Keep is set, so a sweep pays for the hash alone.
type Trace struct {
	Keep  bool
	lines []string
	hash  uint64
	count uint64
	buf   []byte
}

func newTrace() Trace { return Trace{hash: fnvOffset} }

// Hash returns the running hash.
func (t *Trace) Hash() uint64 { return t.hash }

// HashHex returns the hash as 16 lowercase hex digits.
func (t *Trace) HashHex() string {
	s := strconv.FormatUint(t.hash, 16)
	for len(s) < 16 {
		s = "0" + s
	}
	return s
}

// Count returns the number of lines written.
func (t *Trace) Count() uint64 { return t.count }

// Lines returns the kept lines (nil unless Keep was set).
func (t *Trace) Lines() []string { return t.lines }

// Line starts a new trace line stamped with time now. Finish it with End.
func (t *Trace) Line(now Time) *Line {
	t.buf = t.buf[:0]
	t.buf = appendTime(t.buf, now)
	return (*Line)(t)
}

// Line is a trace line under construction.
type Line Trace

// S appends a string.
func (l *Line) S(s string) *Line { l.buf = append(l.buf, s...); return l }

// B appends bytes.
func (l *Line) B(b []byte) *Line { l.buf = append(l.buf, b...); return l }

// I appends a decimal integer.
func (l *Line) I(v int64) *Line { l.buf = strconv.AppendInt(l.buf, v, 10); return l }

// U appends a decimal unsigned integer.
func (l *Line) U(v uint64) *Line { l.buf = strconv.AppendUint(l.buf, v, 10); return l }

// Q appends bytes quoted, truncated to 40 bytes so lines stay short.
func (l *Line) Q(b []byte) *Line {
	if len(b) > 40 {
		l.buf = strconv.AppendQuote(l.buf, string(b[:40]))
		l.buf = append(l.buf, "..."...)
		return l
	}
	l.buf = strconv.AppendQuote(l.buf, string(b))
	return l
}

// End finishes the line: it drops trailing spaces (a field left empty at
// the end of a line), folds the line into the hash and keeps it if asked.
func (l *Line) End() {
	t := (*Trace)(l)
	for len(t.buf) > 0 && t.buf[len(t.buf)-1] == ' ' {
		t.buf = t.buf[:len(t.buf)-1]
	}
	h := t.hash
	for _, c := range t.buf {
		h ^= uint64(c)
		h *= fnvPrime
	}
	h ^= '\n'
	h *= fnvPrime
	t.hash = h
	t.count++
	if t.Keep {
		t.lines = append(t.lines, string(t.buf))
	}
}

// appendTime writes t as seconds with microsecond precision, e.g. "12.000345 ".
func appendTime(b []byte, t Time) []byte {
	sec := t / Second
	us := (t % Second) / Microsecond
	b = strconv.AppendInt(b, sec, 10)
	b = append(b, '.')
	for div := int64(100000); div > 0; div /= 10 {
		b = append(b, byte('0'+us/div%10))
	}
	return append(b, ' ')
}

// Log starts a trace line stamped with the world's current time.
func (w *World) Log() *Line { return w.Trace.Line(w.now) }
