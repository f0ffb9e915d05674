package node

// A SCAN cursor here walks a dense slice (the keyspace's entries, a hash's
// pairs, a set's members, a zset's members) from its end towards position
// 0: cursor c, 0 < c <= len, means that the positions below c are still to
// visit; 0 starts (at the end) and 0 ends. Each call visits at most COUNT
// positions, so a full iteration costs O(len) in all.
//
// The collections grow by appending and shrink by swap-remove (the last
// element moves into the hole), and nothing else reorders them. So an
// element not yet visited (below the cursor) only ever moves when it is
// the last one, and then to a lower position, still below the cursor: an
// element present from the start to the end of an iteration is returned
// at least once. An element that was already visited may move below the
// cursor and be returned again, and one added meanwhile may or may not be
// returned, as Redis allows. The cursor is a plain position, so it stays
// meaningful however the slice grows or shrinks (one beyond the end is
// clamped to it).

// denseScan returns the positions [lo, hi) of a slice of length n that a
// call with cursor visits for count, and the cursor after them.
func denseScan(n int, cursor uint64, count int64) (lo, hi int, next uint64) {
	hi = n
	if cursor != 0 && cursor < uint64(n) {
		hi = int(cursor)
	}
	lo = 0
	if count < int64(hi) {
		lo = hi - int(count)
	}
	return lo, hi, uint64(lo)
}
