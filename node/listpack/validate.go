package listpack

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Validate checks that lp is a well-formed listpack, as lpValidateIntegrity
// does with deep checking: the header's total length, every entry's
// encoding and back-length inside the buffer, the terminator last, and the
// element count (unless the header says unknown). It returns the number of
// elements.
func Validate(lp []byte) (int, error) {
	if len(lp) < hdrSize+1 {
		return 0, errors.New("listpack shorter than its header")
	}
	if int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return 0, fmt.Errorf("listpack header says %d bytes, has %d", binary.LittleEndian.Uint32(lp), len(lp))
	}
	if lp[len(lp)-1] != eof {
		return 0, errors.New("listpack does not end with its terminator")
	}
	p, n := hdrSize, 0
	end := len(lp) - 1
	for p < end {
		l, ok := safeEncodedSize(lp, p, end)
		if !ok {
			return 0, fmt.Errorf("listpack entry %d at byte %d is invalid or out of bounds", n, p)
		}
		bl := backlenSize(l)
		if p+l+bl > end {
			return 0, fmt.Errorf("listpack entry %d at byte %d runs past the end", n, p)
		}
		if Prev(lp[:p+l+bl+1], p+l+bl) != p {
			return 0, fmt.Errorf("listpack entry %d at byte %d has a wrong back-length", n, p)
		}
		p += l + bl
		n++
	}
	if c := count(lp); c >= 0 && c != n {
		return 0, fmt.Errorf("listpack header says %d elements, has %d", c, n)
	}
	return n, nil
}

// safeEncodedSize is encodedSize reading nothing at or past end.
func safeEncodedSize(lp []byte, p, end int) (int, bool) {
	b := lp[p]
	need := 1
	switch {
	case b&0xF0 == 0xE0 && b != 0xF0, b&0xE0 == 0xC0:
		need = 2
	case b == 0xF0:
		need = 5
	case b == eof || (b > 0xF4 && b != eof):
		return 0, false
	}
	if p+need > end {
		return 0, false
	}
	l := encodedSize(lp, p)
	if l < need || p+l > end || l < 0 {
		return 0, false
	}
	return l, true
}
