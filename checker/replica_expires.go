package checker

import (
	"fmt"
	"strings"
)

// ReplicaExpiresSample is a node's INFO stats slave_expires_tracked_keys:
// how many key names its dict of keys a client gave a TTL while it was a
// writable replica holds (Redis 7.0.15 expire.c, slaveKeysWithExpire).
type ReplicaExpiresSample struct {
	Node string
	Gen  int
	// At is the virtual time (ns) of the read.
	At int64
	// FullSync says the read came right after a full sync's load; else
	// it came after a serverCron run, which ran the expire cycle.
	FullSync bool
	// Replica says the node was a replica.
	Replica bool
	// Tracked is the field's value (-1 if it was no number).
	Tracked int
	// Volatile is, when read after the cycle of a replica with tracked
	// keys, how many of its keys had a TTL that cycle could not have
	// passed (at or after its clock's millisecond less one); else -1.
	Volatile int
}

// ReplicaExpiresInput is what CheckReplicaExpires reads.
type ReplicaExpiresInput struct {
	// Ops is every client's history.
	Ops     []Op
	Reloads []Reload
	Samples []ReplicaExpiresSample
}

// What Redis 7.0.15 does with the dict (expire.c):
//   - setExpire remembers the key's name (rememberSlaveKeyWithExpire)
//     when a client's command gives it a TTL on a writable replica: the
//     dict never holds a name no client command named on the node;
//   - emptyData(-1), which a full sync's load runs (readSyncBulkPayload),
//     like FLUSHALL, releases it (flushSlaveKeysWithExpireList): it is
//     empty right after the load;
//   - a replica's cron (databasesCron -> expireSlaveKeys) picks names at
//     random and, for each db of its bitmap, deletes the key if its TTL
//     passed, keeps the bit only if the key is still there with a TTL
//     not passed, and drops the name with no bit left; it stops after
//     more than three kept bits, when the dict is empty, or after 1 ms
//     (checked every 64 picks). With no key of the replica's whose TTL
//     the cycle cannot have passed, nothing is kept, so a run empties a
//     dict of at most 64 names.

// replicaExpiresDrained is the most names one expire cycle surely drops
// (Redis checks its 1 ms limit every 64 picks).
const replicaExpiresDrained = 64

// CheckReplicaExpires judges slave_expires_tracked_keys (see above): 0
// right after a full sync; since then, no more than the key names
// clients' commands that may have run after it named on the node (an AOF
// loaded at a start or by DEBUG LOADAOF gives TTLs through a client too,
// so only a full sync's empty dict is a known start); and 0 after a
// replica's cycle that found no TTL it could not have passed.
func CheckReplicaExpires(in ReplicaExpiresInput) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	since := map[genKey]int64{} // the latest full sync's read, per incarnation
	var out []Violation
	bad := func(s *ReplicaExpiresSample, format string, args ...any) {
		out = append(out, Violation{Check: "replica_expires", Nodes: []string{s.Node}, At: s.At,
			Detail: fmt.Sprintf("%s (incarnation %d): INFO slave_expires_tracked_keys:%d ", s.Node, s.Gen, s.Tracked) + fmt.Sprintf(format, args...)})
	}
	for i := range in.Samples {
		s := &in.Samples[i]
		k := genKey{s.Node, s.Gen}
		if s.FullSync {
			since[k] = s.At
		}
		switch {
		case s.Tracked < 0:
			bad(s, "is no count")
		case s.Tracked == 0:
		case s.FullSync:
			bad(s, "right after a full sync's load, which empties the dict (emptyData(-1) -> flushSlaveKeysWithExpireList)")
		case since[k] != 0 && !reloadedBetween(in.Reloads, s.Node, since[k], s.At) && s.Tracked > namesSince(in.Ops, s.Node, since[k], s.At):
			bad(s, "but clients' commands that may have run on it since its full sync at %.3f s named only %d keys: the dict holds names a client's command gave a TTL (rememberSlaveKeyWithExpire)",
				float64(since[k])/1e9, namesSince(in.Ops, s.Node, since[k], s.At))
		case s.Replica && s.Volatile == 0 && s.Tracked <= replicaExpiresDrained:
			bad(s, "after its expire cycle, though none of its keys had a TTL the cycle could not have passed: expireSlaveKeys drops every name then")
		}
	}
	return out
}

// namesSince counts the key names of node's operations that may have run
// between from and to and may have given a key a TTL.
func namesSince(ops []Op, node string, from, to int64) int {
	names := map[string]bool{}
	for i := range ops {
		op := &ops[i]
		if op.Node != node || !mayGiveTTL(op) || op.Call > to || (op.Return < from && !op.Unknown) {
			continue
		}
		for _, k := range opKeys(op) {
			names[k] = true
		}
	}
	return len(names)
}

// reloadedBetween says node ran DEBUG RELOAD or LOADAOF between from and
// to.
func reloadedBetween(reloads []Reload, node string, from, to int64) bool {
	for _, r := range reloads {
		if r.Node == node && r.At >= from && r.At <= to {
			return true
		}
	}
	return false
}

// ttlCommands are the commands that give a key a TTL in Redis 7.0.15
// (the callers of setExpire: setGenericCommand, getexCommand,
// expireGenericCommand, renameGenericCommand, moveCommand, copyCommand,
// restoreCommand), and the scripts, which may run any of them.
var ttlCommands = map[string]bool{"SET": true, "SETEX": true, "PSETEX": true, "GETEX": true, "EXPIRE": true, "PEXPIRE": true,
	"EXPIREAT": true, "PEXPIREAT": true, "RENAME": true, "RENAMENX": true, "MOVE": true, "COPY": true, "RESTORE": true,
	"EVAL": true, "EVALSHA": true, "EVAL_RO": true, "EVALSHA_RO": true, "FCALL": true, "FCALL_RO": true}

// mayGiveTTL says whether op may have given one of its keys a TTL.
func mayGiveTTL(op *Op) bool {
	switch op.Kind {
	case OpSet, OpSetNX, OpSetXX, OpSetGet, OpExpire, OpRename, OpMulti:
		return true
	case OpCmd:
		return len(op.Args) == 0 || ttlCommands[strings.ToUpper(op.Args[0])]
	case OpTx:
		for i := range op.Sub {
			if mayGiveTTL(&op.Sub[i]) {
				return true
			}
		}
	}
	return false
}
