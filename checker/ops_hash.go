package checker

import (
	"math"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The hash commands' models: replies judged exactly where Redis's reply
// is deterministic, HRANDFIELD and HSCAN as what they may return.

func init() {
	h := tap.TypeHash
	registerCommands(
		&command{name: "HSET", args: hsetArgs, arity: -4, typ: h, write: true, step: hsetStep, apply: hsetApply},
		&command{name: "HMSET", args: hsetArgs, arity: -4, typ: h, write: true, step: hsetStep, apply: hsetApply},
		&command{name: "HSETNX", args: noArgErrors, arity: 4, typ: h, write: true, step: hsetnxStep, apply: hsetnxApply},
		&command{name: "HDEL", args: noArgErrors, arity: -3, typ: h, write: true, step: hdelStep, apply: hdelApply},
		&command{name: "HINCRBY", args: intArgs(3), arity: 4, typ: h, write: true, step: hincrbyStep, err: hincrbyErr, apply: hincrbyApply},
		&command{name: "HINCRBYFLOAT", args: hincrbyfloatArgs, arity: 4, typ: h, write: true, step: hincrbyfloatStep, err: hincrbyErr,
			never: "HINCRBYFLOAT propagates as HSET of its result (a replica's float arithmetic may differ)"},
		&command{name: "HGET", args: noArgErrors, arity: 3, typ: h, step: hgetStep},
		&command{name: "HMGET", args: noArgErrors, arity: -3, typ: h, step: hmgetStep},
		&command{name: "HLEN", args: noArgErrors, arity: 2, typ: h, step: hreadInt(func(h map[string]string, _ []string) int64 { return int64(len(h)) })},
		&command{name: "HEXISTS", args: noArgErrors, arity: 3, typ: h, step: hreadInt(func(h map[string]string, a []string) int64 {
			if _, ok := h[a[2]]; ok {
				return 1
			}
			return 0
		})},
		&command{name: "HSTRLEN", args: noArgErrors, arity: 3, typ: h, step: hreadInt(func(h map[string]string, a []string) int64 { return int64(len(h[a[2]])) })},
		&command{name: "HGETALL", args: noArgErrors, arity: 2, typ: h, step: hgetallStep, reveal: hgetallReveal},
		&command{name: "HKEYS", args: noArgErrors, arity: 2, typ: h, step: hkeysStep(true)},
		&command{name: "HVALS", args: noArgErrors, arity: 2, typ: h, step: hkeysStep(false)},
		&command{name: "HRANDFIELD", args: randCountArgs("WITHVALUES"), arity: -2, typ: h, step: hrandfieldStep},
		&command{name: "HSCAN", args: scanArgs, arity: -3, typ: h, step: hscanStep},
	)
}

// hset sets the field, value pairs of args[2:] in h; it returns how many
// fields it created.
func hset(h map[string]string, args []string) int64 {
	n := int64(0)
	for i := 2; i+1 < len(args); i += 2 {
		if _, ok := h[args[i]]; !ok {
			n++
		}
		h[args[i]] = args[i+1]
	}
	return n
}

func hsetStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	n := hset(h, op.Args)
	ok := op.Unknown || (op.Args[0] == "HMSET" && op.Int == 1) || (op.Args[0] == "HSET" && op.Int == n)
	return ok, hashValue(h)
}

func hsetApply(args []string, d replayDB) string {
	if len(args) < 4 || len(args)%2 != 0 {
		return "bad arguments"
	}
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeHash {
		return "a hash command on a " + typeName(v.Type)
	}
	h := hashOf(v)
	hset(h, args)
	d.put(args[1], hashValue(h))
	return ""
}

func hsetnxStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	_, had := h[op.Args[2]]
	if !had {
		h[op.Args[2]] = op.Args[3]
	}
	return op.Unknown || (op.Int == 1) == !had, hashValue(h)
}

func hsetnxApply(args []string, d replayDB) string {
	if len(args) != 4 {
		return "bad arguments"
	}
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeHash {
		return "a hash command on a " + typeName(v.Type)
	}
	h := hashOf(v)
	if _, had := h[args[2]]; !had {
		h[args[2]] = args[3]
	}
	d.put(args[1], hashValue(h))
	return ""
}

func hdel(h map[string]string, fields []string) int64 { return removeAll(h, fields) }

func hdelStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	n := hdel(h, op.Args[2:])
	return op.Unknown || op.Int == n, hashValue(h)
}

func hdelApply(args []string, d replayDB) string {
	if len(args) < 3 {
		return "bad arguments"
	}
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeHash {
		return "a hash command on a " + typeName(v.Type)
	}
	h := hashOf(v)
	hdel(h, args[2:])
	d.put(args[1], hashValue(h))
	return ""
}

// hincrby is HINCRBY's result, or ok false when it fails (the field is
// not an integer, or the sum overflows).
func hincrby(h map[string]string, field string, by int64) (int64, bool) {
	cur := int64(0)
	if s, ok := h[field]; ok {
		n, isNum := isInt(s)
		if !isNum {
			return 0, false
		}
		cur = n
	}
	if (by > 0 && cur > math.MaxInt64-by) || (by < 0 && cur < math.MinInt64-by) {
		return 0, false
	}
	return cur + by, true
}

func hincrbyStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	by, _ := argInt(op.Args, 3)
	n, ok := hincrby(h, op.Args[2], by)
	if !ok {
		return op.Unknown, v // it would have failed
	}
	h[op.Args[2]] = strconv.FormatInt(n, 10)
	return op.Unknown || op.Int == n, hashValue(h)
}

// hincrbyErr judges HINCRBY's and HINCRBYFLOAT's errors about the field's
// value: the field must hold something that is no number (or, for
// HINCRBY, a sum that overflows).
func hincrbyErr(v Value, op *Op) bool {
	h := hashOf(v)
	s, had := h[op.Args[2]]
	switch {
	case op.Err == "ERR hash value is not an integer":
		_, num := isInt(s)
		return had && !num
	case op.Err == "ERR hash value is not a float":
		_, err := parseCFloat(strings.TrimSpace(s))
		return had && (err != nil || s != strings.TrimSpace(s))
	case op.Err == "ERR increment or decrement would overflow":
		by, _ := argInt(op.Args, 3)
		_, ok := hincrby(h, op.Args[2], by)
		_, num := isInt(s)
		return !ok && (!had || num)
	case op.Err == "ERR increment would produce NaN or Infinity":
		return had && op.Args[0] == "HINCRBYFLOAT"
	}
	return false
}

func hincrbyApply(args []string, d replayDB) string {
	if len(args) != 4 {
		return "bad arguments"
	}
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeHash {
		return "a hash command on a " + typeName(v.Type)
	}
	by, ok := argInt(args, 3)
	if !ok {
		return "bad increment"
	}
	h := hashOf(v)
	n, ok := hincrby(h, args[2], by)
	if !ok {
		return "HINCRBY of a field that is no integer, or overflowing"
	}
	h[args[2]] = strconv.FormatInt(n, 10)
	d.put(args[1], hashValue(h))
	return ""
}

// hincrbyfloatStep: the reply is the field's new value (floatIncrStep).
func hincrbyfloatStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	cur, had := h[op.Args[2]]
	return floatIncrStep(v, op, cur, had, op.Args[3], func() Value {
		h[op.Args[2]] = op.Result
		return hashValue(h)
	})
}

func hgetStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s, ok := hashOf(v)[op.Args[2]]
	return op.Exists == ok && (!ok || op.Result == s), v
}

func hmgetStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	h := hashOf(v)
	if len(op.Items) != len(op.Args)-2 {
		return false, v
	}
	for i, f := range op.Args[2:] {
		s, ok := h[f]
		if op.Items[i].Nil == ok || (ok && op.Items[i].Str != s) {
			return false, v
		}
	}
	return true, v
}

// hreadInt is a read whose integer reply f computes.
func hreadInt(f func(h map[string]string, args []string) int64) func(Value, *Op) (bool, Value) {
	return func(v Value, op *Op) (bool, Value) {
		return op.Unknown || op.Int == f(hashOf(v), op.Args), v
	}
}

// pairsMatch reports whether items, field value pairs, are all in h.
func pairsMatch(h map[string]string, items []string) bool {
	if len(items)%2 != 0 {
		return false
	}
	for i := 0; i < len(items); i += 2 {
		if s, ok := h[items[i]]; !ok || s != items[i+1] {
			return false
		}
	}
	return true
}

func hgetallStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	h := hashOf(v)
	items := itemStrs(op)
	return len(items) == 2*len(h) && pairsMatch(h, items) && distinctEvery(items, 2), v
}

// distinctEvery reports whether every step-th item from the first is
// distinct (a hash reply's fields).
func distinctEvery(items []string, step int) bool {
	var ks []string
	for i := 0; i < len(items); i += step {
		ks = append(ks, items[i])
	}
	return distinct(ks)
}

func hgetallReveal(op *Op) (Value, bool) {
	items := itemStrs(op)
	if len(items)%2 != 0 {
		return Value{}, false
	}
	h := map[string]string{}
	for i := 0; i < len(items); i += 2 {
		h[items[i]] = items[i+1]
	}
	return hashValue(h), true
}

func hkeysStep(keys bool) func(Value, *Op) (bool, Value) {
	return func(v Value, op *Op) (bool, Value) {
		if op.Unknown {
			return true, v
		}
		var want []string
		for f, s := range hashOf(v) {
			if keys {
				want = append(want, f)
			} else {
				want = append(want, s)
			}
		}
		return sameElems(want, itemStrs(op)), v
	}
}

// hrandfieldStep: HRANDFIELD key [count [WITHVALUES]] returns fields
// (with their values) of the hash, as many as the count says.
func hrandfieldStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	h := hashOf(v)
	in := func(f string) bool { _, ok := h[f]; return ok }
	return randomPickStep(op, len(h), in, func(items []string) bool { return pairsMatch(h, items) }), v
}

// hscanStep: HSCAN key 0 [COUNT n] returns pairs of the hash; a cursor of
// 0 back says the one call covered it all.
func hscanStep(v Value, op *Op) (bool, Value) {
	h := hashOf(v)
	return scanPairsStep(op, len(h), func(pairs []string) bool { return pairsMatch(h, pairs) }), v
}

// scanPairsStep judges a one-call HSCAN or ZSCAN of a collection of n
// entries: its pairs must match (match), and a scan that ends (cursor 0)
// must have returned every entry. An operation with no reply fits.
func scanPairsStep(op *Op, n int, match func(pairs []string) bool) bool {
	if op.Unknown {
		return true
	}
	items := itemStrs(op)
	if len(items) == 0 {
		return false
	}
	pairs := items[1:]
	if !match(pairs) {
		return false
	}
	if items[0] != "0" {
		return true
	}
	seen := map[string]bool{}
	for i := 0; i < len(pairs); i += 2 {
		seen[pairs[i]] = true
	}
	return len(seen) == n
}

// typeName names a type in messages.
func typeName(t string) string {
	if t == tap.TypeString {
		return "string"
	}
	return t
}
