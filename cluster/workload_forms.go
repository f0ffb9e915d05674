package cluster

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// The "forms" family: other spellings of writes the model already knows,
// judged as those (Op.Args holds the command as sent): SETEX and PSETEX
// (a SET with a TTL), EXPIRE in seconds with its options (a PEXPIRE), and
// UNLINK (a DEL). Redis propagates the first two as SET ... PXAT and EXPIRE
// as PEXPIREAT, which the stream replay knows.

func drawForms(r *sim.Rand, op *checker.Op, _ int) {
	k := op.Key
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	switch r.IntN(4) {
	case 0:
		s := 1 + r.Int64N(2)
		op.Kind, op.Value, op.TTL = checker.OpSet, strconv.Itoa(r.IntN(1000)), 1000*s
		op.Args = []string{"SETEX", k, itoa(s), op.Value}
	case 1:
		op.Kind, op.Value, op.TTL = checker.OpSet, strconv.Itoa(r.IntN(1000)), 50+r.Int64N(950)
		op.Args = []string{"PSETEX", k, itoa(op.TTL), op.Value}
	case 2:
		s := 1 + r.Int64N(2)
		op.Kind, op.TTL = checker.OpExpire, 1000*s
		op.Mode = []string{"", "", "NX", "XX", "GT", "LT"}[r.IntN(6)]
		op.Args = []string{"EXPIRE", k, itoa(s)}
		if op.Mode != "" {
			op.Args = append(op.Args, op.Mode)
		}
	default:
		op.Kind = checker.OpDel
		op.Args = []string{"UNLINK", k}
	}
}

// parseForm maps the words of a command of this family back to its
// operation (for operation lists).
func parseForm(w []string) (checker.Op, bool, error) {
	if len(w) < 2 || !slices.Contains([]string{"SETEX", "PSETEX", "EXPIRE", "UNLINK"}, w[0]) {
		return checker.Op{}, false, nil
	}
	op := checker.Op{Key: w[1], Args: w}
	num := func(s string, lo, hi int64) (int64, error) {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < lo || v > hi {
			return 0, fmt.Errorf("want an integer in %d..%d, got %q", lo, hi, s)
		}
		return v, nil
	}
	var err error
	switch {
	case w[0] == "UNLINK" && len(w) == 2:
		op.Kind = checker.OpDel
	case (w[0] == "SETEX" || w[0] == "PSETEX") && len(w) == 4:
		op.Kind, op.Value = checker.OpSet, w[3]
		if w[0] == "SETEX" {
			op.TTL, err = num(w[2], 1, maxTTLms/1000)
			op.TTL *= 1000
		} else {
			op.TTL, err = num(w[2], 1, maxTTLms)
		}
	case w[0] == "EXPIRE" && (len(w) == 3 || len(w) == 4):
		op.Kind = checker.OpExpire
		op.TTL, err = num(w[2], 1, maxTTLms/1000)
		op.TTL *= 1000
		if len(w) == 4 {
			op.Mode = w[3]
			if !slices.Contains([]string{"NX", "XX", "GT", "LT"}, op.Mode) {
				err = fmt.Errorf("want NX, XX, GT or LT, got %q", op.Mode)
			}
		}
	default:
		err = fmt.Errorf("wrong number of arguments (%d)", len(w)-1)
	}
	return op, true, err
}
