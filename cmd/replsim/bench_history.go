package main

import (
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/replsim/replsim/checker"
)

// linearizableHistory generates n operations from clients clients over keys
// keys that are linearizable by construction: each client runs one
// operation at a time, every operation takes effect at a random instant
// inside its interval, and results come from applying them in that order.
func linearizableHistory(seed uint64, n, clients, keys int) []checker.Op {
	r := rand.New(rand.NewPCG(seed, 0x62656e6368))
	type timed struct {
		op *checker.Op
		at int64
	}
	ops := make([]checker.Op, n)
	effects := make([]timed, n)
	free := make([]int64, clients) // when each client may call next
	for i := range ops {
		c := i % clients
		call := free[c] + r.Int64N(2000)
		ret := call + 500 + r.Int64N(5000)
		free[c] = ret
		op := checker.Op{ID: i, Client: c, Node: "n1", Key: "k" + strconv.Itoa(r.IntN(keys)), Call: call, Return: ret}
		switch x := r.IntN(100); {
		case x < 40:
			op.Kind = checker.OpGet
		case x < 70:
			op.Kind = checker.OpSet
			op.Value = strconv.Itoa(r.IntN(1000))
		case x < 90:
			op.Kind = checker.OpIncr
		default:
			op.Kind = checker.OpDel
		}
		ops[i] = op
		effects[i] = timed{op: &ops[i], at: call + r.Int64N(ret-call+1)}
	}
	sort.SliceStable(effects, func(i, j int) bool { return effects[i].at < effects[j].at })
	state := map[string]string{}
	for _, e := range effects {
		op := e.op
		v, ok := state[op.Key]
		switch op.Kind {
		case checker.OpGet:
			op.Exists, op.Result = ok, v
		case checker.OpSet:
			state[op.Key] = op.Value
		case checker.OpIncr:
			cur, _ := strconv.ParseInt(v, 10, 64) // values are always integers here
			op.Int = cur + 1
			state[op.Key] = strconv.FormatInt(cur+1, 10)
		case checker.OpDel:
			if ok {
				op.Int = 1
			}
			delete(state, op.Key)
		}
	}
	return ops
}
