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
// effect; otherwise the reply is the new value (floatIncrStep).
func incrbyfloatStep(v Value, op *Op) (bool, Value) {
	return floatIncrStep(v, op, v.Val, v.Exists, op.Args[2], func() Value {
		return Value{Exists: true, Type: tap.TypeString, Val: op.Result}
	})
}

// floatIncrStep judges a float increment (INCRBYFLOAT, HINCRBYFLOAT) of
// the value cur (0 when !had) by the argument by, on a key that held v:
// it takes effect only if by is a finite float and cur a float, and its
// reply is then near cur plus by (the node's long double arithmetic is
// not modelled bit for bit), the key then holding after().
func floatIncrStep(v Value, op *Op, cur string, had bool, by string, after func() Value) (bool, Value) {
	b, err := strconv.ParseFloat(by, 64)
	if err != nil || math.IsNaN(b) || math.IsInf(b, 0) {
		return op.Unknown, v // it would have failed
	}
	c := 0.0
	if had {
		if c, err = strconv.ParseFloat(cur, 64); err != nil {
			return op.Unknown, v // it would have failed
		}
	}
	if op.Unknown {
		return true, Value{Any: true}
	}
	got, err := strconv.ParseFloat(op.Result, 64)
	want := c + b
	if err != nil || !op.Exists || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		return false, v
	}
	return true, after()
}
