package checker

import (
	"strconv"
	"strings"
)

// Eviction under maxmemory. A master over maxmemory deletes keys no client
// chose, at an instant no client chose, and propagates each as a DEL. The
// cluster records every eviction its tap reports (tap.EvictTap) as an
// OpEvict on the evicted key, at that instant, in the master's epoch, so
// the checkers judge it as a DEL by a pseudo-client:
//
//   - linearizability: the key is absent after the eviction, and under a
//     volatile-* policy the key must have had a TTL (a key the model knows
//     has none was not the policy's to evict);
//   - the prefix and convergence checks see the propagated DEL in the
//     stream like any other (a DEL that never reached the replicas leaves
//     them with a key the master lost);
//   - durability: an eviction explains a key's absence after a restart,
//     but is never a write the restart must keep (its DEL follows the AOF
//     like any write, with no reply to wait for).
//
// The node's word is taken only for which key went and when; what the key
// held, and whether the policy allowed it, the model decides.

// EvictClient is the Client of an OpEvict: no client sent it.
const EvictClient = -1

// NewEviction is the operation recording that node evicted key of db at
// instant at in master epoch epoch under maxmemory-policy policy.
func NewEviction(node string, epoch, db int, key, policy string, at int64) Op {
	return Op{Client: EvictClient, Node: node, Epoch: epoch, DB: db, Kind: OpEvict, Key: key, Mode: policy,
		Args: []string{"EVICT", key}, Reply: "(evicted under " + policy + ")", Call: at, Return: at}
}

// KeyNamer gives a key a node holds, key of db, the model's name for it:
// the name the operations of a history give it. A client of db N names its
// keys "dN:..." itself; a key MOVEd or COPYed to db N is "dN:"+its name
// there (farKey).
type KeyNamer struct {
	client, far map[dbKey]bool
}

// NewKeyNamer learns the names ops give their keys.
func NewKeyNamer(ops []Op) KeyNamer {
	n := KeyNamer{client: map[dbKey]bool{}, far: map[dbKey]bool{}}
	var visit func(op *Op, db int)
	visit = func(op *Op, db int) {
		for _, k := range []string{op.Key, op.Key2} {
			if k != "" {
				n.client[dbKey{db, k}] = true
			}
		}
		if op.Kind == OpCmd {
			for _, p := range CmdKeys(op.Args) {
				n.client[dbKey{db, op.Args[p]}] = true
			}
			if f, ok := farKey(op); ok {
				n.far[dbKey{f.db, f.key}] = true
			}
		}
		for i := range op.Sub {
			sub := db
			if op.Kind == OpFlush || op.Kind == OpTx {
				sub = op.Sub[i].DB // a transaction's keys after a SELECT
			}
			visit(&op.Sub[i], sub)
		}
	}
	for i := range ops {
		visit(&ops[i], ops[i].DB)
	}
	return n
}

// Name is the model's name of key of db, or false for a key no operation
// names: one from outside the workload, whose "dN:"+key may be another
// key's name. Seed 1069457: a failed fsync dropped the unsynced tail of
// n3's AOF, SELECT 0 included; the writes of db 0 that followed came with
// no SELECT (feedAppendOnlyFile writes one only when aof_selected_db
// changes, and a failed fsync leaves it), so the restarted n3 loaded them
// into db 1. Its db 1 "k3" (with a TTL) is not the model's "d1:k3", a
// client's key with none.
func (n KeyNamer) Name(db int, key string) (string, bool) {
	if n.client[dbKey{db, key}] {
		return key, true
	}
	if far := "d" + strconv.Itoa(db) + ":" + key; n.far[dbKey{db, far}] {
		return far, true
	}
	return "", false
}

// stepEvict judges an eviction: the key goes. A volatile-* policy evicts
// only keys with a TTL, so a key the model knows exists without one
// cannot be its victim.
func stepEvict(st kvState, op *Op) (bool, kvState) {
	if strings.HasPrefix(op.Mode, "volatile-") && !st.unknown && st.exists && !st.ttl {
		return false, st
	}
	return true, kvState{}
}
