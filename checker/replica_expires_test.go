package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplicaExpires(t *testing.T) {
	const s = int64(1e9)
	ops := []Op{
		{Node: "r", Kind: OpSet, Key: "a", TTL: 500, Call: 1 * s, Return: 1*s + 1},
		{Node: "r", Kind: OpSet, Key: "b", TTL: 500, Call: 5 * s, Return: 5*s + 1},
		{Node: "r", Kind: OpSet, Key: "b", TTL: 500, Call: 6 * s, Return: 6*s + 1},
		{Node: "r", Kind: OpSet, Key: "c", TTL: 500, Call: 3 * s, Return: 3*s + 1, Unknown: true}, // may run late
		{Node: "m", Kind: OpSet, Key: "d", Call: 5 * s, Return: 5*s + 1},
		{Node: "r", Kind: OpIncr, Key: "e", Call: 5 * s, Return: 5*s + 1},                                       // gives no TTL
		{Node: "r", Kind: OpCmd, Args: []string{"HSET", "f", "x", "1"}, Key: "f", Call: 5 * s, Return: 5*s + 1}, // nor this
		{Node: "r", Kind: OpTx, Sub: []Op{{Kind: OpExpire, Key: "g"}}, Call: 9 * s, Return: 9*s + 1},
	}
	sample := func(at int64, full bool, tracked, volatile int) ReplicaExpiresSample {
		return ReplicaExpiresSample{Node: "r", Gen: 1, At: at, FullSync: full, Replica: true, Tracked: tracked, Volatile: volatile}
	}
	good := []ReplicaExpiresSample{
		sample(1*s, false, 2, 3),                                 // before any full sync: an AOF load may have given TTLs
		sample(4*s, true, 0, -1),                                 // the full sync's load
		sample(5*s, false, 1, 1),                                 // c (unknown) and b since
		sample(6*s+5, false, 2, 1),                               // b twice is one name; c
		sample(7*s, false, 0, 0),                                 // drained
		sample(8*s, false, 0, 3),                                 // nothing tracked
		{Node: "r", Gen: 1, At: 9 * s, Tracked: 2, Volatile: -1}, // a master keeps its dict
	}
	in := ReplicaExpiresInput{Ops: ops, Samples: good}
	assert.Empty(t, CheckReplicaExpires(in))
	// A DEBUG LOADAOF after the full sync may bring names of the AOF.
	in.Reloads = []Reload{{Node: "r", At: 4*s + 2}}
	in.Samples = append(good[:3:3], sample(6*s, false, 5, 5))
	assert.Empty(t, CheckReplicaExpires(in))

	for i, bad := range []ReplicaExpiresSample{
		sample(4*s+1, true, 1, -1), // left after a full sync
		sample(6*s+5, false, 3, 1), // more than the names b and c
		sample(7*s, false, 1, 0),   // not drained with no TTL to come
		sample(7*s, false, -1, 0),  // not a count
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			v := CheckReplicaExpires(ReplicaExpiresInput{Ops: ops, Samples: append(good[:2:2], bad)})
			require.Len(t, v, 1, "%v", v)
			assert.Equal(t, "replica_expires", v[0].Check)
		})
	}
}
