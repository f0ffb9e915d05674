package checker

import (
	"math"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// INCRBYFLOAT's model. The workload sends it only with increments Redis
// refuses (fixed_replies.go); Redis checks the key's type first, so on a
// collection it answers WRONGTYPE instead, which only the model can judge
// (LinOps hands it a registry command sent as a fixed-reply one).

func init() {
	registerCommands(&command{name: "INCRBYFLOAT", args: incrbyfloatArgs, argsAt: argsAfterType, err: incrbyfloatErr, arity: 3, typ: tap.TypeString, write: true, step: incrbyfloatStep,
		never: "INCRBYFLOAT propagates as SET of its result (a replica's float arithmetic may differ)"})
}

// incrbyfloatStep: an increment that is not a finite float never takes
// effect; otherwise the reply is the new value, near the old one plus the
// increment (the node's long double arithmetic is not modelled exactly).
func incrbyfloatStep(v Value, op *Op) (bool, Value) {
	by, err := strconv.ParseFloat(op.Args[2], 64)
	if err != nil || math.IsNaN(by) || math.IsInf(by, 0) {
		return op.Unknown, v
	}
	cur := 0.0
	if v.Exists {
		if cur, err = strconv.ParseFloat(v.Val, 64); err != nil {
			return op.Unknown, v // it would have failed
		}
	}
	if op.Unknown {
		return true, Value{Any: true}
	}
	got, err := strconv.ParseFloat(op.Result, 64)
	want := cur + by
	if err != nil || !op.Exists || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		return false, v
	}
	return true, Value{Exists: true, Type: tap.TypeString, Val: op.Result}
}
