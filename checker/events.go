package checker

import "github.com/replsim/replsim/tap"

// The recorded events below come from the node's replication tap
// (tap.Tap) and the harness's operator actions. Seq orders them all: two
// events with the same virtual time happened in Seq order.

// StreamChunk is a piece of a node's replication stream.
type StreamChunk struct {
	Seq    int
	At     int64 // virtual ns
	Node   string
	ReplID string
	// Start is the replication offset before Data.
	Start int64
	Data  []byte
	// Replica says the node applied Data from its master; otherwise it
	// produced Data as a master.
	Replica bool
}

// End is the replication offset after the chunk.
func (c *StreamChunk) End() int64 { return c.Start + int64(len(c.Data)) }

// FullSync is a replica's completed full resynchronisation.
type FullSync struct {
	Seq    int
	At     int64
	Node   string
	Master string // the master it synced from, "host" part only
	ReplID string
	Offset int64
	// RDB is the dataset the master sent; Loaded is the replica's dataset
	// right after loading it. Both sorted by db and key.
	RDB    []tap.KeyValue
	Loaded []tap.KeyValue
}

// Promotion is SLAVEOF NO ONE on a node.
type Promotion struct {
	Seq  int
	At   int64
	Node string
	// Before and After are its dataset just before and just after.
	Before, After []tap.KeyValue
	// Epoch is the master epoch in force just before the promotion.
	Epoch int
	// Was and Now are its replication state before and after.
	Was, Now tap.ReplStatus
}

// Restart is a crashed node starting again from its own files.
type Restart struct {
	Seq       int
	Node      string
	CrashAt   int64 // virtual ns of the crash
	RestartAt int64
	// WasMaster says the node was the master when it crashed; Epoch is
	// the master epoch that ended with the crash (valid if WasMaster).
	WasMaster bool
	Epoch     int
	// Persistence is the node's configuration at the crash.
	Persistence Persistence
	// Loaded is the dataset right after loading its files.
	Loaded []tap.KeyValue
	// Repl is its replication state right after loading. A master whose
	// RDB carried repl-id/repl-offset keeps that history as its secondary
	// ID (ReplID2, valid up to SecondOffset-1) and continues it under its
	// new ReplID, as a promoted node does.
	Repl tap.ReplStatus
}

// Persistence is what a node's configuration promises to keep on disk.
type Persistence struct {
	AppendOnly  bool
	AppendFsync string // always | everysec | no
	// SaveRules says RDB snapshots are taken by `save` rules.
	SaveRules bool
}

// Off reports whether nothing is persisted at all.
func (p Persistence) Off() bool { return !p.AppendOnly && !p.SaveRules }

// RoleChange says a node became master or replica (or went down) at At.
type RoleChange struct {
	At   int64
	Node string
	// Role is "master", "slave" or "down".
	Role string
}

// WaitAck is what a master counted when a WAIT returned: the replicas whose
// acknowledgement reached Offset.
type WaitAck struct {
	Seq      int
	At       int64
	Master   string
	Client   int
	Offset   int64
	Replicas []string
	// Conns are the counted replicas' connections: their remote addresses
	// as the master accepted them ("host:port"), one per connection, as
	// AckReceipt.Conn names them.
	Conns []string
	// Blocked says the WAIT blocked (its acknowledgements were not in hand
	// when it ran), at BlockedAt, asking for Want replicas.
	Blocked   bool
	BlockedAt int64
	Want      int64
	// BlockedClockMs is the master's clock (Unix ms) when the WAIT
	// blocked and TimeoutMs its timeout as the client gave it (0: none).
	BlockedClockMs, TimeoutMs int64
	// ReturnClockMs is the master's clock (Unix ms) when the WAIT
	// returned, and Unblocked says CLIENT UNBLOCK ended it.
	ReturnClockMs int64
	Unblocked     bool
	// Pending says the WAIT never returned (CheckPendingWaits): At is
	// when the harness stopped waiting for it (its client sent more, or
	// its connection closed), the master's process the one it blocked in.
	Pending bool
}
