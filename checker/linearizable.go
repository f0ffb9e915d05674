package checker

import (
	"fmt"
	"maps"
	"math"
	"slices"
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
	// Model is the model the history was checked against (for Visualize).
	Model porcupine.Model
	// Epochs is the number of master epochs in the history.
	Epochs int
}

// LinOptions tune the linearizability check.
type LinOptions struct {
	// Timeout bounds porcupine (wall clock); a timeout is Unknown.
	Timeout time.Duration
	// ClockSlack is how far a master's clock may drift or jump from
	// virtual time over the run (its constant offset left out); it widens
	// TTL expiry windows. Use a huge value when clocks jumped.
	ClockSlack time.Duration
	// ClockOffset is how far a master's clock may read from virtual time
	// (plus the epoch), offset included: how far the time left before an
	// absolute expiry (PEXPIREAT) may be from the model's.
	ClockOffset time.Duration
	// Lifetimes bound the epochs a write with no reply may have run in
	// (lin_lifetimes.go); the zero value bounds nothing.
	Lifetimes Lifetimes
	// Settings are the nodes' replication settings over time: they tell
	// the operations a replica ran (Op.OnReplica); none, none did.
	Settings []SettingsChange
}

// LinOps converts ops into porcupine's form, as the checker sees them: WAIT
// is left out (it touches no key), MULTI becomes one SET per key with the
// transaction's interval and outcome, and an operation with no reply is
// open-ended (its return is the end of time), never dropped. A write that
// may have run in a later epoch joins that epoch too (see acrossEpochs).
func LinOps(ops []Op) []porcupine.Operation {
	return linOps(ops, Lifetimes{})
}

// linOps is LinOps with the processes' lifetimes.
func linOps(ops []Op, lt Lifetimes) []porcupine.Operation {
	universe := keyUniverse(ops)
	all := acrossEpochs(ops, lt)
	// Most ops stay one; two-key ones and flushes add a few.
	keyed := make([]Op, 0, len(all)+len(all)/4)
	for _, op := range all {
		switch op.Kind {
		case OpWait:
		case OpRead:
			switch {
			case (op.Mode == "TYPE" || op.Mode == "TTL") && op.Key != "":
				keyed = append(keyed, op) // judged; the other reads are not
			case op.IsExpect() && op.Key != "" && (op.Err != "" || op.Unknown) && lookupCmd(op.Args) != nil:
				// A registry command sent with arguments Redis refuses:
				// the model judges whether the key's type answered first
				// (CheckFixedReplies judges the rest).
				c := op
				c.Kind = OpCmd
				keyed = append(keyed, c)
			}
		case OpMSet, OpMGet, OpRename:
			a, b := op, op
			a.Part, b.Part, b.Key = 0, 1, op.Key2
			if op.Kind == OpRename && op.Key == op.Key2 {
				keyed = append(keyed, a) // RENAME k k: one key (stepRename)
				break
			}
			keyed = append(keyed, a, b)
		case OpTx:
			parts := txParts(op)
			if execRan := !(op.IsWatchTx() && !op.Unknown && op.Err == "" && op.Int == 0); execRan && op.LastSent > 0 {
				// Sent one command at a time: what it queued ran at EXEC,
				// after EXEC went out (and a watch transaction's GET
				// still held then, or EXEC would have answered nil).
				for i := range parts {
					parts[i].Call = max(parts[i].Call, op.LastSent)
				}
			}
			keyed = append(keyed, parts...)
		case OpCmd:
			keyed = append(keyed, cmdParts(op)...)
		case OpFlush:
			dbs := slices.Sorted(maps.Keys(universe))
			for _, db := range dbs {
				if op.Mode == "ALL" || db == op.DB {
					for _, k := range universe[db] {
						one := op
						one.Key = k
						keyed = append(keyed, one)
					}
				}
			}
		case OpMulti:
			a, b := op, op
			a.Kind, b.Kind = OpSet, OpSet
			b.Key, b.Value = b.Key2, b.Value2
			a.Key2, a.Value2, b.Key2, b.Value2 = "", "", "", ""
			if a.Key != b.Key {
				keyed = append(keyed, a)
			}
			keyed = append(keyed, b)
		default:
			keyed = append(keyed, op)
		}
	}
	out := make([]porcupine.Operation, 0, len(keyed))
	for i := range keyed {
		o := &keyed[i]
		ret := o.Return
		if o.Unknown {
			ret = math.MaxInt64
		}
		out = append(out, porcupine.Operation{ClientId: o.Client, Input: o, Call: o.Call, Return: ret})
	}
	return out
}

// acrossEpochs returns ops, plus a copy of each write that may have taken
// effect in a later master epoch whose master is the node it was sent to:
//
//   - a write with no reply: its bytes may have been held by a partition
//     and delivered long after the client gave up (the client's close
//     follows them), whenever that node is master again (seed 73);
//   - a write answered only after that epoch's first operation was sent:
//     it was in flight when the epoch changed, and may have run on either
//     side of the change (seed 4112: an INCR sent to a demoted master ran
//     once it was promoted again). One answered before the epoch's first
//     operation, if it ran in that epoch, is part of the unknown state the
//     epoch starts from; if it was answered after that epoch began (its
//     start in Lifetimes), its original is still open-ended (seed 2064296:
//     a replica reader's DEL, sent to n4 as master in epoch 2 and held by
//     latency, ran on n4 promoted again in epoch 4, 0.3ms before that
//     epoch's first operation, and its 0 does not hold in epoch 2).
//
// Every such copy is open-ended (it may also never have happened there),
// and so is the original of a write answered in a later epoch, which may
// not have happened in its own epoch; their replies are then not
// constraints, a small loss of precision for a rare case. No copy goes to
// an epoch that began after the process the write was sent to ended
// (Lifetimes). A quiet write whose request got its trailing reply counts as
// answered then: the node ran (or refused) it before that reply, in order
// (seed 2047942: fourteen such copies of one key made porcupine time out).
func acrossEpochs(ops []Op, lt Lifetimes) []Op {
	masters := map[int][]string{} // epoch -> nodes ops were sent to in it
	first := map[int]int64{}      // epoch -> its first operation's call
	for i := range ops {
		e, n := ops[i].Epoch, ops[i].Node
		if !slices.Contains(masters[e], n) {
			masters[e] = append(masters[e], n)
		}
		if c, ok := first[e]; !ok || ops[i].Call < c {
			first[e] = ops[i].Call
		}
	}
	// The epochs in which each node was sent operations, in order.
	nodeEpochs := map[string][]int{}
	for e, nodes := range masters {
		for _, n := range nodes {
			nodeEpochs[n] = append(nodeEpochs[n], e)
		}
	}
	for _, es := range nodeEpochs {
		sort.Ints(es)
	}
	out := append([]Op(nil), ops...)
	for i := range ops {
		op := ops[i]
		if !op.Writes() || (op.Err != "" && !op.Unknown) {
			continue
		}
		for _, e := range nodeEpochs[op.Node] {
			if e <= op.Epoch || lt.ranBefore(&op, e) {
				continue
			}
			if op.Unknown && !op.processedBy() || op.Return > first[e] {
				out[i].Unknown = true
				late := op
				late.Epoch, late.Unknown = e, true
				out = append(out, late)
			} else if start, ok := lt.EpochStarts[e]; ok && op.Return > start {
				// Answered after its node was master again but before
				// that epoch's first operation: it needs no copy there,
				// yet it may have run there, not in its own epoch.
				out[i].Unknown = true
			}
		}
	}
	return out
}

func modelFor(ops []Op, opts LinOptions) porcupine.Model {
	mo := modelOpts{slack: int64(opts.ClockSlack), offset: max(int64(opts.ClockOffset), int64(opts.ClockSlack))}
	for i := range ops {
		if ops[i].TTL > 0 || givesTTL(&ops[i]) {
			mo.ttlSeen = true
			break
		}
	}
	return newKVModel(mo)
}

// CheckLinearizable checks that ops (operations sent to the master) are
// linearizable, key by key and master epoch by master epoch. timeout bounds
// porcupine; a timeout is reported as Unknown, never as a pass.
func CheckLinearizable(ops []Op, timeout time.Duration) LinResult {
	return CheckLinearizableWith(ops, LinOptions{Timeout: timeout})
}

// CheckLinearizableWith is CheckLinearizable with options.
func CheckLinearizableWith(ops []Op, opts LinOptions) LinResult {
	ops = markOnReplica(ops, opts.Settings)
	model := modelFor(ops, opts)
	res := LinResult{Result: porcupine.Ok, Model: model}
	epochs := map[int]bool{}
	for i := range ops {
		epochs[ops[i].Epoch] = true
	}
	res.Epochs = len(epochs)
	hist := linOps(ops, opts.Lifetimes)
	// The common case, a legal history, is one parallel call.
	if porcupine.CheckOperationsTimeout(model, hist, opts.Timeout) == porcupine.Ok {
		return res
	}
	single := model
	single.Partition = nil
	var failed []porcupine.Operation
	for _, part := range partitionByEpochKey(hist) {
		switch porcupine.CheckOperationsTimeout(single, part, opts.Timeout) {
		case porcupine.Ok:
		case porcupine.Unknown:
			if res.Result == porcupine.Ok {
				res.Result = porcupine.Unknown
			}
			op := part[0].Input.(*Op)
			res.Violations = append(res.Violations, Violation{Check: PropLinearizability,
				Detail: fmt.Sprintf("%s: checker timed out after %v on %d operations: verdict unknown", partName(part), opts.Timeout, len(part)),
				Nodes:  []string{op.Node}, Keys: []string{op.Key}})
		case porcupine.Illegal:
			res.Result = porcupine.Illegal
			res.Violations = append(res.Violations, explainIllegal(single, part, opts.Timeout))
			failed = append(failed, part...)
		}
	}
	if len(failed) > 0 {
		_, res.Info = porcupine.CheckOperationsVerbose(model, failed, opts.Timeout)
		res.Failed = failed
	}
	return res
}

// partName names a partition: "key k1", or "key k1 in epoch 2 (master n3)".
func partName(part []porcupine.Operation) string {
	op := part[0].Input.(*Op)
	if op.Epoch == 0 {
		return "key " + op.Key
	}
	return fmt.Sprintf("key %s in master epoch %d (master %s)", op.Key, op.Epoch, op.Node)
}

// explainIllegal names the key and the few operations that matter: the end
// of the longest linearizable prefix and the operations that cannot follow.
func explainIllegal(model porcupine.Model, part []porcupine.Operation, timeout time.Duration) Violation {
	_, info := porcupine.CheckOperationsVerbose(model, part, timeout)
	var longest []porcupine.Operation
	for _, p := range info.PartialLinearizationsOperations() {
		for _, lin := range p {
			if len(lin) > len(longest) {
				longest = lin
			}
		}
	}
	done := map[*Op]bool{}
	for _, o := range longest {
		done[o.Input.(*Op)] = true
	}
	var next []*Op
	for _, o := range part {
		op := o.Input.(*Op)
		if !done[op] {
			next = append(next, op)
		}
	}
	sort.SliceStable(next, func(i, j int) bool { return next[i].Call < next[j].Call })
	var b strings.Builder
	fmt.Fprintf(&b, "%s: no order of its %d operations explains the replies. ", partName(part), len(part))
	first := part[0].Input.(*Op)
	v := Violation{Check: PropLinearizability, Nodes: []string{first.Node}, Keys: []string{first.Key}}
	st := model.Init()
	for _, o := range longest {
		_, st = model.Step(st, o.Input, nil)
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
			v.Ops = append(v.Ops, o.Input.(*Op).Ref())
		}
		b.WriteString(". ")
	}
	fmt.Fprintf(&b, "State then: %s. ", model.DescribeState(st))
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
			v.Ops = append(v.Ops, op.Ref())
			if i == 0 && !op.Unknown {
				v.At = op.Return
			}
		}
	}
	v.Detail = b.String()
	return v
}

func describeTimed(op *Op) string {
	ret := "never"
	if !op.Unknown {
		ret = seconds(op.Return)
	}
	return fmt.Sprintf("client %d on %s: %s [%s..%s]", op.Client, op.Node, op.Describe(), seconds(op.Call), ret)
}

// txParts splits a transaction into one op per key it touches, each
// carrying that key's commands in order with the transaction's interval,
// epoch and outcome; an aborted transaction had no effect and is left out.
func txParts(op Op) []Op {
	if op.Err != "" && !op.Unknown {
		return nil
	}
	var keys []string
	cmds := txCommands(&op)
	for i := range cmds {
		if k := cmds[i].Key; k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	out := make([]Op, 0, len(keys))
	for _, k := range keys {
		part := op
		part.Key, part.Sub = k, nil
		for _, sub := range cmds {
			if sub.Key != k {
				continue
			}
			sub.Call, sub.Return, sub.Epoch, sub.Client, sub.Node = op.Call, op.Return, op.Epoch, op.Client, op.Node
			sub.Unknown, sub.OnReplica = op.Unknown, op.OnReplica
			part.Sub = append(part.Sub, sub)
		}
		out = append(out, part)
	}
	return out
}
