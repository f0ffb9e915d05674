package node

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/replsim/replsim/tap"
)

// Dataset returns every key (including logically expired ones still held),
// sorted by db and key.
func (n *Node) Dataset() []tap.KeyValue {
	var out []tap.KeyValue
	for i, ks := range n.dbs {
		for _, e := range ks.entries {
			out = append(out, tap.KeyValue{DB: i, Key: e.key, Value: e.val, ExpireAt: e.expireAt})
		}
	}
	tap.SortKeyValues(out)
	return out
}

// Digest returns a hex digest of the dataset that does not depend on the
// order keys were written in (like DEBUG DIGEST; 40 zeros when empty).
func (n *Node) Digest() string {
	var acc [20]byte
	empty := true
	for i, ks := range n.dbs {
		for _, e := range ks.entries {
			empty = false
			h := sha1.New()
			h.Write([]byte{byte(i), byte(i >> 8)})
			h.Write([]byte(e.key))
			h.Write([]byte{0})
			h.Write([]byte(e.val))
			h.Write([]byte{0, byte(e.expireAt), byte(e.expireAt >> 8), byte(e.expireAt >> 16),
				byte(e.expireAt >> 24), byte(e.expireAt >> 32), byte(e.expireAt >> 40)})
			sum := h.Sum(nil)
			for j := range acc {
				acc[j] ^= sum[j]
			}
		}
	}
	if empty {
		return zeroReplID
	}
	return hex.EncodeToString(acc[:])
}

// Repl returns the node's replication state.
func (n *Node) Repl() tap.ReplStatus {
	r := &n.repl
	role := "master"
	if r.isReplica() {
		role = "slave"
	}
	return tap.ReplStatus{
		Role: role, MasterHost: r.masterHost, MasterPort: r.masterPort,
		LinkUp: r.linkUp(), LinkState: r.state.String(),
		ReplID: r.replid, ReplID2: r.replid2, Offset: r.offset, SecondOffset: r.secondOffset,
		Replicas: len(r.replicas), SyncFull: n.stats.syncFull, SyncPartialOK: n.stats.syncPartialOK,
	}
}

// LinkState is the replica link's state as Repl reports it ("none" on a
// master), without building the whole status: drivers ask after every event.
func (n *Node) LinkState() (replica bool, state string) {
	return n.repl.isReplica(), n.repl.state.String()
}

// Hz is the configured hz, without copying the Config.
func (n *Node) Hz() int { return n.cfg.Hz }
