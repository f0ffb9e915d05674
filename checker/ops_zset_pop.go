package checker

import (
	"strings"

	"github.com/replsim/replsim/tap"
)

// The sorted set pops. ZPOPMIN and ZPOPMAX propagate as sent; ZMPOP and
// the blocking BZPOPMIN, BZPOPMAX and BZMPOP propagate as ZPOPMIN or
// ZPOPMAX of the key they popped from (Redis 7.0.15: "ZPOPMIN key" for a
// served BZPOPMIN, "ZPOPMIN key n" with the count popped for ZMPOP and
// BZMPOP, whether served at once or later), never as sent.
//
// A pop of several keys is judged on each key (Part): the keys before
// the one that served it were empty, that one lost the members the reply
// names (its first ones in score order), the keys after it are untouched
// and not even type-checked. A blocking pop's reply may come long after
// it was sent: served, it is judged at its linearization point like the
// non-blocking pop; timed out (a nil reply), every key was empty at some
// instant of the wait.

func init() {
	z := tap.TypeZset
	notFirst := func(part int) bool { return part > 0 }
	registerCommands(
		&command{name: "ZPOPMIN", args: popCountArgs, arity: -2, typ: z, write: true, step: zpopStep, apply: zpopApply},
		&command{name: "ZPOPMAX", args: popCountArgs, arity: -2, typ: z, write: true, step: zpopStep, apply: zpopApply},
		&command{name: "ZMPOP", args: zmpopArgs, arity: -4, typ: z, write: true, keys: numKeysAt(1), untyped: notFirst, step: zmultiPopStep,
			never: "ZMPOP propagates as ZPOPMIN or ZPOPMAX of the key it popped from"},
		&command{name: "BZPOPMIN", args: bpopArgs, arity: -3, typ: z, write: true, keys: bzpopKeys, untyped: notFirst, step: zmultiPopStep,
			never: "BZPOPMIN propagates as ZPOPMIN of the key that served it"},
		&command{name: "BZPOPMAX", args: bpopArgs, arity: -3, typ: z, write: true, keys: bzpopKeys, untyped: notFirst, step: zmultiPopStep,
			never: "BZPOPMAX propagates as ZPOPMAX of the key that served it"},
		&command{name: "BZMPOP", args: bzmpopArgs, arity: -5, typ: z, write: true, keys: numKeysAt(2), untyped: notFirst, step: zmultiPopStep,
			never: "BZMPOP propagates as ZPOPMIN or ZPOPMAX of the key that served it"},
	)
}

// numKeysAt returns the key positions of a command whose numkeys is at
// args[at], the keys following it.
func numKeysAt(at int) func(args []string) []int {
	return func(args []string) []int {
		n, ok := argInt(args, at)
		if !ok || n < 1 || n > int64(len(args)-at-1) {
			return nil
		}
		return argRange(at+1, at+1+int(n))
	}
}

func bzpopKeys(args []string) []int { return argRange(1, len(args)-1) }

// zpopFirst removes and returns z's first count members (from the top
// when max).
func zpopFirst(z map[string]float64, max bool, count int64) []zelem {
	sorted := zsorted(z)
	if max {
		for i, j := 0, len(sorted)-1; i < j; i, j = i+1, j-1 {
			sorted[i], sorted[j] = sorted[j], sorted[i]
		}
	}
	n := int(min(count, int64(len(sorted))))
	for _, e := range sorted[:n] {
		delete(z, e.m)
	}
	return sorted[:n]
}

// zpopArgs parses ZPOPMIN key [count]: ok false when Redis refuses it.
func zpopArgs(args []string) (max bool, count int64, ok bool) {
	max = strings.ToUpper(args[0]) == "ZPOPMAX"
	switch len(args) {
	case 2:
		return max, 1, true
	case 3:
		count, ok = argInt(args, 2)
		return max, count, ok && count >= 0
	}
	return max, 0, false
}

func zpopStep(v Value, op *Op) (bool, Value) {
	max, count, ok := zpopArgs(op.Args)
	if !ok {
		return op.Unknown, v
	}
	z := zsetOf(v)
	popped := zpopFirst(z, max, count)
	return op.Unknown || zreplyIs(popped, true, itemStrs(op)), zsetValue(z)
}

func zpopApply(args []string, d replayDB) string {
	max, count, ok := zpopArgs(args)
	if !ok {
		return "bad arguments"
	}
	return zsetApply(d, args[1], func(z map[string]float64) string { zpopFirst(z, max, count); return "" })
}

// zmultiPopArgs parses the direction and count of ZMPOP, BZMPOP,
// BZPOPMIN and BZPOPMAX (count 1 for the last two, whose reply carries
// no count); ok false when Redis refuses them.
func zmultiPopArgs(args []string) (max bool, count int64, ok bool) {
	name := strings.ToUpper(args[0])
	switch name {
	case "BZPOPMIN", "BZPOPMAX":
		return name == "BZPOPMAX", 1, true
	}
	keys := CmdKeys(args)
	if len(keys) == 0 {
		return false, 0, false
	}
	rest := args[keys[len(keys)-1]+1:]
	if len(rest) == 0 {
		return false, 0, false
	}
	switch strings.ToUpper(rest[0]) {
	case "MIN":
	case "MAX":
		max = true
	default:
		return false, 0, false
	}
	count = 1
	switch {
	case len(rest) == 1:
	case len(rest) == 3 && strings.EqualFold(rest[1], "COUNT"):
		count, ok = argInt(rest, 2)
		if !ok || count < 1 {
			return false, 0, false
		}
	default:
		return false, 0, false
	}
	return max, count, true
}

// zmultiPopStep judges a pop of several keys on one of them (see above).
// Its reply is the key, then member, score pairs (nested arrays
// flattened); nil when no key had members.
func zmultiPopStep(v Value, op *Op) (bool, Value) {
	max, count, valid := zmultiPopArgs(op.Args)
	isZset := !v.Exists || v.Type == tap.TypeZset
	switch {
	case !valid:
		return op.Unknown, v
	case op.Unknown && (!v.Exists || !isZset):
		return true, v
	case op.Unknown:
		return true, Value{Any: true}
	case len(op.Items) == 0:
		return isNilReply(op) && !v.Exists, v // every key was empty
	}
	served := -1
	for i, p := range CmdKeys(op.Args) {
		if op.Args[p] == op.Items[0].Str {
			served = i
			break
		}
	}
	switch {
	case served < 0:
		return false, v
	case op.Part < served:
		return !v.Exists, v
	case op.Part > served:
		return true, v
	case !isZset:
		return false, v
	}
	z := zsetOf(v)
	popped := zpopFirst(z, max, count)
	return len(popped) > 0 && zreplyIs(popped, true, itemStrs(op)[1:]), zsetValue(z)
}
