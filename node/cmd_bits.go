package node

import (
	"math"
	"math/bits"
)

func init() {
	register(
		&command{name: "setbit", arity: 4, flags: flagWrite | flagDenyOOM, fn: setbitCommand},
		&command{name: "getbit", arity: 3, flags: flagReadOnly, fn: getbitCommand},
		&command{name: "bitcount", arity: -2, flags: flagReadOnly, fn: bitcountCommand},
		&command{name: "bitpos", arity: -3, flags: flagReadOnly, fn: bitposCommand},
		&command{name: "bitop", arity: -4, flags: flagWrite | flagDenyOOM, fn: bitopCommand},
		&command{name: "bitfield", arity: -2, flags: flagWrite | flagDenyOOM, fn: bitfieldCommand},
		&command{name: "bitfield_ro", arity: -2, flags: flagReadOnly, fn: bitfieldroCommand},
	)
}

// The string bit commands, as Redis's bitops.c. Bit 0 is the most
// significant bit of the first byte. A string a bit command writes becomes
// raw (dbUnshareStringValue), and the commands propagate as given when
// they changed something.

const errBitOffset = "ERR bit offset is not an integer or out of range"

// bitOffset parses a bit offset as getBitOffsetFromArgument: with hash
// and width > 0, "#n" means n*width. Offsets whose byte is beyond
// proto-max-bulk-len are refused, except from our master or the AOF.
func (n *Node) bitOffset(c *client, arg []byte, hash bool, width int) (uint64, bool) {
	use := hash && width > 0 && len(arg) > 0 && arg[0] == '#'
	if use {
		arg = arg[1:]
	}
	v, ok := parseInt(arg)
	if !ok {
		c.addError(errBitOffset)
		return 0, false
	}
	if use {
		v *= int64(width) // wraps as in C; a negative result is refused
	}
	limit := n.cfg.ProtoMaxBulkLen
	if limit <= 0 {
		limit = 512 << 20
	}
	if v < 0 || (!c.isMasterLink && !n.ps.loading && v>>3 >= limit) {
		c.addError(errBitOffset)
		return 0, false
	}
	return uint64(v), true
}

// bitString looks up key for a bit command that writes up to bit maxbit
// (lookupStringForBitCommand): it returns the string zero-padded to hold
// that bit, whether it was created or grown, and false after WRONGTYPE.
func (n *Node) bitString(c *client, key []byte, maxbit uint64) (buf []byte, e *entry, grown, ok bool) {
	e, ok = n.lookupString(c, key)
	if !ok {
		return nil, nil, false, false
	}
	need := int(maxbit>>3) + 1
	if e == nil {
		return make([]byte, need), nil, true, true
	}
	size := max(len(e.val), need)
	buf = make([]byte, size)
	copy(buf, e.val)
	return buf, e, size != len(e.val), true
}

// storeBits stores buf under key as a raw string, keeping e's TTL (e nil:
// a new key).
func (n *Node) storeBits(c *client, key []byte, e *entry, buf []byte) {
	var expireAt int64
	if e != nil {
		n.rememberStale(e.key, e)
		expireAt = e.expireAt
	}
	n.dbs[c.db].put(string(key), string(buf), strRaw, expireAt)
}

// unshare makes an existing string raw, as dbUnshareStringValue does
// even when a bit command ends up changing nothing.
func unshare(e *entry) {
	if e != nil {
		e.obj = strRaw
	}
}

func setbitCommand(n *Node, c *client, args [][]byte) {
	off, ok := n.bitOffset(c, args[2], false, 0)
	if !ok {
		return
	}
	on, ok := parseInt(args[3])
	if !ok || on&^1 != 0 {
		c.addError("ERR bit is not an integer or out of range")
		return
	}
	buf, e, grown, ok := n.bitString(c, args[1], off)
	if !ok {
		return
	}
	byteIdx, mask := off>>3, byte(1)<<(7-off&7)
	old := buf[byteIdx]&mask != 0
	if grown || old != (on == 1) {
		if on == 1 {
			buf[byteIdx] |= mask
		} else {
			buf[byteIdx] &^= mask
		}
		n.storeBits(c, args[1], e, buf)
		n.dirty++
		n.propagate(args...)
	} else {
		unshare(e)
	}
	if old {
		c.addInt(1)
	} else {
		c.addInt(0)
	}
}

func getbitCommand(n *Node, c *client, args [][]byte) {
	off, ok := n.bitOffset(c, args[2], false, 0)
	if !ok {
		return
	}
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil || off>>3 >= uint64(len(e.val)) || e.val[off>>3]&(1<<(7-off&7)) == 0 {
		c.addInt(0)
		return
	}
	c.addInt(1)
}

// bitRange resolves BITCOUNT's and BITPOS's start and end (in bytes, or
// in bits with isBit) against a string of size bytes, as Redis does:
// negative indexes count from the end, then both are clamped. With isBit
// and a non-empty range, the returned range is in bytes and the masks
// hold the bits of the first and last byte that lie outside it.
func bitRange(start, end, size int64, isBit bool) (s, e int64, firstMask, lastMask byte) {
	total := size
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	if end >= total {
		end = total - 1
	}
	if isBit && start <= end {
		firstMask = ^byte((1 << (8 - start&7)) - 1)
		lastMask = byte((1 << (7 - end&7)) - 1)
		start >>= 3
		end >>= 3
	}
	return start, end, firstMask, lastMask
}

// bitUnit parses the optional BIT|BYTE argument.
func bitUnit(c *client, arg []byte) (isBit, ok bool) {
	switch {
	case equalFold(arg, "bit"):
		return true, true
	case equalFold(arg, "byte"):
		return false, true
	}
	c.addError(errSyntax)
	return false, false
}

func bitcountCommand(n *Node, c *client, args [][]byte) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.addInt(0)
		return
	}
	p := e.val
	var start, end int64
	var firstMask, lastMask byte
	switch len(args) {
	case 2:
		start, end = 0, int64(len(p))-1
	case 4, 5:
		s, ok1 := parseInt(args[2])
		if !ok1 {
			c.addError(errNotInteger)
			return
		}
		t, ok2 := parseInt(args[3])
		if !ok2 {
			c.addError(errNotInteger)
			return
		}
		if s < 0 && t < 0 && s > t {
			c.addInt(0)
			return
		}
		isBit := false
		if len(args) == 5 {
			if isBit, ok = bitUnit(c, args[4]); !ok {
				return
			}
		}
		start, end, firstMask, lastMask = bitRange(s, t, int64(len(p)), isBit)
	default:
		c.addError(errSyntax)
		return
	}
	if start > end {
		c.addInt(0)
		return
	}
	var count int
	for i := start; i <= end; i++ {
		count += bits.OnesCount8(p[i])
	}
	count -= bits.OnesCount8(p[start]&firstMask) + bits.OnesCount8(p[end]&lastMask)
	c.addInt(int64(count))
}

// firstBit is redisBitpos: the position of the first bit equal to bit in
// p, -1 when looking for a 1 that is not there, len(p)*8 when looking for
// a 0 in all ones (the string is taken as zero padded).
func firstBit(p []byte, bit bool) int64 {
	skip := byte(0)
	if !bit {
		skip = 0xff
	}
	for i, b := range p {
		if b != skip {
			if !bit {
				b = ^b
			}
			return int64(i)*8 + int64(bits.LeadingZeros8(b))
		}
	}
	if bit {
		return -1
	}
	return int64(len(p)) * 8
}

func bitposCommand(n *Node, c *client, args [][]byte) {
	b, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if b != 0 && b != 1 {
		c.addError("ERR The bit argument must be 1 or 0.")
		return
	}
	bit := b == 1
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.addInt(-b)
		return
	}
	p := []byte(e.val)
	var start, end int64
	var firstMask, lastMask byte
	endGiven := false
	switch len(args) {
	case 3:
		start, end = 0, int64(len(p))-1
	case 4, 5, 6:
		s, ok := parseInt(args[3])
		if !ok {
			c.addError(errNotInteger)
			return
		}
		isBit := false
		if len(args) == 6 {
			if isBit, ok = bitUnit(c, args[5]); !ok {
				return
			}
		}
		var t int64
		if len(args) >= 5 {
			if t, ok = parseInt(args[4]); !ok {
				c.addError(errNotInteger)
				return
			}
			endGiven = true
		} else if isBit {
			t = int64(len(p))<<3 + 7
		} else {
			t = int64(len(p)) - 1
		}
		start, end, firstMask, lastMask = bitRange(s, t, int64(len(p)), isBit)
	default:
		c.addError(errSyntax)
		return
	}
	if start > end {
		c.addInt(-1)
		return
	}
	// Mask the bits outside the range so they never match: set them when
	// looking for 0, clear them when looking for 1.
	window := append([]byte(nil), p[start:end+1]...)
	last := len(window) - 1
	if bit {
		window[0] &^= firstMask
		window[last] &^= lastMask
	} else {
		window[0] |= firstMask
		window[last] |= lastMask
	}
	pos := firstBit(window, bit)
	if endGiven && !bit && pos == int64(len(window))*8 {
		c.addInt(-1)
		return
	}
	if pos != -1 {
		pos += start << 3
	}
	c.addInt(pos)
}

// bitopSources reads BITOP's source keys (a missing one is empty) and
// their greatest length; false after a WRONGTYPE reply.
func (n *Node) bitopSources(c *client, keys [][]byte) ([]string, int, bool) {
	defer n.reading()()
	srcs := make([]string, 0, len(keys))
	maxLen := 0
	for _, k := range keys {
		e, ok := n.lookupString(c, k)
		if !ok {
			return nil, 0, false
		}
		var v string
		if e != nil {
			v = e.val
		}
		srcs = append(srcs, v)
		maxLen = max(maxLen, len(v))
	}
	return srcs, maxLen, true
}

func bitopCommand(n *Node, c *client, args [][]byte) {
	op := lowerASCII(append([]byte(nil), args[1]...))
	switch string(op) {
	case "and", "or", "xor", "not":
	default:
		c.addError(errSyntax)
		return
	}
	if string(op) == "not" && len(args) != 4 {
		c.addError("ERR BITOP NOT must be called with a single source key.")
		return
	}
	srcs, maxLen, ok := n.bitopSources(c, args[3:])
	if !ok {
		return
	}
	ks := n.dbs[c.db]
	if maxLen == 0 {
		if ks.lookup(string(args[2])) != nil {
			ks.remove(string(args[2]))
			if !n.bug(BugBitopEmptyNotPropagated) {
				n.dirty++
				n.propagate(args...)
			}
		}
		c.addInt(0)
		return
	}
	res := make([]byte, maxLen)
	at := func(s string, j int) byte {
		if j < len(s) {
			return s[j]
		}
		return 0
	}
	for j := range res {
		out := at(srcs[0], j)
		switch string(op) {
		case "not":
			out = ^out
		case "and":
			for _, s := range srcs[1:] {
				out &= at(s, j)
			}
		case "or":
			for _, s := range srcs[1:] {
				out |= at(s, j)
			}
		case "xor":
			for _, s := range srcs[1:] {
				out ^= at(s, j)
			}
		}
		res[j] = out
	}
	// setKey: the destination is looked up for writing (an expired one is
	// expired first), loses its TTL, and becomes a raw string.
	if old := n.lookup(c, args[2]); old != nil {
		n.rememberStale(old.key, old)
	}
	ks.put(string(args[2]), string(res), strRaw, 0)
	n.dirty++
	n.propagate(args...)
	c.addInt(int64(maxLen))
}

// Overflow behaviours of BITFIELD INCRBY and SET.
const (
	bfWrap = iota
	bfSat
	bfFail
)

type bitfieldOp struct {
	offset   uint64
	value    int64
	op       byte // 'g'et, 's'et, 'i'ncrby
	overflow int
	width    int
	signed   bool
}

func bitfieldCommand(n *Node, c *client, args [][]byte)   { bitfieldGeneric(n, c, args, false) }
func bitfieldroCommand(n *Node, c *client, args [][]byte) { bitfieldGeneric(n, c, args, true) }

// bitfieldType parses <i|u><bits>: i1..i64, u1..u63.
func bitfieldType(c *client, arg []byte) (signed bool, width int, ok bool) {
	const msg = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		c.addError(msg)
		return false, 0, false
	}
	signed = arg[0] == 'i'
	v, ok := parseInt(arg[1:])
	if !ok || v < 1 || (signed && v > 64) || (!signed && v > 63) {
		c.addError(msg)
		return false, 0, false
	}
	return signed, int(v), true
}

func bitfieldGeneric(n *Node, c *client, args [][]byte, ro bool) {
	var ops []bitfieldOp
	overflow := bfWrap
	readonly := true
	var highest uint64
	for j := 2; j < len(args); j++ {
		rem := len(args) - j - 1
		var op byte
		switch {
		case equalFold(args[j], "get") && rem >= 2:
			op = 'g'
		case equalFold(args[j], "set") && rem >= 3:
			op = 's'
		case equalFold(args[j], "incrby") && rem >= 3:
			op = 'i'
		case equalFold(args[j], "overflow") && rem >= 1:
			j++
			switch {
			case equalFold(args[j], "wrap"):
				overflow = bfWrap
			case equalFold(args[j], "sat"):
				overflow = bfSat
			case equalFold(args[j], "fail"):
				overflow = bfFail
			default:
				c.addError("ERR Invalid OVERFLOW type specified")
				return
			}
			continue
		default:
			c.addError(errSyntax)
			return
		}
		signed, width, ok := bitfieldType(c, args[j+1])
		if !ok {
			return
		}
		off, ok := n.bitOffset(c, args[j+2], true, width)
		if !ok {
			return
		}
		var v int64
		if op != 'g' {
			readonly = false
			if top := off + uint64(width) - 1; top > highest {
				highest = top
			}
			if v, ok = parseInt(args[j+3]); !ok {
				c.addError(errNotInteger)
				return
			}
		}
		ops = append(ops, bitfieldOp{offset: off, value: v, op: op, overflow: overflow, width: width, signed: signed})
		if op == 'g' {
			j += 2
		} else {
			j += 3
		}
	}
	var buf []byte
	var e *entry
	grown := false
	if readonly {
		var ok bool
		done := n.reading()
		e, ok = n.lookupString(c, args[1])
		done()
		if !ok {
			return
		}
		if e != nil {
			buf = []byte(e.val)
		}
	} else {
		if ro {
			c.addError("ERR BITFIELD_RO only supports the GET subcommand")
			return
		}
		var ok bool
		if buf, e, grown, ok = n.bitString(c, args[1], highest); !ok {
			return
		}
	}
	c.addArrayLen(len(ops))
	changes := 0
	for _, op := range ops {
		if op.op == 'g' {
			c.addInt(getBitfield(buf, op.offset, op.width, op.signed))
			continue
		}
		old := getBitfield(buf, op.offset, op.width, op.signed)
		var nv, ret int64
		var over bool
		if op.op == 'i' {
			nv, over = bitfieldAdd(old, op.value, op.width, op.signed, op.overflow)
			ret = nv
		} else {
			nv, over = bitfieldAdd(op.value, 0, op.width, op.signed, op.overflow)
			ret = old
		}
		if over && op.overflow == bfFail {
			c.addNull()
			continue
		}
		c.addInt(ret)
		setBitfield(buf, op.offset, op.width, uint64(nv))
		if grown || old != nv {
			changes++
		}
	}
	if readonly {
		return
	}
	switch {
	case changes > 0:
		n.storeBits(c, args[1], e, buf)
		n.dirty += int64(changes)
		n.propagate(args...)
	case grown:
		// Every write failed (OVERFLOW FAIL), yet Redis has already
		// created or zero-padded the string, and keeps it without
		// propagating anything: a replica does not see it.
		n.storeBits(c, args[1], e, buf)
	default:
		unshare(e)
	}
}

// getBitfield reads width bits at offset (big-endian bit order), sign
// extending when signed; bits beyond buf read as 0.
func getBitfield(buf []byte, offset uint64, width int, signed bool) int64 {
	var v uint64
	for i := uint64(0); i < uint64(width); i++ {
		pos := offset + i
		v <<= 1
		if pos>>3 < uint64(len(buf)) && buf[pos>>3]&(1<<(7-pos&7)) != 0 {
			v |= 1
		}
	}
	if signed && width < 64 && v&(1<<(width-1)) != 0 {
		v |= math.MaxUint64 << width
	}
	return int64(v)
}

// setBitfield writes the low width bits of v at offset.
func setBitfield(buf []byte, offset uint64, width int, v uint64) {
	for i := 0; i < width; i++ {
		pos := offset + uint64(i)
		mask := byte(1) << (7 - pos&7)
		if v&(1<<(width-1-i)) != 0 {
			buf[pos>>3] |= mask
		} else {
			buf[pos>>3] &^= mask
		}
	}
}

// bitfieldAdd adds incr to value in a field of width bits, reporting an
// overflow and the result the overflow behaviour gives (wrap around,
// saturate; for fail the result is not used), as Redis's
// check(Un)signedBitfieldOverflow.
func bitfieldAdd(value, incr int64, width int, signed bool, overflow int) (int64, bool) {
	if !signed {
		max := uint64(1)<<width - 1
		uv := uint64(value)
		wrap := int64((uv + uint64(incr)) & max)
		switch {
		case uv > max || (incr > 0 && incr > int64(max-uv)):
			if overflow == bfSat {
				return int64(max), true
			}
			return wrap, true
		case incr < 0 && incr < -int64(uv):
			if overflow == bfSat {
				return 0, true
			}
			return wrap, true
		}
		return int64(uv + uint64(incr)), false
	}
	max := int64(math.MaxInt64)
	if width < 64 {
		max = 1<<(width-1) - 1
	}
	min := -max - 1
	maxIncr := int64(uint64(max) - uint64(value))
	minIncr := min - value
	wrap := func() int64 {
		s := uint64(value) + uint64(incr)
		if width < 64 {
			mask := uint64(math.MaxUint64) << width
			if s&(1<<(width-1)) != 0 {
				s |= mask
			} else {
				s &^= mask
			}
		}
		return int64(s)
	}
	switch {
	case value > max || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		if overflow == bfSat {
			return max, true
		}
		return wrap(), true
	case value < min || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		if overflow == bfSat {
			return min, true
		}
		return wrap(), true
	}
	return value + incr, false
}
