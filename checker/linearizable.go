package checker

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

// LinResult is the outcome of the linearizability check.
type LinResult struct {
	// Result is porcupine's verdict: Ok, Illegal or Unknown (timed out).
	Result porcupine.CheckResult
	// Violations names each key whose history is not linearizable, or the
	// timeout; empty when Result is Ok.
	Violations []Violation
	// Info holds the partial linearizations of the failing keys, for
	// porcupine's HTML visualization.
	Info porcupine.LinearizationInfo
	// Failed is the history of the failing keys, as checked.
	Failed []porcupine.Operation
}

// toPorcupine converts ops; an operation with no reply is open-ended.
func toPorcupine(ops []Op) []porcupine.Operation {
	out := make([]porcupine.Operation, len(ops))
	for i := range ops {
		ret := ops[i].Return
		if ops[i].Unknown {
			ret = math.MaxInt64
		}
		out[i] = porcupine.Operation{ClientId: ops[i].Client, Input: &ops[i], Call: ops[i].Call, Return: ret}
	}
	return out
}

// CheckLinearizable checks that ops (all sent to one master within one
// epoch) are linearizable, key by key. timeout bounds porcupine per key; a
// timeout is reported as Unknown, never as a pass.
func CheckLinearizable(ops []Op, timeout time.Duration) LinResult {
	res := LinResult{Result: porcupine.Ok}
	single := KVModel
	single.Partition = nil
	var failed []porcupine.Operation
	for _, part := range partitionByKey(toPorcupine(ops)) {
		switch porcupine.CheckOperationsTimeout(single, part, timeout) {
		case porcupine.Ok:
		case porcupine.Unknown:
			key := part[0].Input.(*Op).Key
			if res.Result == porcupine.Ok {
				res.Result = porcupine.Unknown
			}
			res.Violations = append(res.Violations, Violation{Check: "linearizability",
				Detail: fmt.Sprintf("key %s: checker timed out after %v on %d operations: verdict unknown", key, timeout, len(part))})
		case porcupine.Illegal:
			res.Result = porcupine.Illegal
			res.Violations = append(res.Violations, Violation{Check: "linearizability", Detail: explainIllegal(single, part, timeout)})
			failed = append(failed, part...)
		}
	}
	if len(failed) > 0 {
		_, res.Info = porcupine.CheckOperationsVerbose(KVModel, failed, timeout)
		res.Failed = failed
	}
	return res
}

// explainIllegal names the key and the few operations that matter: the end
// of the longest linearizable prefix and the operations that cannot follow.
func explainIllegal(model porcupine.Model, part []porcupine.Operation, timeout time.Duration) string {
	key := part[0].Input.(*Op).Key
	_, info := porcupine.CheckOperationsVerbose(model, part, timeout)
	var longest []porcupine.Operation
	for _, p := range info.PartialLinearizationsOperations() {
		for _, lin := range p {
			if len(lin) > len(longest) {
				longest = lin
			}
		}
	}
	done := map[int]bool{}
	for _, o := range longest {
		done[o.Input.(*Op).ID] = true
	}
	var next []*Op
	for _, o := range part {
		op := o.Input.(*Op)
		if !done[op.ID] {
			next = append(next, op)
		}
	}
	sort.Slice(next, func(i, j int) bool { return next[i].Call < next[j].Call })
	var b strings.Builder
	fmt.Fprintf(&b, "key %s: no order of its %d operations explains the replies. ", key, len(part))
	st := kvState{}
	for _, o := range longest {
		_, st = step(st, o.Input.(*Op))
	}
	if len(longest) > 0 {
		b.WriteString("Last operations that fit: ")
		from := len(longest) - 3
		if from < 0 {
			from = 0
		}
		for i, o := range longest[from:] {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(describeTimed(o.Input.(*Op)))
		}
		b.WriteString(". ")
	}
	fmt.Fprintf(&b, "State then: %s. ", KVModel.DescribeState(st))
	if len(next) > 0 {
		b.WriteString("Cannot follow: ")
		for i, op := range next {
			if i == 3 {
				fmt.Fprintf(&b, " (+%d more)", len(next)-3)
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(describeTimed(op))
		}
	}
	return b.String()
}

func describeTimed(op *Op) string {
	ret := "never"
	if !op.Unknown {
		ret = fmt.Sprintf("%.6fs", float64(op.Return)/1e9)
	}
	return fmt.Sprintf("client %d on %s: %s [%.6fs..%s]", op.Client, op.Node, op.Describe(), float64(op.Call)/1e9, ret)
}
