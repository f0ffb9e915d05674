package checker

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// A writable replica's own expiries. Redis 7.0.15 remembers the keys a
// client gives a TTL on a writable replica (setExpire ->
// rememberSlaveKeyWithExpire, expire.c), because the master, which never
// saw them, will never send their DEL; the replica's cron deletes those
// whose TTL passed (databasesCron -> expireSlaveKeys), picking remembered
// keys at random each run (hz times a second) until it meets more than
// three that are not due yet. Other keys of a replica only go with their
// master's DEL, and its reads merely hide them once expired, so what a
// client can see of that cleanup is the dataset itself (DBSIZE, INFO
// keyspace, an RDB): CheckLocalExpiry judges the nodes' final datasets.
//
// It judges a key (db, name) of a node N only when it knows N remembers
// it: the last write naming it on N (Local's last) gave it a TTL (a SET
// with PX/EX answered OK, a PEXPIRE/EXPIRE answered 1) while N was a
// writable replica throughout the call; every other write naming it on N
// had returned before that call; no write on another node names it (the
// master's stream could bring it); and from that call to the end N stayed
// an up replica (a crash, a restart or a promotion forgets it: Redis's
// dict lives in memory, and a master expires keys by another cycle), with
// no full sync into N and no DEBUG RELOAD of N (both empty the dict:
// emptyData -> flushSlaveKeysWithExpireDict). Deletes of any kind only
// help (a FLUSHALL, an eviction, the master's DEL). If that key is still
// in N's dataset with a TTL that N's clock had passed throughout the last
// localExpiryMargin of the run, and N ran (not paused) throughout that
// margin, the replica failed to expire it.

// localExpiryMargin is how long (virtual ns) a remembered key's TTL must
// have passed, on the node's clock, before the run's end for it to be
// judged, when the node remembers at most keys keys: each cron run (10 a
// second) picks at least four, at random, so a due key escapes one with
// odds of at most (1-1/keys)^4, and 10*(1+keys) runs with odds below
// e^-40.
func localExpiryMargin(keys int) int64 { return int64(1+keys) * 1e9 }

// LocalExpiryInput is what CheckLocalExpiry reads.
type LocalExpiryInput struct {
	// Ops is every client's history (master clients' and readers').
	Ops       []Op
	Settings  []SettingsChange
	FullSyncs []FullSync
	Reloads   []Reload
	Pauses    []Pause
	Clocks    Clocks
	// End is the virtual time the datasets were taken; States the up
	// nodes' datasets then.
	End    int64
	States []NodeState
}

// localTTL says whether op, acknowledged, gave its key a TTL (and nothing
// else a TTL): the forms a replica reader sends (cluster/workload_replica.go).
func localTTL(op *Op) bool {
	if !op.Acked() || op.TTL <= 0 {
		return false
	}
	switch op.Kind {
	case OpSet:
		return op.Mode == "" || op.Mode == "EX"
	case OpExpire:
		return op.Mode == "" && op.Int == 1
	}
	return false
}

// CheckLocalExpiry judges that a writable replica deleted the keys it
// remembers once their TTL passed (see above).
func CheckLocalExpiry(in LocalExpiryInput) []Violation {
	type nk struct {
		node string
		key  dbKey
	}
	last := map[nk]*Op{}       // the write with the latest call, per node and key
	nodesOf := map[dbKey]int{} // how many nodes some write naming the key ran on
	seenOn := map[nk]bool{}
	for i := range in.Ops {
		op := &in.Ops[i]
		if !op.Writes() || (op.Err != "" && !op.Unknown) {
			continue
		}
		for _, k := range opKeys(op) {
			x := nk{op.Node, dbKey{op.DB, k}}
			if !seenOn[x] {
				seenOn[x] = true
				nodesOf[x.key]++
			}
			if l := last[x]; l == nil || op.Call > l.Call {
				last[x] = op
			}
		}
	}
	ttlKeys := map[string]map[string]bool{} // per node, the keys some write there gave a TTL
	for i := range in.Ops {
		op := &in.Ops[i]
		for _, k := range ttlChanged(op) {
			if ttlKeys[op.Node] == nil {
				ttlKeys[op.Node] = map[string]bool{}
			}
			ttlKeys[op.Node][strconv.Itoa(op.DB)+":"+k] = true
		}
	}
	settings := newSettingsLog(in.Settings)
	var out []Violation
	for _, st := range in.States {
		clock := in.Clocks[st.Name]
		from := in.End - localExpiryMargin(len(ttlKeys[st.Name]))
		if !clock.Known() || from < 0 || pausedDuring(in.Pauses, st.Name, from, in.End) {
			continue
		}
		lo, _ := clock.Range(from, in.End)
		nowMs := lo / 1e6 // the least the node's clock read in the margin
		for _, kv := range st.Data {
			key := dbKey{kv.DB, kv.Key}
			w := last[nk{st.Name, key}]
			if kv.ExpireAt == 0 || kv.ExpireAt >= nowMs || w == nil || nodesOf[key] != 1 || !localTTL(w) {
				continue
			}
			if !remembered(in, settings, w, key) {
				continue
			}
			out = append(out, Violation{Check: PropConvergence, At: in.End, Nodes: []string{st.Name}, Keys: []string{kv.Key},
				Ops: []OpRef{w.Ref()},
				Detail: fmt.Sprintf("writable replica %s kept db %d key %s, whose TTL it set itself (%s) and which expired at %d ms, %d ms before its clock's least reading in the last %s of the run: Redis's replica deletes the keys it remembers once expired (expireSlaveKeys)",
					st.Name, kv.DB, kv.Key, describeTimed(w), kv.ExpireAt, nowMs-kv.ExpireAt, seconds(in.End-from))})
		}
	}
	return out
}

// remembered says whether w's key is in its node's dict of keys with a
// TTL of its own from w's call to the end (see above).
func remembered(in LocalExpiryInput, settings settingsLog, w *Op, key dbKey) bool {
	node := w.Node
	if !settings.throughout(node, w.Call, w.Return, func(s tap.Settings) bool { return s.Replica && !s.ReadOnly }) ||
		!settings.throughout(node, w.Call, in.End, func(s tap.Settings) bool { return s.Replica }) {
		return false
	}
	for i := range in.Ops {
		op := &in.Ops[i]
		if op == w || op.Node != node || !op.Writes() || (op.Err != "" && !op.Unknown) {
			continue
		}
		names := false
		for _, k := range opKeys(op) {
			names = names || (dbKey{op.DB, k} == key)
		}
		if names && (op.Unknown || op.Return >= w.Call) {
			return false
		}
	}
	for _, f := range in.FullSyncs {
		if f.Node == node && f.At >= w.Call {
			return false
		}
	}
	for _, r := range in.Reloads {
		if r.Node == node && r.At >= w.Call {
			return false
		}
	}
	return true
}

// pausedDuring says whether node was paused at some instant of [from, to].
func pausedDuring(pauses []Pause, node string, from, to int64) bool {
	for _, p := range pauses {
		if p.Node == node && p.From <= to && p.To >= from {
			return true
		}
	}
	return false
}
