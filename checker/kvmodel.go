package checker

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

// kvState is the model state of one key within one master epoch.
//
// Epoch 0 starts from an empty dataset. A later epoch starts on a new or
// restarted master whose initial dataset is not the old master's final one
// (asynchronous replication loses writes on failover, a restart loses what
// persistence did not keep), so each key's initial value is a free
// variable: the state is "unknown" until the first operation that reveals
// it (a GET's reply, an INCR's reply) or overwrites it (SET, DEL). This is
// the explicit-unknown-state form of a nondeterministic initial state; it
// never rejects a history a real initial value could explain.
type kvState struct {
	start   bool // nothing stepped yet: the epoch decides the initial state
	unknown bool // the key's value is a free variable
	exists  bool
	// typ is the value's type (tap.TypeString "", tap.TypeHash, ...);
	// val is a collection's canonical encoding.
	typ string
	val string
	// ttl says the key may expire at some instant in [expLo, expHi]
	// (virtual ns, on the master's clock).
	ttl          bool
	expLo, expHi int64
}

// modelOpts tune the model to one history.
type modelOpts struct {
	// slack is how far (ns) a node's clock may be from virtual time; it
	// widens expiry windows.
	slack int64
	// offset is how far a node's clock may read from virtual time, its
	// constant offset included: it widens the time left before an
	// absolute expiry.
	offset int64
	// ttlSeen says some SET in the history had a TTL, so a key of unknown
	// initial state may also carry one.
	ttlSeen bool
}

// KVModel is the sequential specification of a string key-value store under
// GET, SET (with PX), INCR, DEL and two-key MULTI/EXEC, partitioned by
// master epoch and key. Its StepContext and Hash keep the check fast.
var KVModel = newKVModel(modelOpts{})

func newKVModel(o modelOpts) porcupine.Model {
	step := func(state, input, output any) (bool, any) {
		return o.step(state.(kvState), input.(*Op))
	}
	return porcupine.Model{
		Partition: partitionByEpochKey,
		Init:      func() any { return kvState{start: true} },
		Step:      step,
		StepContext: func(_ context.Context, state, input, output any) (bool, any) {
			return step(state, input, output)
		},
		Equal:             func(a, b any) bool { return a.(kvState) == b.(kvState) },
		Hash:              func(s any) uint64 { return s.(kvState).hash() },
		DescribeOperation: func(input, output any) string { return input.(*Op).Describe() },
		DescribeState:     func(s any) string { return s.(kvState).String() },
	}
}

func (st kvState) hash() uint64 {
	h := uint64(14695981039346656037)
	mix := func(b byte) { h ^= uint64(b); h *= 1099511628211 }
	flags := byte(0)
	for i, f := range []bool{st.start, st.unknown, st.exists, st.ttl} {
		if f {
			flags |= 1 << i
		}
	}
	mix(flags)
	for i := 0; i < len(st.typ); i++ {
		mix(st.typ[i])
	}
	mix(0)
	for i := 0; i < len(st.val); i++ {
		mix(st.val[i])
	}
	if st.ttl {
		for _, v := range []int64{st.expLo, st.expHi} {
			for i := 0; i < 64; i += 8 {
				mix(byte(v >> i))
			}
		}
	}
	return h
}

func (st kvState) String() string {
	switch {
	case st.start:
		return "(initial)"
	case st.unknown:
		return "(unknown: whatever the new master started with)"
	case !st.exists:
		return "(nil)"
	}
	s := strconv.Quote(st.val)
	if st.typ != "" {
		s = st.typ + " " + describeValue(st.typ, st.val)
	}
	if st.ttl {
		if st.expLo == math.MinInt64 {
			s += " (may carry a TTL)"
		} else {
			s += " (expires between " + seconds(st.expLo) + " and " + seconds(st.expHi) + ")"
		}
	}
	return s
}

// partitionByEpochKey groups a history by (epoch, key), in that order.
func partitionByEpochKey(history []porcupine.Operation) [][]porcupine.Operation {
	type pk struct {
		epoch int
		key   string
	}
	byKey := map[pk][]porcupine.Operation{}
	var keys []pk
	for _, op := range history {
		o := op.Input.(*Op)
		k := pk{o.Epoch, o.Key}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], op)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].epoch != keys[j].epoch {
			return keys[i].epoch < keys[j].epoch
		}
		return keys[i].key < keys[j].key
	})
	out := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

func addSat(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// mayBeAlive reports whether the key could still be unexpired at some
// instant of op's interval.
func (o modelOpts) mayBeAlive(st kvState, op *Op) bool {
	return !st.ttl || op.Call < addSat(st.expHi, o.slack)
}

// mayBeExpired reports whether the key could have expired by some instant
// of op's interval.
func (o modelOpts) mayBeExpired(st kvState, op *Op) bool {
	return st.ttl && (op.Unknown || op.Return >= addSat(st.expLo, -o.slack))
}

// learned is the state an operation reveals on a key of unknown value.
func (o modelOpts) learned(exists bool, val string) kvState {
	st := kvState{exists: exists, val: val}
	if exists && o.ttlSeen {
		st.ttl, st.expLo, st.expHi = true, math.MinInt64, math.MaxInt64
	}
	return st
}

// written is the state after SET val (with op's TTL).
func written(val string, op *Op) kvState {
	st := kvState{exists: true, val: val}
	if op.TTL > 0 {
		ttl := op.TTL * 1e6
		st.ttl = true
		st.expLo = addSat(op.Call, ttl)
		st.expHi = math.MaxInt64
		if !op.Unknown {
			st.expHi = addSat(op.Return, ttl)
		}
	}
	return st
}

func isInt(s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && strconv.FormatInt(v, 10) == s
}

// step applies op to st. An operation with an unknown outcome may have
// happened: it is accepted with whatever effect it would have had, and since
// it is open-ended it can also be placed after everything observed. An
// error reply means the command had no effect (NOAUTH, READONLY, EXECABORT,
// ...); INCR's "not an integer" must also be explained by the value.
func (o modelOpts) step(st kvState, op *Op) (bool, kvState) {
	if st.start {
		st = kvState{}
		if op.Epoch > 0 {
			st = kvState{unknown: true}
		}
	}
	if op.Kind == OpCmd {
		return o.stepCmd(st, op)
	}
	if op.Kind == OpEvict {
		return stepEvict(st, op)
	}
	ok, next, done := o.stepOnType(st, op)
	if done {
		return ok, next
	}
	st = next
	if op.Kind > OpMulti {
		return o.stepString(st, op)
	}
	if op.Err != "" && !op.Unknown {
		if op.Kind == OpIncr && strings.Contains(op.Err, "not an integer") {
			if st.unknown {
				return true, st
			}
			_, num := isInt(st.val)
			return st.exists && !num && o.mayBeAlive(st, op), st
		}
		if op.Kind == OpIncr && op.Err == errIncrOverflow {
			return o.overflowExplained(st, op, 1), st
		}
		switch op.Kind {
		case OpDel:
			return isEnvRefusal(op.Err), st // any key, any type
		case OpGet:
			return isEnvRefusal(op.Err) || isWrongType(op.Err), st
		}
		return typedErrorPlausible(op), st
	}
	switch op.Kind {
	case OpGet:
		return o.stepGet(st, op)
	case OpSet:
		return true, written(op.Value, op)
	case OpIncr:
		return o.stepIncr(st, op)
	case OpDel:
		if op.Unknown {
			return true, kvState{}
		}
		switch {
		case st.unknown:
			return op.Int == 0 || op.Int == 1, kvState{}
		case op.Int == 1:
			return (st.exists && o.mayBeAlive(st, op)) || op.OnReplica, kvState{}
		case op.Int == 0:
			return !st.exists || o.mayBeExpired(st, op), kvState{}
		}
		return false, st
	}
	return false, st
}

func (o modelOpts) stepGet(st kvState, op *Op) (bool, kvState) {
	switch {
	case op.Unknown:
		return true, st
	case st.unknown:
		return true, o.learned(op.Exists, op.Result)
	case op.Exists:
		return st.exists && st.val == op.Result && o.mayBeAlive(st, op), st
	case !st.exists:
		return true, st
	case o.mayBeExpired(st, op):
		return true, kvState{}
	}
	return false, st
}

func (o modelOpts) stepIncr(st kvState, op *Op) (bool, kvState) {
	if st.unknown {
		if op.Unknown {
			return true, st
		}
		return true, o.learned(true, strconv.FormatInt(op.Int, 10))
	}
	alive := st.exists && o.mayBeAlive(st, op)
	gone := !st.exists || o.mayBeExpired(st, op)
	cur, num := isInt(st.val)
	if op.Unknown {
		switch {
		case alive && gone:
			return true, kvState{unknown: true}
		case alive && num && cur < math.MaxInt64:
			next := st
			next.val = strconv.FormatInt(cur+1, 10)
			return true, next
		case alive:
			return true, st // it would have failed
		}
		return true, kvState{exists: true, val: "1"}
	}
	if alive && num && cur < math.MaxInt64 && op.Int == cur+1 {
		next := st // a key that may also have expired keeps its window: looser, never wrong
		next.val = strconv.FormatInt(cur+1, 10)
		if gone && op.Int == 1 {
			// It may as well have run after the expiry and made a fresh
			// key with no TTL (same reply): it may then live forever.
			next.expHi = math.MaxInt64
		}
		return true, next
	}
	if gone && op.Int == 1 {
		return true, kvState{exists: true, val: "1"}
	}
	return false, st
}
