package checker

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// checksumValuesFit checks the two values of "Wrong RDB checksum expected:
// (%x) but got (%x)" when one bit flip, and nothing else, made an RDB
// file's load fail its checksum. Redis's CRC-64 (Jones, reflected, no
// initial or final inversion) is linear: flipping bit e of the content
// changes the CRC by crc(e), the CRC of a content of the same length
// holding only that bit. So expected XOR got is crc(e) for a flip in the
// content, and the flipped bit itself for a flip in the stored checksum
// (its last 8 bytes, little-endian). The fault gives the flipped byte and
// the file's size, not the bit: one of its 8 bits must fit. Only flips in
// the stored checksum are judged (see below); flipFits knows both.
func checksumValuesFit(lines []LogLine, faults []DiskFault) []Violation {
	flips := faultsAt(faults, "bitflip")
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if !strings.HasPrefix(l.Msg, logWrongChecksum) {
			continue
		}
		fs := flips[nodeInstant{l.Node, l.At}]
		// Only a flip in the stored checksum is judged: one in the content
		// may have made a byte the EOF opcode, and Redis then reads the
		// checksum early, from bytes of the content.
		if len(fs) != 1 || !strings.HasSuffix(fs[0].Path, ".rdb") || fs[0].FlipSize <= 8 || fs[0].FlipOffset < fs[0].FlipSize-8 {
			continue
		}
		expected, got, ok := checksumValues(l.Msg)
		if !ok {
			continue
		}
		f := fs[0]
		if !flipFits(expected^got, f.FlipOffset, f.FlipSize) {
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q, but one bit flip in byte %d of %s (%d bytes) changes Redis's CRC-64 by the CRC of that bit alone, or flips that bit of the stored checksum: no bit of that byte gives expected XOR got = %x",
					l.Node, l.Gen, l.Msg, f.FlipOffset, f.Path, f.FlipSize, expected^got)})
		}
	}
	return out
}

// checksumValues reads the expected and stored CRCs of a wrong-checksum
// line.
func checksumValues(msg string) (expected, got uint64, ok bool) {
	var e, g string
	rest := strings.TrimPrefix(msg, logWrongChecksum)
	e, rest, ok1 := strings.Cut(rest, ") but got (")
	g, _, ok2 := strings.Cut(rest, ")")
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(e, 16, 64)
	y, err2 := strconv.ParseUint(g, 16, 64)
	return x, y, err1 == nil && err2 == nil
}

// flipFits reports whether d is what one flipped bit of byte off changes
// in the checksum of a file of size bytes (its last 8 the stored CRC).
func flipFits(d uint64, off, size int64) bool {
	content := size - 8
	for b := 0; b < 8; b++ {
		var want uint64
		if off >= content {
			want = 1 << (uint(off-content)*8 + uint(b))
		} else {
			want = crcOfBit(content, off, b)
		}
		if d == want {
			return true
		}
	}
	return false
}

// jonesReflected is the Jones polynomial 0xad93d23594c935a9, reflected.
const jonesReflected = 0x95ac9329ac4bc9b5

// crcOfBit is the CRC-64 (Jones, reflected, no inversions) of n bytes that
// are all zero but bit b of byte off: the bit's own effect on any
// content's CRC. Zero bytes before the bit leave the register 0.
func crcOfBit(n, off int64, b int) uint64 {
	crc := uint64(0)
	for i := off; i < n; i++ {
		if i == off {
			crc ^= uint64(1) << uint(b)
		}
		for k := 0; k < 8; k++ {
			if crc&1 != 0 {
				crc = crc>>1 ^ jonesReflected
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

// checksumFlipsReported checks the other way: when one bit flip, and
// nothing else, fell in the stored checksum (the last 8 bytes) of an RDB
// file a load read in that instant ("Loading RDB produced by version" in
// it), the content parses as written and rdbLoadRio compares the
// checksums: it logs "Wrong RDB checksum expected: ..." then.
func checksumFlipsReported(lines []LogLine, faults []DiskFault) []Violation {
	loads, wrong := map[nodeInstant]*LogLine{}, map[nodeInstant]bool{}
	for i := range lines {
		l := &lines[i]
		k := nodeInstant{l.Node, l.At}
		switch {
		case l.Format == logRDBVersion:
			loads[k] = l
		case strings.HasPrefix(l.Msg, logWrongChecksum):
			wrong[k] = true
		}
	}
	var out []Violation
	for k, fs := range faultsAt(faults, "bitflip") {
		l := loads[k]
		if l == nil || wrong[k] || len(fs) != 1 || !strings.HasSuffix(fs[0].Path, ".rdb") || fs[0].FlipSize <= 8 || fs[0].FlipOffset < fs[0].FlipSize-8 {
			continue
		}
		out = append(out, lineViolation(l, "a load read %s with a bit flipped in its stored checksum (byte %d of %d), but logged no %q: the content parses as written, and rdbLoadRio then finds the checksums differ",
			fs[0].Path, fs[0].FlipOffset, fs[0].FlipSize, logWrongChecksum+"..."))
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].At < out[j].At || out[i].At == out[j].At && out[i].Nodes[0] < out[j].Nodes[0]
	})
	return out
}
