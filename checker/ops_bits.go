package checker

import (
	"math"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The bit commands' models (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
// BITFIELD, BITFIELD_RO), LCS and SUBSTR: commands on string values seen
// as bit arrays, bit 0 the most significant bit of the first byte. A
// string grows with zero bytes to fit a written bit; bits past its end
// read as zero. BITOP and LCS are judged on each key alone (what the
// reply allows about that key), the replay applies BITOP exactly.

func init() {
	str := tap.TypeString
	from2 := func(args []string) []int { return argRange(2, len(args)) }
	registerCommands(
		&command{name: "SETBIT", args: takenArgs(setbitValid), arity: 4, typ: str, write: true, step: setbitStep, apply: setbitApply},
		&command{name: "GETBIT", args: takenArgs(getbitValid), arity: 3, typ: str, step: getbitStep},
		&command{name: "BITCOUNT", args: takenArgs(bitcountValid), arity: -2, typ: str, step: bitcountStep},
		&command{name: "BITPOS", args: takenArgs(bitposValid), arity: -3, typ: str, step: bitposStep},
		&command{name: "BITOP", args: takenArgs(bitopValid), arity: -4, typ: str, write: true, keys: from2, untyped: isPart0, writes: isPart0,
			step: bitopStep, apply: bitopApply},
		&command{name: "BITFIELD", args: takenArgs(bitfieldValid), arity: -2, typ: str, write: true, step: bitfieldStep, apply: bitfieldApply},
		&command{name: "BITFIELD_RO", args: takenArgs(bitfieldValid), arity: -2, typ: str, step: bitfieldStep},
		&command{name: "LCS", arity: -3, typ: str, keys: func([]string) []int { return []int{1, 2} }, step: lcsStep},
		&command{name: "SUBSTR", args: takenArgs(substrValid), arity: 4, typ: str, step: substrStep},
	)
}

// bitAt is bit i of s (0 past its end).
func bitAt(s string, i int64) int64 {
	if i < 0 || i>>3 >= int64(len(s)) {
		return 0
	}
	return int64(s[i>>3]>>(7-uint(i&7))) & 1
}

// withBit returns s with bit i set to b, grown with zero bytes to hold it.
func withBit(s string, i int64, b int64) string {
	buf := []byte(s)
	for int64(len(buf)) <= i>>3 {
		buf = append(buf, 0)
	}
	mask := byte(1) << (7 - uint(i&7))
	if b == 1 {
		buf[i>>3] |= mask
	} else {
		buf[i>>3] &^= mask
	}
	return string(buf)
}

// bitOffsetArg parses a bit offset as SETBIT/GETBIT take it (0 to 2^32-1).
func bitOffsetArg(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0 && n < 1<<32
}

func setbitStep(v Value, op *Op) (bool, Value) {
	off, ok1 := bitOffsetArg(op.Args[2])
	b, err := strconv.ParseInt(op.Args[3], 10, 64)
	if !ok1 || err != nil || (b != 0 && b != 1) {
		return op.Unknown, v // refused
	}
	old := bitAt(v.Val, off)
	return op.Unknown || op.Int == old, Value{Exists: true, Val: withBit(v.Val, off, b)}
}

func setbitApply(args []string, d replayDB) string {
	v := d.get(args[1])
	off, ok := bitOffsetArg(args[2])
	b, err := strconv.ParseInt(args[3], 10, 64)
	switch {
	case v.Exists && v.Type != tap.TypeString:
		return "SETBIT on a " + typeName(v.Type)
	case !ok || err != nil || (b != 0 && b != 1):
		return "SETBIT with a bad offset or bit"
	}
	d.put(args[1], Value{Exists: true, Val: withBit(v.Val, off, b)})
	return ""
}

func getbitStep(v Value, op *Op) (bool, Value) {
	off, ok := bitOffsetArg(op.Args[2])
	return op.Unknown || (ok && op.Int == bitAt(v.Val, off)), v
}

// bitSpan resolves a BITCOUNT/BITPOS range over n units (bytes, or bits
// with BIT) as Redis does: negative indices count from the end, both
// clamp to the string; empty when start > end (for BITCOUNT, also when
// both count from the end and start comes after end).
func bitSpan(n, start, end int64, count bool) (int64, int64, bool) {
	if count && start < 0 && end < 0 && start > end {
		return 0, 0, true
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, n-1)
	return start, end, start > end
}

// bitRangeArgs parses [start [end [BYTE|BIT]]] at args[i:] (BITPOS's, whose
// end is optional, or BITCOUNT's): the bit
// range it covers in s (lo, hi inclusive), whether an end was given, and
// ok false when the arguments are not ones the command accepts.
func bitRangeArgs(s string, args []string, i int, endOptional bool) (lo, hi int64, empty, endGiven, ok bool) {
	n := int64(len(s))
	if len(args) == i {
		return 0, 8*n - 1, n == 0, false, true
	}
	start, ok1 := argInt(args, i)
	if !ok1 {
		return 0, 0, false, false, false
	}
	end, isBit := n-1, false
	if len(args) > i+1 {
		e, ok2 := argInt(args, i+1)
		if !ok2 {
			return 0, 0, false, false, false
		}
		end, endGiven = e, true
		if len(args) > i+2 {
			switch strings.ToUpper(args[i+2]) {
			case "BIT":
				isBit = true
			case "BYTE":
			default:
				return 0, 0, false, false, false
			}
			if len(args) > i+3 {
				return 0, 0, false, false, false
			}
		}
	} else if !endOptional {
		return 0, 0, false, false, false
	}
	if isBit {
		lo, hi, empty = bitSpan(8*n, start, end, !endOptional)
		return lo, hi, empty, endGiven, true
	}
	lo, hi, empty = bitSpan(n, start, end, !endOptional)
	return 8 * lo, 8*hi + 7, empty, endGiven, true
}

func bitcountStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	lo, hi, empty, _, ok := bitRangeArgs(v.Val, op.Args, 2, false)
	if !ok {
		return false, v
	}
	n := int64(0)
	if !empty {
		for i := lo; i <= hi; i++ {
			n += bitAt(v.Val, i)
		}
	}
	return op.Int == n, v
}

// bitpos is BITPOS's answer on s.
func bitpos(v Value, args []string) (int64, bool) {
	bit, ok := argInt(args, 2)
	if !ok || (bit != 0 && bit != 1) {
		return 0, false
	}
	if !v.Exists {
		return -bit, true
	}
	lo, hi, empty, endGiven, ok := bitRangeArgs(v.Val, args, 3, true)
	switch {
	case !ok:
		return 0, false
	case empty:
		return -1, true
	}
	for i := lo; i <= hi; i++ {
		if bitAt(v.Val, i) == bit {
			return i, true
		}
	}
	if bit == 0 && !endGiven {
		return (hi/8 + 1) * 8, true // the zero padding past the string
	}
	return -1, true
}

func bitposStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	want, ok := bitpos(v, op.Args)
	return ok && op.Int == want, v
}

// bitop computes BITOP's result from its sources (absent ones empty).
func bitop(opName string, srcs []string) string {
	n := 0
	for _, s := range srcs {
		n = max(n, len(s))
	}
	out := make([]byte, n)
	for i := range out {
		at := func(s string) byte {
			if i < len(s) {
				return s[i]
			}
			return 0
		}
		b := at(srcs[0])
		for _, s := range srcs[1:] {
			switch opName {
			case "AND":
				b &= at(s)
			case "OR":
				b |= at(s)
			case "XOR":
				b ^= at(s)
			}
		}
		if opName == "NOT" {
			b = ^b
		}
		out[i] = b
	}
	return string(out)
}

// bitopStep judges BITOP on its destination (part 0: a new string of the
// reply's length, deleted when that is 0) or on a source (the result is
// at least as long as it).
func bitopStep(v Value, op *Op) (bool, Value) {
	if op.Part == 0 {
		switch {
		case op.Unknown:
			return true, Value{Any: true}
		case op.Int == 0:
			return true, Value{}
		}
		return op.Int > 0, Value{Any: true}
	}
	return op.Unknown || op.Int >= int64(len(v.Val)), v
}

func bitopApply(args []string, d replayDB) string {
	opName := strings.ToUpper(args[1])
	if opName != "AND" && opName != "OR" && opName != "XOR" && opName != "NOT" || (opName == "NOT" && len(args) != 4) {
		return "BITOP with a bad operation"
	}
	var srcs []string
	for _, k := range args[3:] {
		v := d.get(k)
		if v.Exists && v.Type != tap.TypeString {
			return "BITOP on a " + typeName(v.Type)
		}
		srcs = append(srcs, v.Val)
	}
	res := bitop(opName, srcs)
	if res == "" {
		d.put(args[2], Value{})
		return ""
	}
	d.put(args[2], Value{Exists: true, Val: res, Fresh: true})
	return ""
}

// bfOp is one BITFIELD subcommand.
type bfOp struct {
	kind     string // GET, SET, INCRBY
	signed   bool
	width    uint
	offset   int64
	arg      int64
	overflow string
}

// parseBitfield parses BITFIELD's subcommands (ok false if Redis would
// refuse the command: its reply is then an error, judged elsewhere).
func parseBitfield(args []string, ro bool) ([]bfOp, bool) {
	var ops []bfOp
	overflow := "WRAP"
	for i := 2; i < len(args); {
		sub := strings.ToUpper(args[i])
		if sub == "OVERFLOW" {
			if ro || i+1 >= len(args) {
				return nil, false
			}
			overflow = strings.ToUpper(args[i+1])
			if overflow != "WRAP" && overflow != "SAT" && overflow != "FAIL" {
				return nil, false
			}
			i += 2
			continue
		}
		need := 3
		if sub == "SET" || sub == "INCRBY" {
			need = 4
		} else if sub != "GET" {
			return nil, false
		}
		if i+need > len(args) || (ro && sub != "GET") {
			return nil, false
		}
		o := bfOp{kind: sub, overflow: overflow}
		t := args[i+1]
		if len(t) < 2 || (t[0] != 'i' && t[0] != 'I' && t[0] != 'u' && t[0] != 'U') {
			return nil, false
		}
		o.signed = t[0] == 'i' || t[0] == 'I'
		w, err := strconv.Atoi(t[1:])
		if err != nil || w < 1 || (o.signed && w > 64) || (!o.signed && w > 63) {
			return nil, false
		}
		o.width = uint(w)
		off := args[i+2]
		mul := int64(1)
		if strings.HasPrefix(off, "#") {
			off, mul = off[1:], int64(w)
		}
		n, err := strconv.ParseInt(off, 10, 64)
		if err != nil || n < 0 || n*mul+int64(w) > 1<<32 {
			return nil, false
		}
		o.offset = n * mul
		if need == 4 {
			if o.arg, err = strconv.ParseInt(args[i+3], 10, 64); err != nil {
				return nil, false
			}
		}
		ops = append(ops, o)
		i += need
	}
	return ops, true
}

// readField reads a width-bit field at bit off of s.
func readField(s string, off int64, width uint, signed bool) int64 {
	var u uint64
	for i := int64(0); i < int64(width); i++ {
		u = u<<1 | uint64(bitAt(s, off+i))
	}
	if signed && width < 64 && u>>(width-1) == 1 {
		u |= ^uint64(0) << width
	}
	return int64(u)
}

// writeField writes the low width bits of u at bit off of s.
func writeField(s string, off int64, width uint, u uint64) string {
	for i := int64(0); i < int64(width); i++ {
		s = withBit(s, off+i, int64(u>>(width-1-uint(i)))&1)
	}
	return s
}

// fieldResult is what a field of width bits gets from value plus incr
// under an overflow policy, or ok false (FAIL) when that overflows. It
// follows Redis's overflow test bit for bit, quirks included: that test
// computes its headroom in wrapping 64-bit arithmetic, so a signed SET of
// a value far below the minimum counts as an overflow upwards (SAT then
// stores the maximum).
func fieldResult(value, incr int64, width uint, signed bool, overflow string) (int64, bool) {
	var high, low bool
	if signed {
		hi := int64(math.MaxInt64)
		if width < 64 {
			hi = int64(1)<<(width-1) - 1
		}
		lo := -hi - 1
		headroom, floor := int64(uint64(hi)-uint64(value)), lo-value
		high = value > hi || (width != 64 && incr > headroom) || (value >= 0 && incr > 0 && incr > headroom)
		low = !high && (value < lo || (width != 64 && incr < floor) || (value < 0 && incr < 0 && incr < floor))
		switch {
		case !high && !low:
			return value + incr, true
		case overflow == "FAIL":
			return 0, false
		case overflow == "SAT" && high:
			return hi, true
		case overflow == "SAT":
			return lo, true
		}
		c := uint64(value) + uint64(incr)
		if width < 64 {
			if c>>(width-1)&1 == 1 {
				c |= ^uint64(0) << width
			} else {
				c &^= ^uint64(0) << width
			}
		}
		return int64(c), true
	}
	u := uint64(value)
	hi := uint64(1)<<width - 1
	high = u > hi || (incr > 0 && incr > int64(hi-u))
	low = !high && incr < 0 && incr < -int64(u)
	switch {
	case !high && !low:
		return int64(u + uint64(incr)), true
	case overflow == "FAIL":
		return 0, false
	case overflow == "SAT" && high:
		return int64(hi), true
	case overflow == "SAT":
		return 0, true
	}
	return int64((u + uint64(incr)) & hi), true
}

// bitfield runs BITFIELD's subcommands on s: the new value and the
// reply (nil where FAIL refused a write).
func bitfield(s string, ops []bfOp) (string, []Item) {
	var out []Item
	for _, o := range ops {
		old := readField(s, o.offset, o.width, o.signed)
		if o.kind == "GET" {
			out = append(out, Item{Str: strconv.FormatInt(old, 10)})
			continue
		}
		value, incr := old, o.arg
		if o.kind == "SET" {
			value, incr = o.arg, 0
		}
		nv, ok := fieldResult(value, incr, o.width, o.signed, o.overflow)
		if !ok {
			out = append(out, Item{Nil: true})
			continue
		}
		s = writeField(s, o.offset, o.width, uint64(nv))
		if o.kind == "SET" {
			out = append(out, Item{Str: strconv.FormatInt(old, 10)})
		} else {
			out = append(out, Item{Str: strconv.FormatInt(nv, 10)})
		}
	}
	return s, out
}

// bitfieldGrow is the string a BITFIELD with writes leaves before its
// subcommands run: Redis makes room for its highest written bit up front,
// even when an OVERFLOW FAIL then writes nothing.
func bitfieldGrow(v Value, ops []bfOp) (string, bool) {
	hi, writes := int64(-1), false
	for _, o := range ops {
		if o.kind != "GET" {
			writes = true
			hi = max(hi, o.offset+int64(o.width)-1)
		}
	}
	if !writes {
		return v.Val, false
	}
	s := v.Val
	for int64(len(s)) <= hi>>3 {
		s += "\x00"
	}
	return s, true
}

func bitfieldStep(v Value, op *Op) (bool, Value) {
	ops, ok := parseBitfield(op.Args, strings.EqualFold(op.Args[0], "BITFIELD_RO"))
	if !ok {
		return op.Unknown, v
	}
	s, writes := bitfieldGrow(v, ops)
	s, want := bitfield(s, ops)
	next := v
	if writes {
		next = Value{Exists: true, Val: s}
	}
	if op.Unknown {
		return true, next
	}
	if len(op.Items) != len(want) {
		return false, v
	}
	for i, w := range want {
		if op.Items[i] != w {
			return false, v
		}
	}
	return true, next
}

func bitfieldApply(args []string, d replayDB) string {
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeString {
		return "BITFIELD on a " + typeName(v.Type)
	}
	ops, ok := parseBitfield(args, false)
	if !ok {
		return "BITFIELD with bad arguments"
	}
	s, writes := bitfieldGrow(v, ops)
	if !writes {
		return "BITFIELD without writes"
	}
	s, _ = bitfield(s, ops)
	d.put(args[1], Value{Exists: true, Val: s})
	return ""
}

// lcsStep judges LCS a b [LEN] [IDX [MINMATCHLEN n] [WITHMATCHLEN]] on
// one of its keys: the common subsequence it answers must be one of this
// key's string (a subsequence of it; with IDX, ranges of it holding equal
// text), and no longer than it.
func lcsStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s := v.Val
	var idx, lenOnly, withLen bool
	for i := 3; i < len(op.Args); i++ {
		switch strings.ToUpper(op.Args[i]) {
		case "IDX":
			idx = true
		case "LEN":
			lenOnly = true
		case "WITHMATCHLEN":
			withLen = true
		case "MINMATCHLEN":
			i++
		}
	}
	switch {
	case idx && lenOnly:
		return false, v // refused: the error reply is judged elsewhere
	case lenOnly:
		return op.Int >= 0 && op.Int <= int64(len(s)), v
	case !idx:
		return op.Exists && isSubsequence(op.Result, s), v
	}
	items := itemStrs(op)
	if len(items) < 3 || items[0] != "matches" || items[len(items)-2] != "len" {
		return false, v
	}
	total, err := strconv.ParseInt(items[len(items)-1], 10, 64)
	if err != nil || total < 0 || total > int64(len(s)) {
		return false, v
	}
	group := 4
	if withLen {
		group = 5
	}
	ranges := items[1 : len(items)-2]
	if len(ranges)%group != 0 {
		return false, v
	}
	sum := int64(0)
	for g := 0; g < len(ranges); g += group {
		r := ranges[g+2*op.Part : g+2*op.Part+2]
		lo, err1 := strconv.ParseInt(r[0], 10, 64)
		hi, err2 := strconv.ParseInt(r[1], 10, 64)
		if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi >= int64(len(s)) {
			return false, v
		}
		if withLen && ranges[g+4] != strconv.FormatInt(hi-lo+1, 10) {
			return false, v
		}
		sum += hi - lo + 1
	}
	return sum <= total, v
}

// isSubsequence reports whether sub's bytes appear in s in order.
func isSubsequence(sub, s string) bool {
	j := 0
	for i := 0; i < len(s) && j < len(sub); i++ {
		if s[i] == sub[j] {
			j++
		}
	}
	return j == len(sub)
}

func substrStep(v Value, op *Op) (bool, Value) {
	start, ok1 := argInt(op.Args, 2)
	end, ok2 := argInt(op.Args, 3)
	if op.Unknown || !ok1 || !ok2 {
		return true, v
	}
	return op.Result == getRange(v.Val, start, end), v
}
