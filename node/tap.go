package node

import (
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/tap"
)

// tapWait reports a returning WAIT of client c for offset off;
// unblocked says CLIENT UNBLOCK ended it.
func (n *Node) tapWait(c *client, off int64, unblocked bool) {
	t, ok := n.env.(tap.WaitTap)
	if !ok {
		return
	}
	var addrs []string
	for _, rc := range n.repl.ackedBy(off) {
		addrs = append(addrs, rc.addr)
	}
	t.WaitReturned(c.addr, off, addrs, unblocked)
}

// tapPersistCron reports that persistCron begins.
func (n *Node) tapPersistCron() {
	if t, ok := n.env.(tap.PersistCronTap); ok {
		t.PersistCronStarted()
	}
}

func (n *Node) observer() tap.Tap {
	t, _ := n.env.(tap.Tap)
	return t
}

// tapStream is called by feedRaw before the offset moves.
func (r *replication) tapStream(p []byte) {
	if t := r.n.observer(); t != nil {
		t.Stream(r.replid, r.offset, p, r.isReplica())
	}
}

// tapBacklog reports the backlog a partial resync of replica c sends,
// from offset first.
func (n *Node) tapBacklog(c *client, first int64, p []byte) {
	if t, ok := n.env.(tap.BacklogTap); ok {
		t.BacklogServed(c.addr, first, p)
	}
}

// tapFullSync is called once a transferred RDB is loaded and the new
// replication ID and offset are in place.
func (n *Node) tapFullSync(snap *rdb.Snapshot) {
	t := n.observer()
	if t == nil {
		return
	}
	var kvs []tap.KeyValue
	for _, db := range snap.DBs {
		for i := range db.Entries {
			kvs = append(kvs, n.rdbKeyValue(db.Index, &db.Entries[i]))
		}
	}
	tap.SortKeyValues(kvs)
	t.FullSync(n.repl.replid, n.repl.offset, kvs)
}

// tapPromote captures the dataset before SLAVEOF NO ONE and returns the
// function that reports the promotion once it is done; unsetMaster defers it.
func (n *Node) tapPromote() func() {
	t := n.observer()
	if t == nil {
		return func() {}
	}
	before, was := n.Dataset(), n.Repl()
	return func() { t.Promote(before, was) }
}

// addWaiter blocks w's client in WAIT and tells the tap when it did.
func (n *Node) addWaiter(w *waiter) {
	n.waiters = append(n.waiters, w)
	if t, ok := n.env.(tap.WaitBlockTap); ok {
		t.WaitBlocked(w.c.addr, w.offset, w.want, w.timeout)
	}
}
