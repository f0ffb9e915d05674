package rdb

import (
	"fmt"
	"sync"
)

// LZF stream format (liblzf), a sequence of:
//
//	000LLLLL <L+1 bytes>        literal run of L+1 = 1..32 bytes
//	LLLooooo oooooooo           back reference of L+2 = 3..8 bytes
//	111ooooo LLLLLLLL oooooooo  back reference of L+9 = 9..264 bytes
//
// where the reference starts o+1 = 1..8192 bytes before the output position.
//
// The compressor reproduces liblzf 3.6 as built into Redis (HLOG 16,
// VERY_FAST), including its conservative output-space checks, so that
// Redis and this package choose LZF for exactly the same strings and emit
// the same bytes.
const (
	lzfHashLog = 16
	lzfMaxLit  = 1 << 5
	lzfMaxOff  = 1 << 13
	lzfMaxRef  = 1<<8 + 1<<3
	// lzfMaxExpansion bounds how many output bytes one input byte can
	// produce: a 3-byte back reference yields at most 264 bytes.
	lzfMaxExpansion = lzfMaxRef / 3
)

// lzfTable is the compressor's hash table of earlier positions. Entries are
// stored as base+pos+1, so a table can be reused for many inputs without
// clearing: entries below the current base belong to earlier inputs and
// read as empty, which makes the output independent of earlier use.
type lzfTable struct {
	slot [1 << lzfHashLog]uint32
	base uint32
	// scratch holds compressed output before its length is known.
	scratch []byte
}

var lzfTables = sync.Pool{New: func() any { return new(lzfTable) }}

func lzfIndex(h uint32) uint32 {
	return ((h >> (3*8 - lzfHashLog)) - h*5) & (1<<lzfHashLog - 1)
}

// start prepares the table for an input of n bytes.
func (t *lzfTable) start(n int) {
	if uint64(t.base)+uint64(n)+2 > 1<<32-1 {
		clear(t.slot[:])
		t.base = 0
	}
}

// finish retires all entries of an input of n bytes.
func (t *lzfTable) finish(n int) {
	t.base += uint32(n) + 1
}

// LZFCompress appends the LZF compression of src to dst. It returns nil
// when the compressed form does not fit in len(src)-1 bytes, judged with
// liblzf's conservative space checks (so some borderline inputs that would
// just fit are refused, exactly as lzf_compress refuses them).
func LZFCompress(dst, src []byte) []byte {
	if len(src) < 2 {
		return nil
	}
	t := lzfTables.Get().(*lzfTable)
	defer lzfTables.Put(t)
	out, ok := lzfCompress(t, dst, src, len(src)-1)
	if !ok {
		return nil
	}
	return out
}

// lzfCompress appends the compression of in to dst if liblzf's
// lzf_compress(in, out, outLen) would succeed, and reports whether it did.
func lzfCompress[S string | []byte](t *lzfTable, dst []byte, in S, outLen int) ([]byte, bool) {
	inLen := len(in)
	if inLen == 0 || outLen <= 0 {
		return dst, false
	}
	start := len(dst)
	dst = grow(dst, outLen+1)
	o := dst[start : start+outLen+1]
	t.start(inLen)
	defer t.finish(inLen)

	ip, op, lit := 0, 1, 0 // op 0 is the header of the first literal run
	var hval uint32
	if inLen >= 2 {
		hval = uint32(in[0])<<8 | uint32(in[1])
	}
	for ip < inLen-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := &t.slot[lzfIndex(hval)]
		ref := int(int64(*slot) - int64(t.base) - 1) // -1 or less: empty
		*slot = t.base + uint32(ip) + 1

		if ref > 0 && ref < ip && ip-ref-1 < lzfMaxOff &&
			in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			off := ip - ref - 1
			maxLen := min(inLen-ip-2, lzfMaxRef)
			if op+3+1 >= outLen && op-b2i(lit == 0)+3+1 >= outLen {
				return dst[:start], false
			}
			o[op-lit-1] = byte(lit - 1) // close the literal run
			op -= b2i(lit == 0)         // or drop it when empty

			n := matchLen(in, ref, ip, maxLen)
			n -= 2
			ip++
			if n < 7 {
				o[op] = byte(off>>8 + n<<5)
				op++
			} else {
				o[op] = byte(off>>8 + 7<<5)
				o[op+1] = byte(n - 7)
				op += 2
			}
			o[op] = byte(off)
			op++
			lit = 0
			op++ // header of the next literal run
			ip += n + 1
			if ip >= inLen-2 {
				break
			}
			// VERY_FAST: hash only the last two positions of the match.
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			for range 2 {
				hval = hval<<8 | uint32(in[ip+2])
				t.slot[lzfIndex(hval)] = t.base + uint32(ip) + 1
				ip++
			}
			continue
		}

		if op >= outLen {
			return dst[:start], false
		}
		o[op] = in[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			o[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}

	if op+3 > outLen {
		return dst[:start], false
	}
	for ip < inLen {
		o[op] = in[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			o[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	o[op-lit-1] = byte(lit - 1)
	op -= b2i(lit == 0)
	return dst[:start+op], true
}

// matchLen returns how far in[ref:] and in[ip:] agree, given that their
// first three bytes do, following liblzf's exact stopping rule (which may
// stop at maxLen or run a little past it, but never past the input).
func matchLen[S string | []byte](in S, ref, ip, maxLen int) int {
	n := 2
	if maxLen > 16 {
		for range 16 {
			n++
			if in[ref+n] != in[ip+n] {
				return n
			}
		}
	}
	for {
		n++
		if n >= maxLen || in[ref+n] != in[ip+n] {
			return n
		}
	}
}

// LZFDecompress appends the decompression of src to dst. The result must
// be exactly ulen bytes long; anything else is an error.
func LZFDecompress(dst []byte, src []byte, ulen int) ([]byte, error) {
	if ulen < 0 {
		return dst, fmt.Errorf("lzf: negative length %d", ulen)
	}
	if ulen/lzfMaxExpansion > len(src) {
		return dst, fmt.Errorf("lzf: %d compressed bytes cannot expand to %d", len(src), ulen)
	}
	start := len(dst)
	dst = grow(dst, ulen)
	end := start + ulen
	ip := 0
	for ip < len(src) {
		ctrl := int(src[ip])
		ip++
		if ctrl < 1<<5 {
			n := ctrl + 1
			if len(dst)+n > end {
				return dst[:start], fmt.Errorf("lzf: output longer than %d bytes", ulen)
			}
			if ip+n > len(src) {
				return dst[:start], fmt.Errorf("lzf: literal run of %d bytes at input %d is truncated", n, ip-1)
			}
			dst = append(dst, src[ip:ip+n]...)
			ip += n
			continue
		}
		n := ctrl >> 5
		if ip >= len(src) {
			return dst[:start], fmt.Errorf("lzf: back reference at input %d is truncated", ip-1)
		}
		if n == 7 {
			n += int(src[ip])
			ip++
			if ip >= len(src) {
				return dst[:start], fmt.Errorf("lzf: back reference at input %d is truncated", ip-2)
			}
		}
		n += 2
		ref := len(dst) - (ctrl&0x1f)<<8 - 1 - int(src[ip])
		ip++
		if len(dst)+n > end {
			return dst[:start], fmt.Errorf("lzf: output longer than %d bytes", ulen)
		}
		if ref < start {
			return dst[:start], fmt.Errorf("lzf: back reference before the start of output at input %d", ip)
		}
		if ref+n <= len(dst) {
			dst = append(dst, dst[ref:ref+n]...)
		} else {
			for i := range n { // overlaps the bytes it produces
				dst = append(dst, dst[ref+i])
			}
		}
	}
	if len(dst) != end {
		return dst[:start], fmt.Errorf("lzf: output is %d bytes, want %d", len(dst)-start, ulen)
	}
	return dst, nil
}

// grow makes room for n more bytes in b's capacity without changing its length.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n+len(b)/2)
		copy(nb, b)
		return nb
	}
	return b
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
