package checker

import (
	"slices"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// The set commands' models. A command of several keys (SMOVE, SINTER and
// the other algebra) is judged on each of its keys on its own (Part):
// each key's part checks what the reply says about that key alone (SINTER's
// reply is within each source, SUNION's holds each one), which is never
// stricter than judging the command whole.

func init() {
	s := tap.TypeSet
	from1 := func(args []string) []int { return argRange(1, len(args)) }
	registerCommands(
		&command{name: "SADD", args: noArgErrors, arity: -3, typ: s, write: true, step: saddStep, apply: saddApply},
		&command{name: "SREM", args: noArgErrors, arity: -3, typ: s, write: true, step: sremStep, apply: sremApply},
		&command{name: "SISMEMBER", args: noArgErrors, arity: 3, typ: s, step: sreadInt(func(m map[string]bool, a []string) int64 { return b2i(m[a[2]]) })},
		&command{name: "SCARD", args: noArgErrors, arity: 2, typ: s, step: sreadInt(func(m map[string]bool, _ []string) int64 { return int64(len(m)) })},
		&command{name: "SMISMEMBER", args: noArgErrors, arity: -3, typ: s, step: smismemberStep},
		&command{name: "SMEMBERS", args: noArgErrors, arity: 2, typ: s, step: smembersStep, reveal: smembersReveal},
		&command{name: "SPOP", args: popCountArgs, arity: -2, typ: s, write: true, step: spopStep,
			never: "SPOP propagates as SREM (or DEL) of the members it popped (a replica would pop others)"},
		&command{name: "SRANDMEMBER", args: randCountArgs(""), arity: -2, typ: s, step: srandmemberStep},
		&command{name: "SSCAN", args: scanArgs, arity: -3, typ: s, step: sscanStep},
		&command{name: "SMOVE", args: noArgErrors, arity: 4, typ: s, write: true, keys: smoveKeys, keyArgs: func([]string) []int { return []int{1, 2} },
			untyped: func(part int) bool { return part == 1 }, step: smoveStep, apply: smoveApply},
		&command{name: "SINTER", args: noArgErrors, arity: -2, typ: s, keys: from1, step: salgebraStep},
		&command{name: "SUNION", args: noArgErrors, arity: -2, typ: s, keys: from1, step: salgebraStep},
		&command{name: "SDIFF", args: noArgErrors, arity: -2, typ: s, keys: distinctFrom1, keyArgs: from1, step: salgebraStep},
		&command{name: "SINTERCARD", args: sintercardArgs, arity: -3, typ: s, keys: sintercardKeys, step: sintercardStep},
		&command{name: "SINTERSTORE", args: noArgErrors, arity: -3, typ: s, write: true, keys: from1, untyped: isPart0, writes: isPart0, step: sstoreStep, apply: sstoreApply},
		&command{name: "SUNIONSTORE", args: noArgErrors, arity: -3, typ: s, write: true, keys: from1, untyped: isPart0, writes: isPart0, step: sstoreStep, apply: sstoreApply},
		&command{name: "SDIFFSTORE", args: noArgErrors, arity: -3, typ: s, write: true, keys: from1, untyped: isPart0, writes: isPart0, step: sstoreStep, apply: sstoreApply},
	)
}

func isPart0(part int) bool { return part == 0 }

// argRange returns lo, lo+1, ..., hi-1.
func argRange(lo, hi int) []int {
	out := make([]int, 0, max(hi-lo, 0))
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func sintercardKeys(args []string) []int {
	n, ok := argInt(args, 1)
	if !ok || n < 1 || n > int64(len(args)-2) {
		return nil
	}
	return argRange(2, 2+int(n))
}

// sadd adds members to s and returns how many were new.
func sadd(s map[string]bool, members []string) int64 {
	n := int64(0)
	for _, m := range members {
		if !s[m] {
			s[m] = true
			n++
		}
	}
	return n
}

func srem(s map[string]bool, members []string) int64 { return removeAll(s, members) }

func saddStep(v Value, op *Op) (bool, Value) {
	s := setOf(v)
	n := sadd(s, op.Args[2:])
	return op.Unknown || op.Int == n, setValue(s)
}

func sremStep(v Value, op *Op) (bool, Value) {
	s := setOf(v)
	n := srem(s, op.Args[2:])
	return op.Unknown || op.Int == n, setValue(s)
}

// setApply applies f to the set at key in a replayed dataset.
func setApply(d replayDB, key string, f func(map[string]bool)) string {
	v := d.get(key)
	if v.Exists && v.Type != tap.TypeSet {
		return "a set command on a " + typeName(v.Type)
	}
	s := setOf(v)
	f(s)
	d.put(key, setValue(s))
	return ""
}

func saddApply(args []string, d replayDB) string {
	if len(args) < 3 {
		return "bad arguments"
	}
	return setApply(d, args[1], func(s map[string]bool) { sadd(s, args[2:]) })
}

func sremApply(args []string, d replayDB) string {
	if len(args) < 3 {
		return "bad arguments"
	}
	return setApply(d, args[1], func(s map[string]bool) { srem(s, args[2:]) })
}

func sreadInt(f func(s map[string]bool, args []string) int64) func(Value, *Op) (bool, Value) {
	return func(v Value, op *Op) (bool, Value) {
		return op.Unknown || op.Int == f(setOf(v), op.Args), v
	}
}

func smismemberStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s := setOf(v)
	if len(op.Items) != len(op.Args)-2 {
		return false, v
	}
	for i, m := range op.Args[2:] {
		if op.Items[i].Str != strconv.FormatInt(b2i(s[m]), 10) {
			return false, v
		}
	}
	return true, v
}

func members(s map[string]bool) []string {
	out := make([]string, 0, len(s))
	for m := range s {
		out = append(out, m)
	}
	return out
}

func smembersStep(v Value, op *Op) (bool, Value) {
	return op.Unknown || sameElems(members(setOf(v)), itemStrs(op)), v
}

func smembersReveal(op *Op) (Value, bool) {
	items := itemStrs(op)
	if !distinct(items) {
		return Value{}, false
	}
	s := map[string]bool{}
	sadd(s, items)
	return setValue(s), true
}

// spopStep: SPOP key pops one member (nil when there is none); SPOP key
// count pops min(count, size) distinct ones. Which is random: the reply
// says, and the set loses exactly those.
func spopStep(v Value, op *Op) (bool, Value) {
	s := setOf(v)
	count, withCount := argInt(op.Args, 2)
	if op.Unknown {
		if len(s) <= 1 || (withCount && count >= int64(len(s))) {
			return true, Value{}
		}
		if withCount && count == 0 {
			return true, v
		}
		return true, Value{Any: true}
	}
	var popped []string
	if !withCount {
		if !op.Exists {
			return len(s) == 0, v
		}
		popped = []string{op.Result}
	} else {
		if count < 0 {
			return false, v
		}
		popped = itemStrs(op)
	}
	if !withCount {
		count = 1
	}
	if !randomCount(popped, func(m string) bool { return s[m] }, len(s), count) {
		return false, v
	}
	srem(s, popped)
	return true, setValue(s)
}

func srandmemberStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s := setOf(v)
	if len(op.Args) == 2 {
		if !op.Exists {
			return len(s) == 0, v
		}
		return s[op.Result], v
	}
	count, _ := argInt(op.Args, 2)
	return randomCount(itemStrs(op), func(m string) bool { return s[m] }, len(s), count), v
}

func sscanStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	items := itemStrs(op)
	if len(items) == 0 {
		return false, v
	}
	s := setOf(v)
	got := items[1:]
	for _, m := range got {
		if !s[m] {
			return false, v
		}
	}
	if items[0] != "0" {
		return true, v
	}
	seen := map[string]bool{}
	sadd(seen, got)
	return len(seen) == len(s), v
}

// distinctFrom1 is every key from the first, each once (SDIFF k k: the
// model follows a key once per command).
func distinctFrom1(args []string) []int {
	var out []int
	for i := 1; i < len(args); i++ {
		if !slices.Contains(args[1:i], args[i]) {
			out = append(out, i)
		}
	}
	return out
}

// smoveKeys: SMOVE's source and destination; one key when they are the
// same (Redis's smoveCommand answers whether the member is there and
// changes nothing, propagates nothing).
func smoveKeys(args []string) []int {
	if len(args) > 2 && args[1] == args[2] {
		return []int{1}
	}
	return []int{1, 2}
}

// smoveStep: SMOVE src dst member, judged on the source (part 0) or the
// destination (part 1, whose type the command checks only when the
// source exists).
func smoveStep(v Value, op *Op) (bool, Value) {
	m := op.Args[3]
	if op.Args[1] == op.Args[2] {
		return op.Unknown || op.Int == b2i(setOf(v)[m]), v
	}
	if op.Part == 0 {
		s := setOf(v)
		had := s[m]
		delete(s, m)
		return op.Unknown || op.Int == b2i(had), setValue(s)
	}
	wrong := v.Exists && v.Type != tap.TypeSet
	switch {
	case op.Unknown && wrong:
		return true, v
	case op.Unknown:
		if setOf(v)[m] {
			return true, v
		}
		return true, Value{Any: true}
	case op.Int == 0:
		return true, v
	case wrong:
		return false, v
	}
	s := setOf(v)
	s[m] = true
	return true, setValue(s)
}

func smoveApply(args []string, d replayDB) string {
	if len(args) != 4 {
		return "bad arguments"
	}
	src, dst := d.get(args[1]), d.get(args[2])
	if !src.Exists || src.Type != tap.TypeSet || (dst.Exists && dst.Type != tap.TypeSet) {
		return "SMOVE that cannot have run"
	}
	if why := setApply(d, args[1], func(s map[string]bool) { delete(s, args[3]) }); why != "" {
		return why
	}
	return setApply(d, args[2], func(s map[string]bool) { s[args[3]] = true })
}

// salgebraStep judges SINTER, SUNION or SDIFF on one source.
func salgebraStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s := setOf(v)
	got := itemStrs(op)
	if !distinct(got) {
		return false, v
	}
	in := map[string]bool{}
	sadd(in, got)
	switch {
	case op.Args[0] == "SDIFF" && op.Part == 0 && slices.Contains(op.Args[2:], op.Args[1]):
		// The first set less itself (Redis's sameset): nothing.
		return len(got) == 0, v
	case op.Args[0] == "SINTER" || (op.Args[0] == "SDIFF" && op.Part == 0):
		for _, m := range got {
			if !s[m] {
				return false, v
			}
		}
	case op.Args[0] == "SUNION":
		for m := range s {
			if !in[m] {
				return false, v
			}
		}
	default: // SDIFF, a key subtracted
		for m := range s {
			if in[m] {
				return false, v
			}
		}
	}
	return true, v
}

func sintercardStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	limit := int64(0)
	if n, _ := argInt(op.Args, 1); len(op.Args) == int(n)+4 {
		limit, _ = argInt(op.Args, len(op.Args)-1)
	}
	ok := op.Int >= 0 && op.Int <= int64(len(setOf(v))) && (limit == 0 || op.Int <= limit)
	return ok, v
}

func sstoreStep(v Value, op *Op) (bool, Value) {
	return storeStep(v, op, int64(len(setOf(v))))
}

func sstoreApply(args []string, d replayDB) string {
	if len(args) < 3 {
		return "bad arguments"
	}
	var sets []map[string]bool
	for _, k := range args[2:] {
		v := d.get(k)
		if v.Exists && v.Type != tap.TypeSet {
			return "a set command on a " + typeName(v.Type)
		}
		sets = append(sets, setOf(v))
	}
	out := map[string]bool{}
	switch args[0] {
	case "SINTERSTORE":
		for m := range sets[0] {
			all := true
			for _, o := range sets[1:] {
				all = all && o[m]
			}
			if all {
				out[m] = true
			}
		}
	case "SUNIONSTORE":
		for _, s := range sets {
			for m := range s {
				out[m] = true
			}
		}
	default:
		for m := range sets[0] {
			out[m] = true
		}
		for _, s := range sets[1:] {
			for m := range s {
				delete(out, m)
			}
		}
	}
	v := setValue(out)
	v.Fresh = true
	d.put(args[1], v)
	return ""
}
