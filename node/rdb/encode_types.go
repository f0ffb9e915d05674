package rdb

import (
	"encoding/binary"
	"math"
)

// appendValue appends e's value in the encoding of e.Type, as rdbSaveObject
// does: blobs (intset, listpack) and strings through rdbSaveRawString,
// table encodings as a length and their elements, sorted set scores as
// little-endian binary doubles, quicklist nodes as a container kind (1
// plain, 2 packed) and the node's bytes.
func appendValue(dst []byte, t *lzfTable, e *Entry) []byte {
	switch e.Type {
	case TypeSet, TypeHash:
		n := len(e.Items)
		if e.Type == TypeHash {
			n /= 2
		}
		dst = appendLen(dst, uint64(n))
		for _, s := range e.Items {
			dst = appendString(dst, t, s)
		}
		return dst
	case TypeZset2:
		dst = appendLen(dst, uint64(len(e.Items)))
		for i, m := range e.Items {
			dst = appendString(dst, t, m)
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(e.Scores[i]))
		}
		return dst
	case TypeListQuicklist2:
		dst = appendLen(dst, uint64(len(e.Nodes)))
		for _, nd := range e.Nodes {
			if nd.Plain {
				dst = appendLen(dst, 1)
			} else {
				dst = appendLen(dst, 2)
			}
			dst = appendString(dst, t, nd.Data)
		}
		return dst
	}
	return appendString(dst, t, e.Value)
}
