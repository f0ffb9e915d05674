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
//
// PEXPIREAT and EXPIREAT give one of a few instants past 2100 (farExpiries):
// no run reaches them, and two of them on one key are often the same
// instant, which is where GT and LT are strict (Redis compares the two
// absolute times, no clock in between). Op.TTL holds the instant's
// distance from virtual time zero (farTTL), which the model reads as that
// exact instant.

func drawForms(r *sim.Rand, op *checker.Op, _ int) {
	k := op.Key
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	switch r.IntN(6) {
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
	case 3:
		op.Kind = checker.OpDel
		op.Args = []string{"UNLINK", k}
	default:
		// Two draws in six, GT and LT the most: the rare case is a second
		// absolute expiry on a key that holds one.
		at := farExpiries[r.IntN(len(farExpiries))]
		op.Kind, op.TTL = checker.OpExpire, farTTL(at)
		op.Mode = []string{"", "", "NX", "XX", "GT", "GT", "LT", "LT"}[r.IntN(8)]
		op.Args = []string{"PEXPIREAT", k, itoa(at)}
		if r.IntN(2) == 0 {
			op.Args = []string{"EXPIREAT", k, itoa(at / 1000)}
		}
		if op.Mode != "" {
			op.Args = append(op.Args, op.Mode)
		}
	}
}

// farExpiries are the absolute expiries (Unix ms) PEXPIREAT and EXPIREAT
// draw from: whole seconds from 2100-01-01T00:00:00Z on.
var farExpiries = []int64{4_102_444_800_000, 4_102_444_801_000}

// latestExpiry is the latest absolute expiry an operation list may give
// (Unix ms, in 2255).
const latestExpiry = 9_000_000_000_000

// farTTL is an absolute expiry's Op.TTL: its distance (ms) from virtual
// time zero.
func farTTL(atMs int64) int64 { return atMs - epochNs/1e6 }

// parseForm maps the words of a command of this family back to its
// operation (for operation lists).
func parseForm(w []string) (checker.Op, bool, error) {
	if len(w) < 2 || !slices.Contains([]string{"SETEX", "PSETEX", "EXPIRE", "PEXPIREAT", "EXPIREAT", "UNLINK"}, w[0]) {
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
		err = expireMode(&op, w, err)
	case (w[0] == "PEXPIREAT" || w[0] == "EXPIREAT") && (len(w) == 3 || len(w) == 4):
		op.Kind = checker.OpExpire
		unit := int64(1)
		if w[0] == "EXPIREAT" {
			unit = 1000
		}
		var at int64
		at, err = num(w[2], farExpiries[0]/unit, latestExpiry/unit)
		op.TTL = farTTL(at * unit)
		err = expireMode(&op, w, err)
	default:
		err = fmt.Errorf("wrong number of arguments (%d)", len(w)-1)
	}
	return op, true, err
}

// expireMode reads an expiry command's option (its fourth word) into
// op.Mode; an option that is none of NX, XX, GT and LT is the error,
// else err stands.
func expireMode(op *checker.Op, w []string, err error) error {
	if len(w) == 4 {
		op.Mode = w[3]
		if !slices.Contains([]string{"NX", "XX", "GT", "LT"}, op.Mode) {
			return fmt.Errorf("want NX, XX, GT or LT, got %q", op.Mode)
		}
	}
	return err
}
