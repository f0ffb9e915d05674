// Package tap is the neutral contract between a node and the checkers that
// judge it: what a node reports while it runs (Tap, WaitTap) and the shapes
// of what the checkers read (KeyValue datasets, ReplStatus). It imports
// nothing of the node or of the simulator, so the checkers judge any
// implementation that reports these, and the node knows nothing of them.
package tap

import "slices"

// KeyValue is one key as the checkers see it.
type KeyValue struct {
	DB  int
	Key string
	// Type is the value's type: TypeString ("") or a collection's.
	Type string
	// Value is the string, or a collection's canonical encoding (see
	// EncodeSet, EncodeHash, EncodeZset, EncodeList).
	Value    string
	ExpireAt int64 // Unix ms, 0 = none
}

// SortKeyValues sorts kvs by db, then key: the order every dataset the
// contract carries is in.
func SortKeyValues(kvs []KeyValue) {
	slices.SortFunc(kvs, func(a, b KeyValue) int {
		if a.DB != b.DB {
			return a.DB - b.DB
		}
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
}

// ReplStatus is a read-only view of a node's replication state.
type ReplStatus struct {
	Role         string // "master" or "slave"
	MasterHost   string
	MasterPort   int
	LinkUp       bool
	LinkState    string
	ReplID       string
	ReplID2      string
	Offset       int64
	SecondOffset int64
	Replicas     int
	// Backlog says a replication backlog exists (INFO's
	// repl_backlog_active).
	Backlog bool
	// CachedMaster says a replica keeps a master's history to offer with
	// PSYNC (Redis's server.master or server.cached_master).
	CachedMaster  bool
	SyncFull      int64
	SyncPartialOK int64
}

// Tap observes a node's replication for the checkers. An environment that
// also implements Tap is told, synchronously and from inside the node's own
// entry points, about every change of replicated state. A Tap must not call
// back into the node except through its read-only accessors, and must copy
// any byte slice it keeps.
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
// addresses, as the node accepted them), which client asked, and whether
// CLIENT UNBLOCK ended it.
type WaitTap interface {
	WaitReturned(clientAddr string, offset int64, replicas []string, unblocked bool)
}

// WaitBlockTap is an optional Tap: it learns of each WAIT that blocks (its
// acknowledgements were not in hand when it ran), with the offset it waits
// for, its numreplicas and its timeout in ms (0: none); WaitTap then
// reports its return.
type WaitBlockTap interface {
	WaitBlocked(clientAddr string, offset, numReplicas, timeoutMs int64)
}

// AckTap is an optional Tap: it learns of each REPLCONF ACK a master
// takes from an attached replica (its remote address, as the node accepted
// it) and the offset acknowledged.
type AckTap interface {
	ReplicaAcked(replicaAddr string, offset int64)
}

// BacklogTap is an optional Tap: it learns of each partial resync a
// master serves, and the bytes of its backlog it sends after +CONTINUE,
// the first of them at replication offset first.
type BacklogTap interface {
	BacklogServed(replicaAddr string, first int64, p []byte)
}

// PersistCronTap is an optional Tap: it learns when a tick reaches
// serverCron's persistence part (a pending SYNC fork, a scheduled rewrite
// or BGSAVE, the save points), so what that part logs can be told from
// what the tick did before it (held events, the shutdown's cron).
type PersistCronTap interface {
	PersistCronStarted()
}

// EvictTap is an optional Tap: it learns of each key the node evicted
// under maxmemory, when it did, and the maxmemory-policy in force. The
// node also propagates the eviction as a DEL, which Stream reports; this
// tells the checkers that no client sent it.
type EvictTap interface {
	Evicted(db int, key, policy string)
}

// KeyEncoding is a key's value and its OBJECT ENCODING.
type KeyEncoding struct {
	KeyValue
	Encoding string
}
