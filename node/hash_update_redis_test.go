package node_test

import "testing"

// TestHashUpdateConvertsLikeRedis: after hash-max-listpack-entries is
// lowered below a hash's length, updating an existing field converts it
// (hashTypeSet checks the length after an update too). Found by the
// differential suite.
func TestHashUpdateConvertsLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines("HSET h a 1 b 2 c 3", "CONFIG SET hash-max-listpack-entries 2", "OBJECT ENCODING h",
		"HSET h a 9", "OBJECT ENCODING h", "HSET g a 1 b 2 c 3", "HINCRBY g a 1", "OBJECT ENCODING g",
		"HSET k a 1 b 2 c 3", "HSETNX k a 2", "OBJECT ENCODING k", "CONFIG SET hash-max-listpack-entries 512")
	v.sameDigest("h", "g", "k")
}
