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

// write is one write to one key (a MULTI contributes one per key).
type write struct {
	op *Op
	// db and key are the key written (a FLUSHALL writes other dbs' keys).
	db     int
	key    string
	exists bool
	val    string
	// anyInt: an INCR with no reply could have left any integer.
	anyInt bool
	// mayExpire: a SET with a TTL may also have left nothing.
	mayExpire bool
	// anyVal: the value depends on what the key held (APPEND, SETRANGE,
	// a RENAME's destination): any value explains it, of length if
	// length >= 0.
	anyVal bool
	length int64
	// relative: the value is the key's old one changed (INCR, INCRBY,
	// APPEND, SETRANGE), so it holds only on that old value.
	relative bool
}

// ret is the write's return, the end of time if it never returned.
func (w write) ret() int64 {
	if w.op.Unknown {
		return math.MaxInt64
	}
	return w.op.Return
}

// explains reports whether the write could have left the key as given.
func (w write) explains(present bool, val string) bool {
	switch {
	case !present:
		return !w.exists || w.mayExpire
	case !w.exists:
		return false
	case w.anyInt:
		_, ok := isInt(val)
		return ok
	case w.anyVal:
		return w.length < 0 || int64(len(val)) == w.length
	}
	return w.val == val
}

func (w write) String() string {
	return w.op.Describe() + " [" + seconds(w.op.Call) + ".." + retString(w.op) + "]"
}

func retString(op *Op) string {
	if op.Unknown {
		return "never"
	}
	return seconds(op.Return)
}

// writesByKey lists the writes among ops that keep passes (errors, which
// have no effect, are left out), by key, in call order.
func writesByKey(ops []Op, keep func(*Op) bool) map[string][]write {
	return newWriteIndex(ops).byKey(keep)
}

// writeIndex is every write of an operation list, worked out once: the
// durability and promotion checks select among them once per restart or
// promotion, and working them out each time made a run's check time grow
// with the square of its length.
type writeIndex struct {
	// writes of the ops that may have had an effect, stably sorted by
	// call, with db and mayExpire settled.
	writes []write
	// byEpoch and perKey are writes split by their op's epoch and by key,
	// each in the same order, made at their first use (a check uses one).
	byEpoch map[int][]write
	perKey  map[string][]write
}

// newWriteIndex works out the writes of ops.
func newWriteIndex(ops []Op) *writeIndex {
	universe := keyUniverse(ops)
	var all []write
	for i := range ops {
		op := &ops[i]
		if !op.Writes() || (op.Err != "" && !op.Unknown) {
			continue
		}
		for _, w := range keyWrites(op, universe) {
			if w.db < 0 {
				w.db = op.DB
			}
			all = append(all, w)
		}
	}
	// INCR, APPEND and friends keep a key's TTL, and PEXPIRE gives one to
	// whatever the key holds, whichever op (of any epoch, kept here or not)
	// did: once any did, every write's result on that key may expire too.
	ttlKeys := map[string]bool{}
	for i := range ops {
		for _, k := range ttlGiven(&ops[i]) {
			ttlKeys[k] = true
		}
	}
	for grew := true; grew; { // along chains of copies
		grew = false
		for i := range ops {
			for _, c := range ttlCopies(&ops[i]) {
				if ttlKeys[c[0]] && !ttlKeys[c[1]] {
					ttlKeys[c[1]], grew = true, true
				}
			}
		}
	}
	for i := range all {
		if ttlKeys[all[i].key] {
			all[i].mayExpire = true
		}
	}
	// A stable sort of the whole list orders each key's writes as a
	// stable sort of that key's writes would.
	sort.SliceStable(all, func(i, j int) bool { return all[i].op.Call < all[j].op.Call })
	return &writeIndex{writes: all}
}

// epochByKey is byKey for a keep that only passes ops of epoch.
func (x *writeIndex) epochByKey(epoch int, keep func(*Op) bool) map[string][]write {
	if x.byEpoch == nil {
		x.byEpoch = map[int][]write{}
		for _, w := range x.writes {
			x.byEpoch[w.op.Epoch] = append(x.byEpoch[w.op.Epoch], w)
		}
	}
	return keepByKey(x.byEpoch[epoch], keep)
}

// calledBeforeByKey is byKey for a keep that only passes ops called
// before t.
func (x *writeIndex) calledBeforeByKey(t int64, keep func(*Op) bool) map[string][]write {
	n := sort.Search(len(x.writes), func(i int) bool { return x.writes[i].op.Call >= t })
	return keepByKey(x.writes[:n], keep)
}

// keyBefore is byKey(ops called before t)[key], without the other keys.
func (x *writeIndex) keyBefore(key string, t int64) []write {
	if x.perKey == nil {
		x.perKey = map[string][]write{}
		for _, w := range x.writes {
			x.perKey[w.key] = append(x.perKey[w.key], w)
		}
	}
	ws := x.perKey[key]
	n := sort.Search(len(ws), func(i int) bool { return ws[i].op.Call >= t })
	return ws[:n:n]
}

// byKey lists the writes of the ops that keep passes, by key, in call
// order.
func (x *writeIndex) byKey(keep func(*Op) bool) map[string][]write {
	return keepByKey(x.writes, keep)
}

// keepByKey lists the writes among ws (in order) whose op keep passes,
// by key.
func keepByKey(ws []write, keep func(*Op) bool) map[string][]write {
	out := map[string][]write{}
	var last *Op
	kept := false
	for _, w := range ws {
		if w.op != last {
			last, kept = w.op, keep(w.op)
		}
		if kept {
			out[w.key] = append(out[w.key], w)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// explained reports whether a key's value (present, val) is the effect of
// a write that no must-keep write strictly follows. With no must-keep
// write, anything the key held before is possible too, so it is explained.
// lost returns the must-keep writes the value does not reflect.
func explained(ws []write, must func(write) bool, present bool, val string) (ok bool, lost []write) {
	var musts []write
	for _, w := range ws {
		if must(w) {
			musts = append(musts, w)
		}
	}
	if len(musts) == 0 {
		return true, nil
	}
	// A write is superseded if a must-keep write started after it
	// returned: after it returned if the latest-starting one did.
	latest := int64(math.MinInt64)
	for _, m := range musts {
		latest = max(latest, m.op.Call)
	}
	superseded := func(w write) bool { return latest > w.ret() }
	sourcesEnd := int64(math.MinInt64) // the latest return of a write that explains the value
	for _, w := range ws {
		if w.explains(present, val) {
			sourcesEnd = max(sourcesEnd, w.ret())
			if !superseded(w) {
				return true, nil
			}
		}
	}
	// A must-keep write is lost if every source returned before it began.
	for _, m := range musts {
		if sourcesEnd < m.op.Call {
			lost = append(lost, m)
		}
	}
	return false, lost
}

// lookupKV finds key of db in a dataset sorted by db and key.
func lookupKV(data []tap.KeyValue, db int, key string) (string, bool) {
	i := sort.Search(len(data), func(i int) bool {
		return data[i].DB > db || (data[i].DB == db && data[i].Key >= key)
	})
	if i < len(data) && data[i].DB == db && data[i].Key == key {
		return data[i].Value, true
	}
	return "", false
}

// lookupLiveKV is lookupKV of a key that is there for its readers at
// nowMs (Unix ms): one whose TTL is not past (Redis's keyIsExpired: now >
// when).
func lookupLiveKV(data []tap.KeyValue, db int, key string, nowMs int64) (string, bool) {
	i := sort.Search(len(data), func(i int) bool {
		return data[i].DB > db || (data[i].DB == db && data[i].Key >= key)
	})
	if i < len(data) && data[i].DB == db && data[i].Key == key && (data[i].ExpireAt == 0 || data[i].ExpireAt >= nowMs) {
		return data[i].Value, true
	}
	return "", false
}

// dbOf is the db a key's writes ran in (a key lives in one db).
func dbOf(ws []write) int {
	if len(ws) == 0 {
		return 0
	}
	return ws[0].db
}

func showValue(val string, present bool) string {
	if !present {
		return "(nil)"
	}
	return strconv.Quote(val)
}

// keyWrites is what op may have left in each key it writes (db -1: the
// op's own db).
func keyWrites(op *Op, universe map[int][]string) []write {
	set := func(key, val string) write {
		return write{op: op, db: -1, key: key, exists: true, val: val, mayExpire: op.TTL > 0}
	}
	del := func(key string) write { return write{op: op, db: -1, key: key} }
	changed := func(key string, length int64) write {
		return write{op: op, db: -1, key: key, exists: true, anyVal: true, length: length}
	}
	acked := !op.Unknown
	switch op.Kind {
	case OpSet, OpSetGet, OpKeepTTL:
		return []write{set(op.Key, op.Value)}
	case OpSetNX, OpSetXX:
		if acked && op.Int == 0 {
			return nil
		}
		return []write{set(op.Key, op.Value)}
	case OpMulti:
		if op.Key2 == op.Key {
			return []write{set(op.Key, op.Value2)}
		}
		return []write{set(op.Key, op.Value), set(op.Key2, op.Value2)}
	case OpMSet:
		if op.Key2 == op.Key {
			return []write{set(op.Key, op.Value2)}
		}
		return []write{set(op.Key, op.Value), set(op.Key2, op.Value2)}
	case OpIncr, OpIncrBy:
		return []write{{op: op, db: -1, key: op.Key, exists: true, val: strconv.FormatInt(op.Int, 10), anyInt: op.Unknown, relative: true}}
	case OpDel, OpGetDel, OpEvict:
		return []write{del(op.Key)}
	case OpAppend, OpSetRange:
		if op.Kind == OpSetRange && !SetRangeWrites(op.By, op.Value) {
			return nil
		}
		w := changed(op.Key, -1)
		if acked {
			w.length = op.Int
		}
		w.relative = true
		return []write{w}
	case OpExpire:
		if op.TTL <= 0 && (op.Unknown || op.Int == 1) {
			return []write{del(op.Key)}
		}
	case OpRename:
		if op.Key == op.Key2 || (acked && op.Mode == "NX" && op.Int == 0) {
			return nil
		}
		return []write{del(op.Key), changed(op.Key2, -1)}
	case OpTx:
		var out []write
		for _, sub := range txCommands(op) { // copies, given the transaction's outcome
			if sub.Err != "" && !op.Unknown {
				continue // it had no effect
			}
			sub.Unknown, sub.Call, sub.Return = op.Unknown, op.Call, op.Return
			for _, w := range keyWrites(&sub, universe) {
				if w.db < 0 {
					w.db = sub.DB // after a SELECT inside the transaction, another db
				}
				w.op = op // the transaction's interval, client and outcome
				out = append(out, w)
			}
		}
		return out
	case OpCmd:
		switch GetexEffect(op.Args) {
		case "del":
			return []write{del(op.Key)}
		case "", "ttl", "persist":
			if strings.EqualFold(op.Args[0], "GETEX") {
				return nil // the value stays (ttlGiven has the TTL)
			}
		}
		// A collection's value depends on what it held: any value (or
		// none) explains it.
		var out []write
		for _, part := range cmdParts(*op) {
			if cmdWritesPart(op, part.Part) {
				w := changed(part.Key, -1)
				if part.DB != op.DB {
					w.db = part.DB // a key moved to another db
				}
				w.mayExpire = true
				out = append(out, w)
			}
		}
		return out
	case OpFlush:
		var out []write
		for _, db := range slices.Sorted(maps.Keys(universe)) {
			if op.Mode == "ALL" || db == op.DB {
				for _, k := range universe[db] {
					w := del(k)
					w.db = db
					out = append(out, w)
				}
			}
		}
		return out
	}
	return nil
}

// ttlCopies lists the keys op copied (COPY, in a transaction too), as
// source and destination: the destination takes its source's TTL, and a
// later INCR or APPEND there keeps it (seed 1021428: COPY k0 k5 of a k0
// with a TTL, INCR k5, and k5 expired before the master's restart).
func ttlCopies(op *Op) [][2]string {
	switch {
	case op.Kind == OpCmd && len(op.Args) >= 3 && strings.EqualFold(op.Args[0], "COPY"):
		return [][2]string{{op.Args[1], op.Args[2]}}
	case op.Kind == OpTx:
		var out [][2]string
		for i := range op.Sub {
			out = append(out, ttlCopies(&op.Sub[i])...)
		}
		return out
	}
	return nil
}

// ttlGiven lists the keys op may have given a TTL to, or kept one on.
func ttlGiven(op *Op) []string {
	switch {
	case op.TTL > 0 && (op.Kind == OpSet || op.Kind == OpSetNX || op.Kind == OpSetXX || op.Kind == OpSetGet || op.Kind == OpExpire):
		return []string{op.Key}
	case op.Kind == OpKeepTTL:
		return []string{op.Key}
	case op.Kind == OpCmd && (GetexEffect(op.Args) == "ttl" || GetexEffect(op.Args) == "?"):
		return []string{op.Key}
	case op.Kind == OpRename:
		return []string{op.Key2}
	case op.Kind == OpCmd && len(op.Args) >= 3 && strings.EqualFold(op.Args[0], "RESTORE") && op.Args[2] != "0":
		return []string{op.Args[1]}
	case op.Kind == OpTx:
		var out []string
		for i := range op.Sub {
			out = append(out, ttlGiven(&op.Sub[i])...)
		}
		return out
	}
	return nil
}

// keyUniverse lists every key the ops name, by db: what FLUSHDB and
// FLUSHALL may have deleted.
func keyUniverse(ops []Op) map[int][]string {
	seen := map[string]bool{}
	out := map[int][]string{}
	add := func(db int, k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			out[db] = append(out[db], k)
		}
	}
	for i := range ops {
		add(ops[i].DB, ops[i].Key)
		add(ops[i].DB, ops[i].Key2)
		for _, sub := range ops[i].Sub {
			db := ops[i].DB
			if ops[i].Kind == OpFlush || ops[i].Kind == OpTx {
				db = sub.DB // the keys a local flush deleted (LocalWrites); a transaction's after a SELECT
			}
			add(db, sub.Key)
		}
		if ops[i].Kind == OpCmd {
			for _, p := range CmdKeys(ops[i].Args) {
				add(ops[i].DB, ops[i].Args[p])
			}
			if far, ok := farKey(&ops[i]); ok {
				add(far.db, far.key)
			}
		}
	}
	for _, ks := range out {
		sort.Strings(ks)
	}
	return out
}
