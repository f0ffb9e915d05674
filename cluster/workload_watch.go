package cluster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// The watch family: Jepsen's compare-and-set over WATCH, one command per
// round trip, so other clients' writes, expiries, flushes, evictions and
// failovers fall in between:
//
//	WATCH k [k2]; GET k -> v; MULTI; SET k f(v) [PX ttl] | INCR k; [a write on k2;] EXEC
//
// Its keys are "wN" (unless the seed shares keys between families), so
// few other writes land on them and a nil EXEC can be judged
// (checker/watch_nil.go). The client computes f(v) from GET's reply
// (casValue). The operation is
// a watch transaction (checker.TxWatch: how the checkers judge it); WATCH
// watches every key of its commands. Some send UNWATCH after GET
// (checker.TxUnwatch): their EXEC must run; some WATCH twice
// (checker.TxRewatch), some WATCH again inside MULTI
// (checker.TxWatchInMulti), which must answer "ERR WATCH inside MULTI is
// not allowed" and change nothing.

func isWatch(op *checker.Op) bool { return op.IsWatchTx() }

// isWatchTag says tag marks a watch transaction in an operation list: its
// mode in lower case.
func isWatchTag(tag string) bool {
	op := checker.Op{Kind: checker.OpTx, Mode: strings.ToUpper(tag)}
	return tag == strings.ToLower(tag) && op.IsWatchTx()
}

// errWatchInMulti is Redis's reply to WATCH inside MULTI.
const errWatchInMulti = "ERR WATCH inside MULTI is not allowed"

func drawWatch(r *sim.Rand, op *checker.Op, keys int) {
	k := op.Key
	op.Kind, op.Key, op.Mode = checker.OpTx, "", checker.TxWatch
	switch r.IntN(16) {
	case 0, 1:
		op.Mode = checker.TxUnwatch
	case 2:
		op.Mode = checker.TxRewatch
	case 3:
		op.Mode = checker.TxWatchInMulti
	}
	cas := checker.Op{Kind: checker.OpSet, Key: k, Value: "1"} // Value: casValue, once GET answered
	switch x := r.IntN(10); {
	case x < 2:
		cas.TTL = 100 + r.Int64N(400) // so a later CAS may watch a key that expires
	case x < 4:
		cas = checker.Op{Kind: checker.OpIncr, Key: k}
	}
	op.Sub = []checker.Op{{Kind: checker.OpGet, Key: k}, cas}
	if keys > 1 && r.Chance(0.3) {
		k2 := otherKey(r, k, keys)
		other := checker.Op{Kind: checker.OpSet, Key: k[:1] + k2[1:], Value: drawValue(r, false)}
		if r.Chance(0.5) {
			// A hash or set write on a key of its type, watched too.
			ns, draw := "h", drawHash
			if r.Chance(0.5) {
				ns, draw = "s", drawSet
			}
			typed := checker.Op{Key: ns + other.Key[1:]}
			draw(r, &typed, 1)
			if typed.Kind == checker.OpCmd && len(checker.CmdKeys(typed.Args)) == 1 {
				other = typed
			}
		}
		op.Sub = append(op.Sub, other)
	}
}

// watchKeys are the keys a watch transaction watches: every key of Sub.
func watchKeys(op *checker.Op) []string {
	var out []string
	for i := range op.Sub {
		if k := op.Sub[i].Key; k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// watchArgs is the WATCH command of op, its keys with their db prefix.
func watchArgs(op *checker.Op) []string { return append([]string{"WATCH"}, watchKeys(op)...) }

// watchRoundTrips renders a watch transaction's requests: WATCH (twice
// for TxRewatch), GET, (UNWATCH,) MULTI, (WATCH,) the queued commands,
// EXEC.
func watchRoundTrips(op *checker.Op) [][]byte {
	watch := resp.AppendCommandStrings(nil, watchArgs(op)...)
	parts := [][]byte{watch}
	if op.Mode == checker.TxRewatch {
		parts = append(parts, watch)
	}
	parts = append(parts, resp.AppendCommandStrings(nil, op.Sub[0].Args...))
	if op.Mode == checker.TxUnwatch {
		parts = append(parts, resp.AppendCommandStrings(nil, "UNWATCH"))
	}
	parts = append(parts, resp.AppendCommandStrings(nil, "MULTI"))
	if op.Mode == checker.TxWatchInMulti {
		parts = append(parts, watch)
	}
	for i := range op.Sub[1:] {
		parts = append(parts, resp.AppendCommandStrings(nil, op.Sub[1+i].Args...))
	}
	return append(parts, resp.AppendCommandStrings(nil, "EXEC"))
}

// casValue is f(v), what the CAS sets k to after GET k answered v: the
// next integer, or 1 when v is none (or not an integer).
func casValue(get *checker.Op) string {
	if n, err := strconv.ParseInt(get.Result, 10, 64); err == nil && get.Exists && get.Err == "" && n < 1<<62 {
		return strconv.FormatInt(n+1, 10)
	}
	return "1"
}

// watchPassedOver sees the reply v to a request of the watch transaction
// in flight before EXEC's, with parts (the requests) still to send: once
// GET's comes, it records it, and the CAS's SET takes f(v).
func (c *simClient) watchPassedOver(v resp.Value) {
	op := &(*c.history())[c.pending]
	if !isWatch(op) {
		return
	}
	all := watchRoundTrips(op)
	sent := len(all) - len(c.parts) // requests sent; v answers the last
	getAt := 1
	if op.Mode == checker.TxRewatch {
		getAt = 2
	}
	switch {
	case sent-1 == getAt && len(op.Sub) > 0:
		recordCommandReply(&op.Sub[0], v)
		// A shrunk transaction may have lost its CAS.
		if len(op.Sub) > 1 && op.Sub[1].Kind == checker.OpSet {
			cas := &op.Sub[1]
			cas.Value = casValue(&op.Sub[0])
			cas.Args = commandArgs(cas)
		}
		c.parts = watchRoundTrips(op)[sent:]
	case op.Mode == checker.TxWatchInMulti && sent-1 == getAt+2 && op.Err == "":
		// WATCH inside MULTI: refused, not queued (or refused earlier
		// for the node's state, as any command may be).
		refused := v.Kind == resp.Error && (string(v.Str) == errWatchInMulti || !strings.HasPrefix(string(v.Str), "ERR "))
		if !refused {
			op.Err = checker.UnexpectedExec + "WATCH inside MULTI answered " + v.String()
		}
	}
}

// recordWatchExec records EXEC's reply v to a watch transaction.
func recordWatchExec(op *checker.Op, v resp.Value) {
	switch {
	case op.Err != "":
		// The inner WATCH's reply already said what went wrong.
	case v.Kind == resp.Error:
		op.Err = string(v.Str)
	case v.Kind == resp.Array && v.Null && op.Mode != checker.TxUnwatch:
		// Aborted by the WATCH: Int stays 0.
	case v.Kind != resp.Array || v.Null || len(v.Array) != len(op.Sub)-1:
		op.Err = checker.UnexpectedExec + op.Reply // nil after UNWATCH, too
	default:
		op.Int = 1
		for i := range v.Array {
			recordCommandReply(&op.Sub[1+i], v.Array[i])
		}
	}
}

// parseWatch parses a watch transaction of an operation list:
// "watch GET k ; MULTI ; ... ; EXEC" (or unwatch, rewatch, watchin: the
// mode in lower case).
func parseWatch(parts [][]string, tag string) (checker.Op, error) {
	n := len(parts)
	if n < 4 || len(parts[0]) != 2 || parts[0][0] != "GET" || !slices.Equal(parts[1], []string{"MULTI"}) ||
		!slices.Equal(parts[n-1], []string{"EXEC"}) {
		return checker.Op{}, fmt.Errorf("%s: want %s GET KEY ; MULTI ; COMMAND ; ... ; EXEC", tag, tag)
	}
	op := checker.Op{Kind: checker.OpTx, Mode: strings.ToUpper(tag), Sub: []checker.Op{{Kind: checker.OpGet, Key: parts[0][1], Args: parts[0]}}}
	for _, words := range parts[2 : n-1] {
		sub, err := commandOp(words)
		if err != nil {
			return checker.Op{}, fmt.Errorf("%s: %v", tag, err)
		}
		if sub.Args == nil {
			sub.Args = commandArgs(&sub)
		}
		if !slices.Equal(sub.Args, words) || sub.Key == "" {
			return checker.Op{}, fmt.Errorf("%s: %s is not a command of one key in the form the workload sends", tag, strings.Join(words, " "))
		}
		op.Sub = append(op.Sub, sub)
	}
	op.Args = watchArgs(&op)
	return op, nil
}

// formatWatch writes a watch transaction as an operation list does.
func formatWatch(b *strings.Builder, op *checker.Op) {
	b.WriteString(strings.ToLower(op.Mode) + " ")
	appendWords(b, CommandWords(&op.Sub[0]))
	b.WriteString(" ; MULTI ; ")
	for i := range op.Sub[1:] {
		appendWords(b, CommandWords(&op.Sub[1+i]))
		b.WriteString(" ; ")
	}
	b.WriteString("EXEC")
}
