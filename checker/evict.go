package checker

import "strings"

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

// stepEvict judges an eviction: the key goes. A volatile-* policy evicts
// only keys with a TTL, so a key the model knows exists without one
// cannot be its victim.
func stepEvict(st kvState, op *Op) (bool, kvState) {
	if strings.HasPrefix(op.Mode, "volatile-") && !st.unknown && st.exists && !st.ttl {
		return false, st
	}
	return true, kvState{}
}
