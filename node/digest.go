package node

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// digest is DEBUG DIGEST's 20-byte accumulator, combined exactly as
// Redis's debug.c does: xor folds in the SHA1 of some bytes (order-free),
// mix folds them in and then rehashes (order matters).
type digest [20]byte

func (d *digest) xor(p []byte) {
	sum := sha1.Sum(p)
	for i := range d {
		d[i] ^= sum[i]
	}
}

func (d *digest) xorString(s string) { d.xor([]byte(s)) }

func (d *digest) mix(p []byte) {
	d.xor(p)
	*d = sha1.Sum(d[:])
}

func (d *digest) mixString(s string) { d.mix([]byte(s)) }

// xorDigest is xorDigest(d, o, 20): d ^= SHA1(o).
func (d *digest) xorDigest(o *digest) { d.xor(o[:]) }

func (d *digest) hex() string { return hex.EncodeToString(d[:]) }

// digester is a collection that can fold its elements into a digest the
// way xorObjectDigest does for its type.
type digester interface {
	digest(d *digest)
}

// valueDigest is xorObjectDigest: the type, the value, and the expiry
// marker, mixed into d.
func valueDigest(d *digest, e *entry) {
	var t [4]byte
	binary.BigEndian.PutUint32(t[:], uint32(e.kind()))
	d.mix(t[:])
	if dg, ok := e.obj.(digester); ok {
		dg.digest(d)
	} else {
		d.mixString(e.val)
	}
	if e.expireAt != 0 {
		d.xorString("!!expire!!")
	}
}

// Digest returns DEBUG DIGEST's value for the dataset: the same as Redis
// 7.0's for the same data (40 zeros when empty). Logically expired keys
// still held count, as in Redis.
func (n *Node) Digest() string {
	var final digest
	for i, ks := range n.dbs {
		if ks.len() == 0 {
			continue
		}
		var id [4]byte
		binary.BigEndian.PutUint32(id[:], uint32(i))
		final.mix(id[:])
		for j := range ks.entries {
			e := &ks.entries[j]
			var d digest
			d.mixString(e.key)
			valueDigest(&d, e)
			final.xorDigest(&d)
		}
	}
	return final.hex()
}

// formatG17 is C's "%.17g", as Redis prints a double for digests and
// RESP2 replies.
func formatG17(f float64) string {
	return strconv.FormatFloat(f, 'g', 17, 64)
}
