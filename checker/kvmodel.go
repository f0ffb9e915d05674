package checker

import (
	"hash/fnv"
	"sort"
	"strconv"

	"github.com/anishathalye/porcupine"
)

// kvState is the model state of one key.
type kvState struct {
	exists bool
	val    string
}

// KVModel is the sequential specification of a string key-value store under
// GET, SET, INCR and DEL, partitioned by key.
var KVModel = porcupine.Model{
	Partition: partitionByKey,
	Init:      func() any { return kvState{} },
	Step: func(state, input, output any) (bool, any) {
		return step(state.(kvState), input.(*Op))
	},
	Equal: func(a, b any) bool { return a.(kvState) == b.(kvState) },
	Hash: func(s any) uint64 {
		st := s.(kvState)
		h := fnv.New64a()
		if st.exists {
			h.Write([]byte{1})
		}
		h.Write([]byte(st.val))
		return h.Sum64()
	},
	DescribeOperation: func(input, output any) string { return input.(*Op).Describe() },
	DescribeState: func(s any) string {
		st := s.(kvState)
		if !st.exists {
			return "(nil)"
		}
		return strconv.Quote(st.val)
	},
}

func partitionByKey(history []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string][]porcupine.Operation{}
	for _, op := range history {
		k := op.Input.(*Op).Key
		byKey[k] = append(byKey[k], op)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

// step applies op to st. An operation with an unknown outcome may have
// happened: it is accepted with whatever effect it would have had, and since
// it is open-ended it can also be placed after everything observed.
func step(st kvState, op *Op) (bool, kvState) {
	switch op.Kind {
	case OpGet:
		if op.Unknown {
			return true, st
		}
		if op.Err != "" {
			return false, st
		}
		return op.Exists == st.exists && (!st.exists || op.Result == st.val), st
	case OpSet:
		if op.Err != "" && !op.Unknown {
			return false, st
		}
		return true, kvState{exists: true, val: op.Value}
	case OpIncr:
		cur := int64(0)
		if st.exists {
			v, err := strconv.ParseInt(st.val, 10, 64)
			if err != nil || strconv.FormatInt(v, 10) != st.val {
				return op.Unknown || op.Err != "", st
			}
			cur = v
		}
		next := kvState{exists: true, val: strconv.FormatInt(cur+1, 10)}
		if op.Unknown {
			return true, next
		}
		return op.Err == "" && op.Int == cur+1, next
	case OpDel:
		next := kvState{}
		if op.Unknown {
			return true, next
		}
		want := int64(0)
		if st.exists {
			want = 1
		}
		return op.Err == "" && op.Int == want, next
	}
	return false, st
}
