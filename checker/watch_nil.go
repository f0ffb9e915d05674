package checker

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// A nil EXEC needs a cause. Redis answers a watch transaction's EXEC with
// nil only when a watched key was touched between WATCH and EXEC (a write
// or deletion of it, a flush of its db, an eviction) or has expired since.
// CheckWatchAborts flags a nil EXEC where none of that can have happened:
//
//   - no operation that may have written one of its keys ran on its node
//     in its interval: every write without an error reply (or without a
//     reply at all) sent to the same node, called before the EXEC returned
//     and not answered before the WATCH was sent, that names the key or
//     flushes, and every eviction of the key then;
//   - no key of it may expire within it: every operation that may have
//     given the key a TTL (or carried one over from another key: RENAME,
//     COPY) ran on its node in its epoch and gave one that ends before
//     the WATCH, counting the clock's slack (an absolute or unknown TTL,
//     or one given on another node's clock, may end any time);
//   - its node stayed master throughout: no master epoch began and no
//     process of its node ended within it (a demoted master's full sync
//     flushes and touches every key), and no operator's DEBUG RELOAD
//     emptied and reloaded its dataset within it.
//
// Anything else Redis counts is in the history, so an unexplained nil is
// a change nobody made.
func CheckWatchAborts(ops []Op, lt Lifetimes, slack time.Duration) []Violation {
	// When each key may have been given a TTL, and the latest instant
	// that TTL may end.
	type ttlSpan struct {
		call, end int64
		node      string
		epoch     int
	}
	ttls := map[string][]ttlSpan{}
	for i := range ops {
		o := &ops[i]
		if o.Err != "" && !o.Unknown {
			continue // refused: it gave nothing
		}
		ttl, ok := ttlOf(o)
		if !ok {
			continue
		}
		end := int64(math.MaxInt64)
		if ttl >= 0 && !o.Unknown {
			end = addSat(addSat(o.Return, ttl*int64(time.Millisecond)), int64(slack))
		}
		for _, k := range opKeys(o) {
			ttls[k] = append(ttls[k], ttlSpan{o.Call, end, o.Node, o.Epoch})
		}
	}
	agg := newAggregator()
	for i := range ops {
		w := &ops[i]
		if !w.IsWatchTx() || w.Mode == TxUnwatch || w.Unknown || w.Err != "" || w.Int != 0 {
			continue
		}
		keys := map[string]bool{}
		skip := false
		for _, k := range opKeys(w) {
			keys[k] = true
			for _, t := range ttls[k] {
				// A TTL set on another node, or in another epoch, is an
				// instant on another clock (propagated as PXAT): it may
				// end any time here (seed 634).
				mine := t.node == w.Node && t.epoch == w.Epoch
				skip = skip || (t.call < w.Return && (t.end >= w.Call || !mine))
			}
		}
		if skip || lt.interrupted(w) {
			continue
		}
		cause := false
		for j := range ops {
			if o := &ops[j]; j != i && o.Node == w.Node && o.Call < w.Return && (o.Unknown || o.Return >= w.Call) && touches(o, keys) {
				cause = true
				break
			}
		}
		if !cause {
			agg.addV("watch-nil", Violation{Detail: fmt.Sprintf(
				"client %d's EXEC on %s answered nil, but nothing touched its watched keys between WATCH and EXEC (no write, flush or eviction of them on %s, and none can expire): %s [%s..%s]",
				w.Client, w.Node, w.Node, w.Describe(), seconds(w.Call), seconds(w.Return)),
				At: w.Return, Nodes: []string{w.Node}, Keys: opKeys(w), Ops: []OpRef{w.Ref()}})
		}
	}
	return agg.violations(PropLinearizability)
}

// interrupted reports whether a master epoch began, or a process of op's
// node ended or its dataset was reloaded, within op's interval.
func (l Lifetimes) interrupted(op *Op) bool {
	for _, at := range l.EpochStarts {
		if at > op.Call && at <= op.Return {
			return true
		}
	}
	for _, at := range append(l.Ends[op.Node], l.Flushes[op.Node]...) {
		if at > op.Call && at <= op.Return {
			return true
		}
	}
	return false
}

// touches reports whether op may have touched one of keys: a write that
// was not refused, naming one of them, a flush, or an eviction.
func touches(op *Op, keys map[string]bool) bool {
	if !op.Writes() || (op.Err != "" && !op.Unknown) {
		return false
	}
	if op.Kind == OpFlush {
		return true
	}
	for _, k := range opKeys(op) {
		if keys[k] {
			return true
		}
	}
	return false
}

// ttlOf reports whether op (or a command of it) may give its keys a TTL,
// and its length in ms (-1: unknown or absolute, it may end any time).
// Keeping a TTL (KEEPTTL, INCR, ...) gives none: the one kept came from
// another operation. Moving one between keys (RENAME, COPY) gives an
// unknown one.
func ttlOf(op *Op) (ms int64, ok bool) {
	if op.Kind == OpRename {
		return -1, true
	}
	if op.TTL > 0 && op.Kind != OpKeepTTL {
		ms, ok = op.TTL, true
	}
	for i, a := range op.Args {
		switch up := strings.ToUpper(a); {
		case i == 0 && (up == "COPY" || up == "RENAME" || up == "RENAMENX" || up == "MOVE" || up == "EXPIREAT" ||
			up == "PEXPIREAT" || up == "GETEX" || up == "RESTORE"):
			return -1, true
		case i > 0 && (up == "PXAT" || up == "EXAT"):
			return -1, true
		case i == 0 && (up == "EXPIRE" || up == "PEXPIRE" || up == "SETEX" || up == "PSETEX"),
			i > 0 && (up == "PX" || up == "EX"):
			if op.TTL <= 0 {
				return -1, true // a TTL the operation does not carry in TTL
			}
		}
	}
	cmds := op.Sub
	if op.Kind == OpTx {
		cmds = txCommands(op) // not those of a nil EXEC
	}
	for i := range cmds {
		if sub, subOK := ttlOf(&cmds[i]); subOK {
			if sub < 0 {
				return -1, true
			}
			ms, ok = max(ms, sub), true
		}
	}
	return ms, ok
}
