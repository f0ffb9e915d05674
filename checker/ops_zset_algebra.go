package checker

import (
	"math"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The sorted set algebra: ZUNION, ZINTER, ZDIFF (with STORE), and
// ZINTERCARD. Their sources may be sets too (every member at score 1).
// Judged on each key (Part) like the set algebra (ops_set.go); the
// STOREs' apply computes the result as Redis does, weights and aggregate
// included.

func init() {
	z, s := tap.TypeZset, tap.TypeSet
	registerCommands(
		&command{name: "ZUNION", args: zalgebraArgs(1), arity: -3, types: []string{z, s}, keys: numKeysAt(1), step: zalgebraStep},
		&command{name: "ZINTER", args: zalgebraArgs(1), arity: -3, types: []string{z, s}, keys: numKeysAt(1), step: zalgebraStep},
		&command{name: "ZDIFF", args: zalgebraArgs(1), arity: -3, types: []string{z, s}, keys: numKeysAt(1), step: zalgebraStep},
		&command{name: "ZINTERCARD", args: zalgebraArgs(1), arity: -3, types: []string{z, s}, keys: numKeysAt(1), step: zintercardStep},
		&command{name: "ZUNIONSTORE", args: zalgebraArgs(2), arity: -4, types: []string{z, s}, write: true, keys: zstoreKeys, untyped: isPart0, writes: isPart0,
			step: zstoreStep, apply: zstoreApply},
		&command{name: "ZINTERSTORE", args: zalgebraArgs(2), arity: -4, types: []string{z, s}, write: true, keys: zstoreKeys, untyped: isPart0, writes: isPart0,
			step: zstoreStep, apply: zstoreApply},
		&command{name: "ZDIFFSTORE", args: zalgebraArgs(2), arity: -4, types: []string{z, s}, write: true, keys: zstoreKeys, untyped: isPart0, writes: isPart0,
			step: zstoreStep, apply: zstoreApply},
	)
}

// zstoreKeys: the destination, then the numkeys sources.
func zstoreKeys(args []string) []int {
	src := numKeysAt(2)(args)
	if src == nil {
		return nil
	}
	return append([]int{1}, src...)
}

// zalgebraOpts are the options after the sources.
type zalgebraOpts struct {
	weights    []float64
	aggregate  string
	withScores bool
}

// parseZalgebra parses the options after n sources ending at args[end]:
// ok false when Redis refuses them.
func parseZalgebra(args []string, n, end int, diff, store bool) (zalgebraOpts, bool) {
	o := zalgebraOpts{aggregate: "SUM"}
	for i := end; i < len(args); i++ {
		left := len(args) - i - 1
		switch w := strings.ToUpper(args[i]); {
		case !diff && w == "WEIGHTS" && left >= n:
			o.weights = nil
			for j := 1; j <= n; j++ {
				f, ok := parseScore(args[i+j])
				if !ok {
					return o, false
				}
				o.weights = append(o.weights, f)
			}
			i += n
		case !diff && w == "AGGREGATE" && left >= 1:
			o.aggregate = strings.ToUpper(args[i+1])
			if o.aggregate != "SUM" && o.aggregate != "MIN" && o.aggregate != "MAX" {
				return o, false
			}
			i++
		case !store && w == "WITHSCORES":
			o.withScores = true
		default:
			return o, false
		}
	}
	return o, true
}

// zalgebraStep judges ZUNION, ZINTER or ZDIFF on one source: the reply's
// members (with their scores, pairs) hold this source's (ZUNION), are
// within it (ZINTER, ZDIFF's first), or avoid it (ZDIFF's others).
func zalgebraStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	keys := CmdKeys(op.Args)
	name := strings.ToUpper(op.Args[0])
	o, ok := parseZalgebra(op.Args, len(keys), keys[len(keys)-1]+1, name == "ZDIFF", false)
	if !ok {
		return false, v
	}
	got := itemStrs(op)
	if o.withScores {
		if len(got)%2 != 0 {
			return false, v
		}
		ms := make([]string, 0, len(got)/2)
		for i := 0; i < len(got); i += 2 {
			ms = append(ms, got[i])
		}
		got = ms
	}
	if !distinct(got) {
		return false, v
	}
	z := zsetOf(v)
	in := map[string]bool{}
	for _, m := range got {
		in[m] = true
	}
	switch {
	case name == "ZINTER" || (name == "ZDIFF" && op.Part == 0):
		for _, m := range got {
			if _, ok := z[m]; !ok {
				return false, v
			}
		}
	case name == "ZUNION":
		for m := range z {
			if !in[m] {
				return false, v
			}
		}
	default:
		for m := range z {
			if in[m] {
				return false, v
			}
		}
	}
	return true, v
}

func zintercardStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	keys := CmdKeys(op.Args)
	rest := op.Args[keys[len(keys)-1]+1:]
	limit := int64(0)
	switch {
	case len(rest) == 2 && strings.EqualFold(rest[0], "LIMIT"):
		var ok bool
		if limit, ok = argInt(rest, 1); !ok || limit < 0 {
			return false, v
		}
	case len(rest) != 0:
		return false, v
	}
	ok := op.Int >= 0 && op.Int <= int64(len(zsetOf(v))) && (limit == 0 || op.Int <= limit)
	return ok, v
}

func zstoreStep(v Value, op *Op) (bool, Value) {
	return storeStep(v, op, int64(len(zsetOf(v))))
}

// zaggregate folds score into acc as Redis's zunionInterAggregate does
// (a NaN sum is 0).
func zaggregate(acc, score float64, how string) float64 {
	switch how {
	case "MIN":
		if score < acc {
			return score
		}
		return acc
	case "MAX":
		if score > acc {
			return score
		}
		return acc
	}
	acc += score
	if math.IsNaN(acc) {
		return 0
	}
	return acc
}

// weighted is a source's score times its weight (a NaN product is 0).
func weighted(s, w float64) float64 {
	p := s * w
	if math.IsNaN(p) {
		return 0
	}
	return p
}

// zstoreResult computes ZUNIONSTORE's, ZINTERSTORE's or ZDIFFSTORE's
// result from its sources as Redis does: a NaN product of a union's
// score and weight is 0, an intersection folds the other sources'
// products as they are. Redis sorts the sources by size first, which
// matters when three or more sources sum (float addition does not
// associate) or a NaN product meets them; the generator stays clear (no
// weight 0, two sources to a STORE).
func zstoreResult(name string, srcs []map[string]float64, o zalgebraOpts) map[string]float64 {
	w := func(i int) float64 {
		if o.weights == nil {
			return 1
		}
		return o.weights[i]
	}
	out := map[string]float64{}
	switch name {
	case "ZUNIONSTORE":
		for i, z := range srcs {
			for m, s := range z {
				sc := weighted(s, w(i))
				if cur, ok := out[m]; ok {
					out[m] = zaggregate(cur, sc, o.aggregate)
				} else {
					out[m] = sc
				}
			}
		}
	case "ZINTERSTORE":
		for m, s := range srcs[0] {
			acc, all := weighted(s, w(0)), true
			for i, z := range srcs[1:] {
				s2, ok := z[m]
				if !ok {
					all = false
					break
				}
				acc = zaggregate(acc, s2*w(i+1), o.aggregate)
			}
			if all {
				out[m] = acc
			}
		}
	default:
		for m, s := range srcs[0] {
			out[m] = s
		}
		for _, z := range srcs[1:] {
			for m := range z {
				delete(out, m)
			}
		}
	}
	return out
}

func zstoreApply(args []string, d replayDB) string {
	keys := zstoreKeys(args)
	if keys == nil {
		return "bad arguments"
	}
	name := strings.ToUpper(args[0])
	o, ok := parseZalgebra(args, len(keys)-1, keys[len(keys)-1]+1, name == "ZDIFFSTORE", true)
	if !ok {
		return "bad arguments"
	}
	var srcs []map[string]float64
	for _, p := range keys[1:] {
		v := d.get(args[p])
		if v.Exists && v.Type != tap.TypeZset && v.Type != tap.TypeSet {
			return name + " of a " + typeName(v.Type)
		}
		srcs = append(srcs, zsetOf(v))
	}
	nv := zsetValue(zstoreResult(name, srcs, o))
	nv.Fresh = true
	d.put(args[1], nv)
	return ""
}
