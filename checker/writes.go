package checker

import (
	"math"
	"sort"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// write is one write to one key (a MULTI contributes one per key).
type write struct {
	op     *Op
	key    string
	exists bool
	val    string
	// anyInt: an INCR with no reply could have left any integer.
	anyInt bool
	// mayExpire: a SET with a TTL may also have left nothing.
	mayExpire bool
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
	out := map[string][]write{}
	for i := range ops {
		op := &ops[i]
		if !op.Kind.IsWrite() || (op.Err != "" && !op.Unknown) || !keep(op) {
			continue
		}
		switch op.Kind {
		case OpSet:
			out[op.Key] = append(out[op.Key], write{op: op, key: op.Key, exists: true, val: op.Value, mayExpire: op.TTL > 0})
		case OpMulti:
			out[op.Key] = append(out[op.Key], write{op: op, key: op.Key, exists: true, val: op.Value})
			if op.Key2 != op.Key {
				out[op.Key2] = append(out[op.Key2], write{op: op, key: op.Key2, exists: true, val: op.Value2})
			} else {
				out[op.Key][len(out[op.Key])-1].val = op.Value2
			}
		case OpIncr:
			out[op.Key] = append(out[op.Key], write{op: op, key: op.Key, exists: true,
				val: strconv.FormatInt(op.Int, 10), anyInt: op.Unknown})
		case OpDel:
			out[op.Key] = append(out[op.Key], write{op: op, key: op.Key})
		}
	}
	// INCR keeps a key's TTL, whichever write (of any epoch, kept here or
	// not) gave it one: once any did, an INCR's result may expire too.
	ttlKeys := map[string]bool{}
	for i := range ops {
		if ops[i].Kind == OpSet && ops[i].TTL > 0 {
			ttlKeys[ops[i].Key] = true
		}
	}
	for key, ws := range out {
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].op.Call < ws[j].op.Call })
		ttl := ttlKeys[key]
		for i := range ws {
			if ttl && ws[i].op.Kind == OpIncr {
				ws[i].mayExpire = true
			}
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
	superseded := func(w write) bool {
		for _, m := range musts {
			if m.op.Call > w.ret() {
				return true
			}
		}
		return false
	}
	var sources []write
	for _, w := range ws {
		if w.explains(present, val) {
			sources = append(sources, w)
			if !superseded(w) {
				return true, nil
			}
		}
	}
	for _, m := range musts {
		newer := true
		for _, s := range sources {
			if !(s.ret() < m.op.Call) {
				newer = false
				break
			}
		}
		if newer {
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

// dbOf is the db a key's writes ran in (a key lives in one db).
func dbOf(ws []write) int {
	if len(ws) == 0 {
		return 0
	}
	return ws[0].op.DB
}

func showValue(val string, present bool) string {
	if !present {
		return "(nil)"
	}
	return strconv.Quote(val)
}
