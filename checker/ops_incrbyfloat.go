package checker

import (
	"errors"
	"math"
	"math/big"
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
	b, err := parseCFloat(by)
	if err != nil || math.IsNaN(b) || math.IsInf(b, 0) {
		return op.Unknown, v // it would have failed
	}
	c := 0.0
	if had {
		if c, err = parseCFloat(cur); err != nil {
			if !errors.Is(err, strconv.ErrRange) {
				return op.Unknown, v // it would have failed
			}
			// Beyond a double's range, within a long double's: Redis
			// adds in long double (a value of 400 digits takes 1.5).
			return bigFloatIncrStep(v, op, cur, b, after)
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

// ldMaxExp is the binary exponent beyond which a long double (x87, 64-bit
// mantissa) overflows: strtold refuses such a value (ERANGE).
const ldMaxExp = 16384

// bigFloatIncrStep is floatIncrStep for a current value (decimal, as the
// node writes them) that overflows or underflows a double: Redis parses
// it as a long double, refusing it only beyond a long double's range, and
// the reply is then near cur plus by (compared in big.Float).
func bigFloatIncrStep(v Value, op *Op, cur string, by float64, after func() Value) (bool, Value) {
	c, _, err := big.ParseFloat(cur, 10, 128, big.ToNearestEven)
	if err != nil || c.IsInf() || c.MantExp(nil) > ldMaxExp {
		return op.Unknown, v // it would have failed
	}
	if op.Unknown {
		return true, Value{Any: true}
	}
	got, _, err := big.ParseFloat(op.Result, 10, 128, big.ToNearestEven)
	if err != nil || !op.Exists {
		return false, v
	}
	want := new(big.Float).SetPrec(128).Add(c, new(big.Float).SetFloat64(by))
	diff := new(big.Float).SetPrec(128).Sub(got, want)
	diff.Abs(diff)
	tol := new(big.Float).SetPrec(128).Abs(want)
	if tol.Cmp(big.NewFloat(1)) < 0 {
		tol.SetFloat64(1)
	}
	if diff.Cmp(tol.Mul(tol, big.NewFloat(1e-9))) > 0 {
		return false, v
	}
	return true, after()
}
