// Package intset implements Redis's intset: a sorted array of distinct
// integers stored with the smallest width (16, 32 or 64 bits) that holds
// them all, byte-compatible with Redis 7.0 (intset.c). The bytes are what
// RDB type 11 carries: a 4-byte little-endian width in bytes, a 4-byte
// little-endian count, then the values, little endian, ascending.
package intset

import (
	"encoding/binary"
	"errors"
	"fmt"
)

const hdrSize = 8

// New returns an empty intset of 16-bit width.
func New() []byte { return []byte{2, 0, 0, 0, 0, 0, 0, 0} }

func width(is []byte) int { return int(binary.LittleEndian.Uint32(is)) }

// Len returns the number of values.
func Len(is []byte) int { return int(binary.LittleEndian.Uint32(is[4:])) }

// Get returns the i-th smallest value.
func Get(is []byte, i int) int64 {
	p := hdrSize + i*width(is)
	switch width(is) {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(is[p:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(is[p:])))
	}
	return int64(binary.LittleEndian.Uint64(is[p:]))
}

func put(is []byte, w, i int, v int64) {
	p := hdrSize + i*w
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(is[p:], uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(is[p:], uint32(v))
	default:
		binary.LittleEndian.PutUint64(is[p:], uint64(v))
	}
}

func widthFor(v int64) int {
	switch {
	case v == int64(int16(v)):
		return 2
	case v == int64(int32(v)):
		return 4
	}
	return 8
}

// search returns v's index and true, or the index to insert it at.
func search(is []byte, v int64) (int, bool) {
	lo, hi := 0, Len(is)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		x := Get(is, m)
		switch {
		case x == v:
			return m, true
		case x < v:
			lo = m + 1
		default:
			hi = m
		}
	}
	return lo, false
}

// Find reports whether v is in the set.
func Find(is []byte, v int64) bool {
	if widthFor(v) > width(is) {
		return false
	}
	_, ok := search(is, v)
	return ok
}

// Add inserts v, widening the encoding if needed, and returns the new
// intset and whether v was added.
func Add(is []byte, v int64) ([]byte, bool) {
	n := Len(is)
	w := width(is)
	if vw := widthFor(v); vw > w {
		out := make([]byte, hdrSize+(n+1)*vw)
		binary.LittleEndian.PutUint32(out, uint32(vw))
		binary.LittleEndian.PutUint32(out[4:], uint32(n+1))
		off := 0
		if v < 0 {
			off = 1 // below every value: prepend
			put(out, vw, 0, v)
		} else {
			put(out, vw, n, v)
		}
		for i := 0; i < n; i++ {
			put(out, vw, i+off, Get(is, i))
		}
		return out, true
	}
	i, ok := search(is, v)
	if ok {
		return is, false
	}
	is = append(is, make([]byte, w)...)
	copy(is[hdrSize+(i+1)*w:], is[hdrSize+i*w:hdrSize+n*w])
	put(is, w, i, v)
	binary.LittleEndian.PutUint32(is[4:], uint32(n+1))
	return is, true
}

// Remove deletes v and returns the new intset and whether v was there.
// The width never shrinks, as in Redis.
func Remove(is []byte, v int64) ([]byte, bool) {
	if widthFor(v) > width(is) {
		return is, false
	}
	i, ok := search(is, v)
	if !ok {
		return is, false
	}
	w, n := width(is), Len(is)
	copy(is[hdrSize+i*w:], is[hdrSize+(i+1)*w:hdrSize+n*w])
	is = is[:hdrSize+(n-1)*w]
	binary.LittleEndian.PutUint32(is[4:], uint32(n-1))
	return is, true
}

// Validate checks an intset read from a file as intsetValidateIntegrity
// does deeply: a known width, the size matching the count, at least one
// value, values strictly ascending.
func Validate(is []byte) error {
	if len(is) < hdrSize {
		return errors.New("intset shorter than its header")
	}
	w := width(is)
	if w != 2 && w != 4 && w != 8 {
		return fmt.Errorf("intset has unknown width %d", w)
	}
	n := uint64(Len(is))
	if hdrSize+n*uint64(w) != uint64(len(is)) {
		return fmt.Errorf("intset of %d values of %d bytes has %d bytes", n, w, len(is))
	}
	if n == 0 {
		return errors.New("empty intset")
	}
	for i := 1; i < int(n); i++ {
		if Get(is, i) <= Get(is, i-1) {
			return errors.New("intset values not strictly ascending")
		}
	}
	return nil
}
