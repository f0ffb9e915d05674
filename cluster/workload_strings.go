package cluster

import (
	"math"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// The "strings" family: the string commands and forms the other families
// leave out (checker/ops_strings_cmds.go, ops_strings.go). GETEX with
// each option (EX, PX, PERSIST, none, and EXAT/PXAT in 1970, which
// delete the key), with SET PX and PTTL so the keys it meets carry TTLs;
// MSETNX of one to three keys; SETRANGE of an empty value (a read) and
// past proto-max-bulk-len (refused); INCRBY and DECRBY beyond a 64-bit
// integer (refused, or a counter the next increment overflows); RENAME
// and RENAMENX of a key onto itself; rarely, FLUSHDB or FLUSHALL with
// ASYNC or SYNC.

// protoMaxBulkLen is the node's default proto-max-bulk-len (no seed
// changes it).
const protoMaxBulkLen = 512 << 20

func drawStrings(r *sim.Rand, op *checker.Op, keys int) {
	k := op.Key
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	switch x := r.IntN(20); {
	case x < 8:
		args := []string{"GETEX", k}
		switch y := r.IntN(12); {
		case y < 2:
			args = append(args, "EX", itoa(1+r.Int64N(2)))
		case y < 5:
			args = append(args, "PX", itoa(50+r.Int64N(950)))
		case y < 8:
			args = append(args, "PERSIST")
		case y < 9:
			args = append(args, "EXAT", itoa(1+r.Int64N(1_000_000)))
		case y < 10:
			args = append(args, "PXAT", itoa(1+r.Int64N(1_000_000_000)))
		case y < 11:
			// Refused once the key is found (a missing key answers nil).
			args = append(args, [][]string{{"EX", "0"}, {"PX", "-5"}, {"EXAT", "x"}}[r.IntN(3)]...)
		}
		cmd(op, args...)
	case x < 10:
		op.Kind, op.Value, op.TTL = checker.OpSet, strconv.Itoa(r.IntN(1000)), 50+r.Int64N(950)
	case x < 13:
		args := []string{"MSETNX", k, strconv.Itoa(r.IntN(1000))}
		seen := map[string]bool{k: true}
		for n := r.IntN(3); n > 0 && len(seen) < keys; n-- {
			k2 := otherKey(r, k, keys)
			if !seen[k2] {
				seen[k2] = true
				args = append(args, k2, strconv.Itoa(r.IntN(1000)))
			}
		}
		if r.IntN(15) == 0 && keys > 1 {
			// A key without its value: refused (by the command itself,
			// not the arity check, from four words on).
			if len(args) == 3 {
				args = append(args, otherKey(r, k, keys))
			} else {
				args = args[:len(args)-1]
			}
		}
		cmd(op, args...)
	case x < 14:
		op.Kind, op.By, op.Value = checker.OpSetRange, r.Int64N(20), ""
	case x < 15:
		op.Kind, op.Value = checker.OpSetRange, []string{"Z", "12"}[r.IntN(2)]
		switch r.IntN(3) {
		case 0:
			op.By = protoMaxBulkLen - int64(len(op.Value)) + 1 // one byte too many
		case 1:
			op.By = protoMaxBulkLen + r.Int64N(1<<30)
		default:
			op.By = math.MaxInt64 - r.Int64N(2) // the sum overflows
		}
	case x < 17:
		op.Kind, op.Mode, op.By = checker.OpIncrBy, "INCRBY", math.MaxInt64-r.Int64N(1000)
		if r.Chance(0.5) {
			op.Mode, op.By = "DECRBY", -op.By
		}
	case x < 18:
		op.Kind, op.Key2 = checker.OpRename, k
		if r.Chance(0.5) {
			op.Mode = "NX"
		}
	case x < 19:
		op.Kind = checker.OpPTTL
	default:
		if x := r.IntN(10); x == 1 {
			// A bad flush mode: a fixed reply (checker/fixed_replies.go).
			*op = flushSyntaxError([]string{"FLUSHDB", "FLUSHALL"}[r.IntN(2)], []string{"FOO", "LAZY"}[r.IntN(2)])
			return
		} else if x != 0 {
			op.Kind = checker.OpExists
			return
		}
		op.Kind, op.Key = checker.OpFlush, ""
		name := "FLUSHDB"
		if r.Chance(0.3) {
			op.Mode, name = "ALL", "FLUSHALL"
		}
		op.Args = []string{name, []string{"ASYNC", "SYNC"}[r.IntN(2)]}
	}
}

// flushSyntaxError is FLUSHDB or FLUSHALL with a mode other than ASYNC
// and SYNC: Redis answers a syntax error.
func flushSyntaxError(name, mode string) checker.Op {
	return checker.Op{Kind: checker.OpRead, Mode: "EXPECT", Value: "ERR syntax error", Args: []string{name, mode}}
}
