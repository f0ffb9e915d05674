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
// it: the replica may delete any of them itself, from then on until a full
// sync replaces its dataset (newTaints). Keys of the RDB base file are
// among them (the dataset does not say which file a key came from).
func aofLoadExpiries(reloads []Reload, restarts []Restart, log settingsLog) []Op {
	writable := func(c SettingsChange) bool { return !c.Down && c.Replica && !c.ReadOnly }
	var out []Op
	add := func(node string, at int64, data ...[]tap.KeyValue) {
		seen := map[dbKey]bool{}
		for _, kvs := range data {
			for _, kv := range kvs {
				k := dbKey{kv.DB, kv.Key}
				if kv.ExpireAt == 0 || seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, Op{Node: node, Kind: OpDel, DB: kv.DB, Key: kv.Key, Int: 1, Call: at, Return: at, Inferred: true})
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
