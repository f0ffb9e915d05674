package checker

import (
	"sort"
	"strings"

	"github.com/replsim/replsim/tap"
)

// An AOF load on a writable replica. Redis 7.0.15 replays the AOF's
// commands through a fake client that is not its master (createAOFClient),
// so each TTL they set on a replica with replica-read-only no is
// remembered as the replica's own (setExpire -> rememberSlaveKeyWithExpire,
// db.c), and the replica's cron deletes the key once that TTL passes on
// its clock (expireSlaveKeys), though the master, which still has it, sends
// no DEL; nor does the replica send one to its own replicas. Its siblings
// keep the key until their master's DEL, so when the replica is promoted
// they hold a key it lacks (chaos seed 30839: writable replica n3's
// DEBUG LOADAOF, its master crashed before expiring k7, n3 deleted k7 at
// its TTL, was promoted, and its sibling n1, partially resynced, kept k7).
// Checked against redis-server 7.0.15 with a master whose expiry was off
// (DEBUG SET-ACTIVE-EXPIRE 0): after DEBUG LOADAOF, or a restart from its
// AOF with the master out of reach, the writable replica's DBSIZE dropped
// by the keys given a TTL in its incr file and expired_keys counted them;
// without the load it kept them. A start or load from an RDB file (the AOF's
// RDB base included) sets TTLs with no client and remembers nothing.

// aofLoadExpiries returns, for each AOF load on a node that was then a
// writable replica (a DEBUG LOADAOF, a restart with appendonly yes), a DEL
// on that node at the load of each key with a TTL just before or after
// it, or given one by any write before it (the replay may have set it): the replica may delete any of them itself, from then on until a full
// sync replaces its dataset (newTaints). Keys of the RDB base file are
// among them (the dataset does not say which file a key came from).
func aofLoadExpiries(reloads []Reload, restarts []Restart, log settingsLog, ops []Op) []Op {
	writable := func(c SettingsChange) bool { return !c.Down && c.Replica && !c.ReadOnly }
	// A key given a TTL anywhere before the load may have had one at some
	// command of the AOF's replay, though not before or after it: the
	// loading client's setExpire remembers it all the same (seed 61847: a
	// key deleted later in the replay, recreated by the master with a TTL
	// already past on the replica's clock, which expireSlaveKeys then
	// deleted there).
	firstTTL := map[dbKey]int64{}
	for i := range ops {
		op := &ops[i]
		for _, k := range ttlGiven(op) {
			dk := dbKey{op.DB, k}
			if at, ok := firstTTL[dk]; !ok || op.Call < at {
				firstTTL[dk] = op.Call
			}
		}
	}
	given := sortedDBKeys(firstTTL)
	var out []Op
	add := func(node string, at int64, data ...[]tap.KeyValue) {
		seen := map[dbKey]bool{}
		del := func(k dbKey) {
			if !seen[k] {
				seen[k] = true
				out = append(out, Op{Node: node, Kind: OpDel, DB: k.db, Key: k.key, Int: 1, Call: at, Return: at, Inferred: true})
			}
		}
		for _, kvs := range data {
			for _, kv := range kvs {
				if kv.ExpireAt != 0 {
					del(dbKey{kv.DB, kv.Key})
				}
			}
		}
		for _, k := range given {
			if firstTTL[k] < at {
				del(k)
			}
		}
	}
	for i := range reloads {
		r := &reloads[i]
		cs := log[r.Node]
		if j := inForce(cs, r.At); j >= 0 && writable(cs[j]) && len(r.Args) > 1 && strings.EqualFold(r.Args[1], "LOADAOF") {
			add(r.Node, r.At, r.Before, r.After)
		}
	}
	for i := range restarts {
		r := &restarts[i]
		// The settings the node started with: the first recorded as it
		// came up, at its restart or just after.
		cs := log[r.Node]
		j := sort.Search(len(cs), func(j int) bool { return cs[j].At >= r.RestartAt })
		for j < len(cs) && !cs[j].Start {
			j++
		}
		if j < len(cs) && writable(cs[j]) && cs[j].AppendOnly && r.Repl.Role == "slave" {
			add(r.Node, r.RestartAt, r.Loaded)
		}
	}
	return out
}

// sortedDBKeys lists m's keys in db, then key order.
func sortedDBKeys[V any](m map[dbKey]V) []dbKey {
	out := make([]dbKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].db != out[j].db {
			return out[i].db < out[j].db
		}
		return out[i].key < out[j].key
	})
	return out
}
