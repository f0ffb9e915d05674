package checker

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// genHistory builds a linearizable history of n operations by clients
// issuing one operation at a time against a sequential store: each
// operation takes effect at a random instant inside its interval, in the
// order of those instants. unknownEvery > 0 makes every such operation's
// reply go missing (it still takes effect).
func genHistory(seed uint64, n, clients, keys, unknownEvery int) []Op {
	r := rand.New(rand.NewPCG(seed, 1))
	type pending struct {
		op *Op
		lp int64
	}
	ops := make([]Op, n)
	now := make([]int64, clients)
	var pend []pending
	for i := range ops {
		c := r.IntN(clients)
		call := now[c] + 1 + r.Int64N(1000)
		ret := call + 1 + r.Int64N(3000)
		now[c] = ret
		op := &ops[i]
		*op = Op{ID: i, Client: c, Node: "n1", Key: "k" + strconv.Itoa(r.IntN(keys)), Call: call, Return: ret}
		switch x := r.IntN(10); {
		case x < 4:
			op.Kind = OpGet
		case x < 7:
			op.Kind, op.Value = OpSet, strconv.Itoa(r.IntN(100))
		case x < 9:
			op.Kind = OpIncr
		default:
			op.Kind = OpDel
		}
		pend = append(pend, pending{op, call + r.Int64N(ret-call+1)})
	}
	sort.SliceStable(pend, func(i, j int) bool { return pend[i].lp < pend[j].lp })
	state := map[string]string{}
	for _, p := range pend {
		op := p.op
		v, ok := state[op.Key]
		switch op.Kind {
		case OpGet:
			op.Exists, op.Result = ok, v
		case OpSet:
			state[op.Key] = op.Value
		case OpIncr:
			cur := int64(0)
			if ok {
				x, isNum := isInt(v)
				if !isNum {
					op.Err = "ERR value is not an integer or out of range"
					continue
				}
				cur = x
			}
			op.Int = cur + 1
			state[op.Key] = strconv.FormatInt(cur+1, 10)
		case OpDel:
			if ok {
				op.Int = 1
			}
			delete(state, op.Key)
		}
	}
	if unknownEvery > 0 {
		for i := unknownEvery - 1; i < n; i += unknownEvery {
			ops[i].Unknown, ops[i].Return = true, ops[i].Call+1
		}
	}
	// Clients issue operations in order; IDs follow call order per client.
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
	for i := range ops {
		ops[i].ID = i
	}
	return ops
}
