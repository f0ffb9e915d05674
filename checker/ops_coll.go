package checker

import (
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// Helpers the collection types' models share: decoding a canonical value,
// encoding one back, and reading an array reply.

// hashOf decodes a hash value (empty for an absent key).
func hashOf(v Value) map[string]string {
	h := map[string]string{}
	if !v.Exists {
		return h
	}
	elems, _ := tap.DecodeElems(v.Val)
	for i := 0; i+1 < len(elems); i += 2 {
		h[elems[i]] = elems[i+1]
	}
	return h
}

// hashValue encodes h (an empty hash is no key).
func hashValue(h map[string]string) Value {
	if len(h) == 0 {
		return Value{}
	}
	pairs := make([][2]string, 0, len(h))
	for f, v := range h {
		pairs = append(pairs, [2]string{f, v})
	}
	return Value{Exists: true, Type: tap.TypeHash, Val: tap.EncodeHash(pairs)}
}

// setOf decodes a set value (empty for an absent key).
func setOf(v Value) map[string]bool {
	s := map[string]bool{}
	if !v.Exists {
		return s
	}
	elems, _ := tap.DecodeElems(v.Val)
	for _, e := range elems {
		s[e] = true
	}
	return s
}

// setValue encodes s (an empty set is no key).
func setValue(s map[string]bool) Value {
	if len(s) == 0 {
		return Value{}
	}
	ms := make([]string, 0, len(s))
	for m := range s {
		ms = append(ms, m)
	}
	return Value{Exists: true, Type: tap.TypeSet, Val: tap.EncodeSet(ms)}
}

// itemStrs returns an array reply's elements (nil elements as "").
func itemStrs(op *Op) []string {
	out := make([]string, len(op.Items))
	for i, it := range op.Items {
		out[i] = it.Str
	}
	return out
}

// sameElems reports whether a and b hold the same elements, in any order.
func sameElems(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// distinct reports whether a holds no element twice.
func distinct(a []string) bool {
	seen := make(map[string]bool, len(a))
	for _, x := range a {
		if seen[x] {
			return false
		}
		seen[x] = true
	}
	return true
}

// argInt parses args[i] as an integer (ok false if absent or not one).
func argInt(args []string, i int) (int64, bool) {
	if i >= len(args) {
		return 0, false
	}
	n, err := strconv.ParseInt(args[i], 10, 64)
	return n, err == nil
}

// randomCount judges a random-pick reply (HRANDFIELD, SRANDMEMBER, SPOP
// with a count) of picks from size elements of which in says which
// exist: count > 0 picks min(count, size) distinct ones, count < 0 picks
// -count with repeats.
func randomCount(picks []string, in func(string) bool, size int, count int64) bool {
	for _, p := range picks {
		if !in(p) {
			return false
		}
	}
	if count < 0 {
		return size == 0 && len(picks) == 0 || int64(len(picks)) == -count && size > 0
	}
	return int64(len(picks)) == min(count, int64(size)) && distinct(picks)
}

// storeDestStep judges a STORE's destination: it gets a collection of
// op.Int elements, made anew (which, the model does not know), or is
// deleted when there are none.
func storeDestStep(op *Op) (bool, Value) {
	if op.Unknown || op.Int > 0 {
		return true, Value{Any: true}
	}
	return op.Int == 0, Value{}
}

// storeStep judges an algebra STORE (SINTERSTORE, ZUNIONSTORE, ...) on
// its destination (part 0) or on a source of n elements: the count is
// within what that source allows.
func storeStep(v Value, op *Op, n int64) (bool, Value) {
	if op.Part == 0 {
		return storeDestStep(op)
	}
	if op.Unknown {
		return true, v
	}
	name := strings.ToUpper(op.Args[0])
	switch {
	case strings.HasSuffix(name, "INTERSTORE"):
		return op.Int <= n, v
	case strings.HasSuffix(name, "UNIONSTORE"):
		return op.Int >= n, v
	case op.Part == 1: // DIFFSTORE's first source
		return op.Int <= n, v
	}
	return true, v
}

// randomPickStep judges HRANDFIELD key [count [WITHVALUES]] or
// ZRANDMEMBER key [count [WITHSCORES]] on a collection of size elements
// of which in says which exist; pairs checks a WITH reply's pairs.
func randomPickStep(op *Op, size int, in func(string) bool, pairs func(items []string) bool) bool {
	if len(op.Args) == 2 {
		if !op.Exists {
			return size == 0
		}
		return in(op.Result)
	}
	count, _ := argInt(op.Args, 2)
	items := itemStrs(op)
	picks := items
	if len(op.Args) == 4 {
		if !pairs(items) {
			return false
		}
		picks = nil
		for i := 0; i < len(items); i += 2 {
			picks = append(picks, items[i])
		}
	}
	return randomCount(picks, in, size, count)
}

// removeAll deletes keys from m and returns how many it held (HDEL,
// SREM, ZREM).
func removeAll[V any](m map[string]V, keys []string) int64 {
	n := int64(0)
	for _, k := range keys {
		if _, ok := m[k]; ok {
			delete(m, k)
			n++
		}
	}
	return n
}
