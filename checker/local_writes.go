package checker

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// Writes on writable replicas. A replica with replica-read-only no runs
// clients' writes itself: they change its dataset (and its files), but not
// its master's stream, so the replica holds values its master never had
// there. Redis keeps them until a full resync replaces the dataset; a full
// resync from such a replica hands them on; a promoted one keeps them.
// The checkers that compare a replica with its master's history (prefix,
// convergence, promotion) must not judge those keys there: a local
// "taint" marks, per node, the keys whose value may be such a local one,
// and from when until when.

// LocalInput is what LocalWrites reads.
type LocalInput struct {
	// Ops is every client's history, the master's clients' and the
	// replicas' readers' in one list: the moves and flushes that carry
	// local values to other keys (movedLocal, flushedLocal) may be any
	// client's.
	Ops      []Op
	Settings []SettingsChange
	// FullSyncs hand a node's local values on to its replica, where the
	// master's moves then carry them too (movedLocal).
	FullSyncs []FullSync
	// Reloads and Restarts are the loads that may make a writable replica
	// expire keys of its master's (aofLoadExpiries).
	Reloads  []Reload
	Restarts []Restart
}

// LocalWrites returns the client writes among in.Ops that may have run on
// a node while it was a writable replica: not refused, sent to a node
// that was a replica with replica-read-only no at some instant of the call
// (of any later instant, for a write with no reply). A write that failed,
// or did nothing, having found its key missing adds a DEL of that key: its
// lookup may have expired it there (lookupDeletes); so does an AOF load on
// a writable replica for each key it loaded with a TTL (aofLoadExpiries).
func LocalWrites(in LocalInput) []Op {
	log := newSettingsLog(in.Settings)
	writable := log.nextWhere(func(s tap.Settings) bool { return s.Replica && !s.ReadOnly })
	var out, failed []Op
	for i := range in.Ops {
		op := &in.Ops[i]
		if !op.Writes() {
			continue
		}
		end := op.Return
		if op.Unknown {
			end = math.MaxInt64
		}
		if !log.some(op.Node, op.Call, end, writable) {
			continue
		}
		if op.Err != "" && !op.Unknown {
			failed = append(failed, *op)
		} else {
			out = append(out, *op)
		}
	}
	out = append(append(out, lookupDeletes(out)...), lookupDeletes(failed)...)
	out = append(out, aofLoadExpiries(in.Reloads, in.Restarts, log, in.Ops)...)
	out = append(out, flushedLocal(in.Ops, out)...)
	return append(out, movedLocal(in.Ops, out, in.FullSyncs)...)
}

// flushedLocal returns, for each FLUSHDB or FLUSHALL among local writes, a
// DEL on its node of every key any client named in the db(s) it flushed:
// the taints of local writes name their keys from the local writes alone,
// and a local flush removes keys only the master's clients wrote (chaos
// seed 3764: a client's FLUSHALL on a writable replica, whose db 1 then
// lacked its master's keys).
func flushedLocal(ops, local []Op) []Op {
	var universe map[int][]string
	var out []Op
	for i := range local {
		f := &local[i]
		if f.Kind != OpFlush {
			continue
		}
		if universe == nil {
			universe = keyUniverse(ops)
		}
		for _, db := range slices.Sorted(maps.Keys(universe)) {
			if f.Mode != "ALL" && db != f.DB {
				continue
			}
			for _, k := range universe[db] {
				del := *f
				del.Kind, del.Mode, del.Key, del.DB, del.Args, del.Int = OpDel, "", k, db, nil, 1
				out = append(out, del)
			}
		}
	}
	return out
}

// movedLocal returns, for local writes, the master's commands that move
// a value from one key to another (RENAME, SMOVE, SUNIONSTORE, ...) as
// if they were local writes on each node holding a local value in a key
// they read: the replica applies them to its own value, which then sits
// under the destination (chaos seed 5992: a writable replica's SET k1,
// then the master's RENAME k1 k3, and the replica's k3 held the local
// value). MOVE and COPY ... DB carry it to their key of another db
// (farKey; seed 2046974: a writable replica's ZMPOP popped from z7, then
// the master's MOVE z7 9, and the replica's db 9 z7 held the local
// value). A node holds local values its master's snapshot handed on too
// (newTaints; seed 38152: writable n3's RPUSH l0, n4's full sync from n3,
// then n3, promoted, ran RPOPLPUSH l0 l5, and n4's l5 held n3's value
// where n1, which had partially resynced, had no l5). It follows moves of
// moves; it ignores order (a move may reach the replica after the local
// write however early it ran), so it may mark more than it must, never
// less.
func movedLocal(ops, local []Op, syncs []FullSync) []Op {
	if len(local) == 0 {
		return nil
	}
	var movers []*Op
	for i := range ops {
		op := &ops[i]
		if !op.Writes() || (op.Err != "" && !op.Unknown) {
			continue
		}
		if op.Kind == OpRename || (op.Kind == OpCmd && len(CmdKeys(op.Args)) > 1) {
			movers = append(movers, op)
		} else if _, far := farKey(op); far && op.Kind == OpCmd {
			movers = append(movers, op)
		}
	}
	if len(movers) == 0 {
		return nil
	}
	// node -> key -> the writes that gave the key a local value there.
	tainted := map[string]map[dbKey][]span{}
	mark := func(n string, k dbKey, s span) {
		if tainted[n] == nil {
			tainted[n] = map[dbKey][]span{}
		}
		if !slices.Contains(tainted[n][k], s) {
			tainted[n][k] = append(tainted[n][k], s)
		}
	}
	for i := range local {
		s := span{local[i].Call, local[i].Return}
		if local[i].Unknown {
			s.ret = math.MaxInt64
		}
		for _, k := range opKeys(&local[i]) {
			mark(local[i].Node, dbKey{local[i].DB, k}, s)
		}
	}
	syncsOf := map[string][]int64{}
	for _, f := range syncs {
		syncsOf[f.Node] = append(syncsOf[f.Node], f.At)
	}
	// separated says a full sync into node came between a and b: a move
	// that returned by a reached node in that sync's snapshot, or just
	// after it from its stream, before any write called from b.
	separated := func(node string, a, b int64) bool {
		for _, at := range syncsOf[node] {
			if a <= at && at < b {
				return true
			}
		}
		return false
	}
	done := map[string][]bool{} // node -> the movers applied there
	var out []Op
	for grew := true; grew; {
		grew = false
		// The keys each node was handed, by every full sync, so far.
		for n, ts := range newTaints(append(append([]Op(nil), local...), out...), syncs) {
			for _, x := range ts {
				mark(n, x.key, span{x.from, x.from})
			}
		}
		for _, node := range slices.Sorted(maps.Keys(tainted)) {
			keys := tainted[node]
			if done[node] == nil {
				done[node] = make([]bool, len(movers))
			}
			for changed := true; changed; {
				changed = false
				for i, m := range movers {
					if done[node][i] {
						continue
					}
					ks := opKeys(m)
					from, ret := false, m.Return
					for _, k := range ks {
						for _, s := range keys[dbKey{m.DB, k}] {
							from = true
							if s.ret > ret && !separated(node, m.Return, s.call) {
								ret = s.ret
							}
						}
					}
					if !from {
						continue
					}
					// Every move from a marked key, even onto a key marked
					// already: the marks hold over times, this one from its own.
					done[node][i], changed, grew = true, true, true
					// The move's result is as local as the value it moved:
					// a full sync ends it only once the write of that value
					// returned too (seed 59781: a writable replica's SET k3
					// returned after its full sync, whose stream then
					// brought the master's RENAME k3 k7, which had returned
					// before).
					moved := *m
					moved.Node, moved.Return = node, ret
					for _, k := range ks {
						mark(node, dbKey{m.DB, k}, span{m.Call, ret})
					}
					if far, ok := farKey(m); ok {
						mark(node, dbKey{far.db, far.key}, span{m.Call, ret})
					}
					out = append(out, moved)
				}
			}
		}
		if len(syncs) == 0 {
			break // nothing hands keys on: one round found every move
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Call < out[j].Call })
	return out
}

// span is when a write that gave a key a local value was called and
// returned.
type span struct{ call, ret int64 }

// taint says node's key may hold a value of a local write over
// [from, until).
type taint struct {
	key         dbKey
	from, until int64
	// settled: from then on the local write behind the taint has taken
	// effect, if ever (its return; the end of time for one with no reply;
	// an inherited taint's start).
	settled int64
}

// taints are every node's local taints.
type taints map[string][]taint

// newTaints derives the taints from the local writes and the full
// resyncs: a write taints its keys on its node from its call; a full
// resync ends the taints its replica had from writes that ended before it
// (one with no reply may still arrive) and hands on every taint its master
// had by then (the snapshot may hold them).
func newTaints(local []Op, syncs []FullSync) taints {
	t := taints{}
	if len(local) == 0 {
		return t
	}
	universe := keyUniverse(local)
	type ev struct {
		at   int64
		op   *Op
		sync *FullSync
	}
	var evs []ev
	for i := range local {
		evs = append(evs, ev{at: local[i].Call, op: &local[i]})
	}
	for i := range syncs {
		evs = append(evs, ev{at: syncs[i].At, sync: &syncs[i]})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at < evs[j].at })
	// sticky marks taints from writes with no reply, which no resync ends.
	type entry struct {
		taint
		sticky bool
		endsAt int64 // the write's return, or the inherited taint's start
	}
	byNode := map[string][]entry{}
	for _, e := range evs {
		if e.op != nil {
			op := e.op
			for _, k := range taintedKeys(op, universe) {
				settled := op.Return
				if op.Unknown {
					settled = math.MaxInt64
				}
				byNode[op.Node] = append(byNode[op.Node], entry{taint: taint{key: k, from: op.Call, until: math.MaxInt64, settled: settled},
					sticky: op.Unknown, endsAt: op.Return})
			}
			continue
		}
		f := e.sync
		mine := byNode[f.Node]
		for i := range mine {
			if !mine[i].sticky && mine[i].until == math.MaxInt64 && mine[i].endsAt < f.At {
				mine[i].until = f.At
			}
		}
		// The inherited taints of one resync differ only by key: one per
		// key says all (keeping each made two nodes that resynced from each
		// other double their lists every time, seed 3 with 100,000 ops).
		handed := map[dbKey]bool{}
		for _, m := range byNode[f.Master] {
			if m.from < f.At && !handed[m.key] {
				handed[m.key] = true
				mine = append(mine, entry{taint: taint{key: m.key, from: f.At, until: math.MaxInt64, settled: f.At}, endsAt: f.At})
			}
		}
		byNode[f.Node] = mine
	}
	for n, es := range byNode {
		for _, e := range es {
			t[n] = append(t[n], e.taint)
		}
	}
	return t
}

// taintedKeys are the keys a local write may leave with a value or a TTL
// of its node's own.
func taintedKeys(op *Op, universe map[int][]string) []dbKey {
	var out []dbKey
	for _, w := range keyWrites(op, universe) {
		db := w.db
		if db < 0 {
			db = op.DB
		}
		out = append(out, dbKey{db, w.key})
	}
	for _, k := range ttlChanged(op) {
		out = append(out, dbKey{op.DB, k})
	}
	return out
}

// ttlChanged lists the keys whose TTL op may have set or removed while
// their value stayed: on a writable replica such a TTL is the replica's
// own, which it expires itself (Redis's slaveKeysWithExpire), so the key
// may vanish there and nowhere else (sweep seed 3223654: a PEXPIRE on a
// writable replica, whose key was gone when the datasets were compared);
// one that removed a TTL keeps the key there after its master's TTL passed
// (GETEX PERSIST: redis-server 7.0.15's writable replica still answers GET
// with it once its master's TTL is over).
func ttlChanged(op *Op) []string {
	switch op.Kind {
	case OpPersist:
		return []string{op.Key}
	case OpCmd:
		if GetexEffect(op.Args) == "persist" {
			return []string{op.Key}
		}
	case OpTx:
		var out []string
		for i := range op.Sub {
			out = append(out, ttlChanged(&op.Sub[i])...)
		}
		return out
	}
	return ttlGiven(op)
}

// has reports whether node's key may hold a local value at some instant
// of [from, to].
func (t taints) has(node string, key dbKey, from, to int64) bool {
	for _, x := range t[node] {
		if x.key == key && x.from <= to && x.until > from {
			return true
		}
	}
	return false
}

// settledBy is the latest instant by which every local write behind a
// taint of node's key over [from, to] has taken effect, if ever (-1 if
// there is none).
func (t taints) settledBy(node string, key dbKey, from, to int64) int64 {
	last := int64(-1)
	for _, x := range t[node] {
		if x.key == key && x.from <= to && x.until > from {
			last = max(last, x.settled)
		}
	}
	return last
}

// any reports whether node has any taint at some instant of [from, to].
func (t taints) any(node string, from, to int64) bool {
	for _, x := range t[node] {
		if x.from <= to && x.until > from {
			return true
		}
	}
	return false
}

// LocalKeys returns the keys of node that may hold a value a client wrote
// on a writable replica (LocalWrites) at instant at, sorted, for
// NodeState.Local.
func LocalKeys(local []Op, syncs []FullSync, node string, at int64) []tap.KeyValue {
	t := newTaints(local, syncs)
	seen := map[dbKey]bool{}
	var out []tap.KeyValue
	for _, x := range t[node] {
		if x.from <= at && x.until > at && !seen[x.key] {
			seen[x.key] = true
			out = append(out, tap.KeyValue{DB: x.key.db, Key: x.key.key})
			// A key MOVEd or COPYed to db N is the model's "dN:"+name
			// (farKey), but a dataset holds it as name (seed 6601).
			if name, ok := strings.CutPrefix(x.key.key, "d"+strconv.Itoa(x.key.db)+":"); ok && x.key.db != 0 {
				if k := (dbKey{x.key.db, name}); !seen[k] {
					seen[k] = true
					out = append(out, tap.KeyValue{DB: x.key.db, Key: name})
				}
			}
		}
	}
	tap.SortKeyValues(out)
	return out
}
