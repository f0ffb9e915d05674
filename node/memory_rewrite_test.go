package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The keyspace's memory count follows strings changed in place (APPEND,
// SETRANGE), as it follows SET: it always equals the sum over the entries.
func TestMemoryCountFollowsInPlaceRewrites(t *testing.T) {
	tn := startNode(t, DefaultConfig(), nil)
	recount := func() int64 {
		var sum int64
		ks := tn.n.dbs[0]
		for i := range ks.entries {
			e := &ks.entries[i]
			sum += entryMem(e.key, e.val, e.expireAt)
		}
		return sum
	}
	tn.do("SET", "k", "v")
	tn.do("APPEND", "k", "a much longer tail that moves the string to another size class")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	tn.do("SETRANGE", "k", "200", "x")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
	tn.do("APPEND", "new", "fresh")
	assert.Equal(t, recount(), tn.n.dbs[0].mem)
}
