package node

import (
	"sort"

	"github.com/replsim/replsim/node/rdb"
)

// Tap observes a node's replication for the checkers. An Env that also
// implements Tap is told, synchronously and from inside the node's own
// entry points, about every change of replicated state. A Tap must not call
// back into the node except through its read-only accessors (Repl, Dataset,
// Digest), and must copy any byte slice it keeps.
type Tap interface {
	// Stream reports bytes p appended to the node's replication stream
	// (backlog and replicas) under replication ID replid; start is the
	// offset before them. On a replica these are exactly the bytes it
	// applied from its master, one command (or one MULTI/EXEC block) at a
	// time; on a master, one call's propagated commands.
	Stream(replid string, start int64, p []byte, replica bool)
	// FullSync reports that the node, a replica, has just loaded a full
	// resynchronisation of replid at offset; rdb is the dataset the RDB
	// carried, sorted by db and key.
	FullSync(replid string, offset int64, rdb []KeyValue)
	// Promote reports that SLAVEOF NO ONE has just run on the node; before
	// and was are its dataset and replication state just before.
	Promote(before []KeyValue, was ReplStatus)
}

// WaitTap is an optional Tap: it learns, each time a WAIT returns, which
// replicas the master counted as having acknowledged offset (their remote
// addresses, as OnAccept gave them) and which client asked.
type WaitTap interface {
	WaitReturned(clientAddr string, offset int64, replicas []string)
}

// tapWait reports a returning WAIT of client c for offset off.
func (n *Node) tapWait(c *client, off int64) {
	t, ok := n.env.(WaitTap)
	if !ok {
		return
	}
	var addrs []string
	for _, rc := range n.repl.ackedBy(off) {
		addrs = append(addrs, rc.addr)
	}
	t.WaitReturned(c.addr, off, addrs)
}

func (n *Node) tap() Tap {
	t, _ := n.env.(Tap)
	return t
}

// tapStream is called by feedRaw before the offset moves.
func (r *replication) tapStream(p []byte) {
	if t := r.n.tap(); t != nil {
		t.Stream(r.replid, r.offset, p, r.isReplica())
	}
}

// tapFullSync is called once a transferred RDB is loaded and the new
// replication ID and offset are in place.
func (n *Node) tapFullSync(snap *rdb.Snapshot) {
	t := n.tap()
	if t == nil {
		return
	}
	var kvs []KeyValue
	for _, db := range snap.DBs {
		for _, e := range db.Entries {
			kvs = append(kvs, KeyValue{DB: db.Index, Key: e.Key, Value: string(e.Value), ExpireAt: e.ExpireAtMs})
		}
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].DB != kvs[j].DB {
			return kvs[i].DB < kvs[j].DB
		}
		return kvs[i].Key < kvs[j].Key
	})
	t.FullSync(n.repl.replid, n.repl.offset, kvs)
}

// tapPromote captures the dataset before SLAVEOF NO ONE and returns the
// function that reports the promotion once it is done; unsetMaster defers it.
func (n *Node) tapPromote() func() {
	t := n.tap()
	if t == nil {
		return func() {}
	}
	before, was := n.Dataset(), n.Repl()
	return func() { t.Promote(before, was) }
}
