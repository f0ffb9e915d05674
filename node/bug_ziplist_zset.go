package node

import (
	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
)

// zsetZiplistType is RDB_TYPE_ZSET_ZIPLIST, a DUMP payload's first byte
// for a sorted set in the pre-7.0 ziplist encoding.
const zsetZiplistType = 12

// swapFirstScores swaps the scores of the first two members of a sorted
// set read as a listpack (BugZiplistZsetScoresSwapped).
func swapFirstScores(e *rdb.Entry) {
	if e.Type != rdb.TypeZsetListpack {
		return
	}
	els := listpackStrings(e.Value)
	if len(els) >= 4 {
		els[1], els[3] = els[3], els[1]
		e.Value = listpack.FromStrings(els)
	}
}
