package checker

import (
	"math"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The string commands of the registry: GETEX and MSETNX. GETEX is a GET
// that may also set (EX, PX, EXAT, PXAT) or remove (PERSIST) the key's
// TTL, or delete it (EXAT or PXAT already past); Redis never propagates it
// as sent but as PEXPIREAT, PERSIST or DEL (the stream replay knows
// those), so a GETEX in a stream is a violation of its own. MSETNX sets
// all its keys if none exists (reply 1), else none (reply 0): judged key
// by key, a 1 needs each key absent; a 0 is judged only when the command
// has one key (it then needs the key there).

func init() {
	str := tap.TypeString
	registerCommands(
		&command{name: "GETEX", args: getexArgs, err: getexErr, arity: -2, typ: str, write: true, step: getexStep, reveal: getexReveal,
			never: "GETEX propagates as PEXPIREAT, PERSIST or DEL (or not at all)"},
		&command{name: "MSETNX", args: msetnxArgs, arity: -3, write: true, keys: msetnxKeys,
			untyped: func(int) bool { return true }, step: msetnxStep},
	)
}

// getexOpts is GETEX's option: mode "" (none), "EX", "PX", "EXAT",
// "PXAT" or "PERSIST", with its number (ms, absolute for EXAT and PXAT).
type getexOpts struct {
	mode string
	ms   int64
	// numErr is the error Redis gives for the number once it found the
	// key ("" for a number it takes, argsUnjudged when that depends on
	// the node's clock: a relative time that may overflow).
	numErr string
}

// pastMs bounds the absolute times (EXAT, PXAT) the model calls past:
// before 2001, long before any node's clock (the simulation starts in
// 2026, clock jumps move it by minutes). A later time is not modelled.
const pastMs = 1_000_000_000_000

// errGetexExpire is getExpireMillisecondsOrReply's error for GETEX.
const errGetexExpire = "ERR invalid expire time in 'getex' command"

// parseGetex parses GETEX key [options] as Redis 7.0.15's
// parseExtendedStringArgumentsOrReply does for COMMAND_GET: an option
// may repeat (the last number counts), EX, PX, EXAT, PXAT and PERSIST
// exclude one another, each number needs a word after it. err is the
// syntax error, if any; the number is checked as
// getExpireMillisecondsOrReply does (numErr).
func parseGetex(args []string) (o getexOpts, err string) {
	var arg string
	for j := 2; j < len(args); j++ {
		opt := strings.ToUpper(args[j])
		next := j+1 < len(args)
		switch {
		case opt == "PERSIST" && (o.mode == "" || o.mode == "PERSIST"):
			o.mode = opt
		case (opt == "EX" || opt == "PX" || opt == "EXAT" || opt == "PXAT") && (o.mode == "" || o.mode == opt) && next:
			o.mode, arg = opt, args[j+1]
			j++
		default:
			return getexOpts{}, errArgSyntax
		}
	}
	if o.mode == "" || o.mode == "PERSIST" {
		return o, ""
	}
	v, ok := isInt(arg)
	seconds := o.mode == "EX" || o.mode == "EXAT"
	switch {
	case !ok:
		o.numErr = errArgNotInt
	case v <= 0 || (seconds && v > math.MaxInt64/1000):
		o.numErr = errGetexExpire
	}
	if seconds {
		v *= 1000
	}
	o.ms = v
	if o.numErr == "" && (o.mode == "EX" || o.mode == "PX") && v > math.MaxInt64-(1<<42) {
		o.numErr = argsUnjudged // overflows, or not, once the node adds its clock
	}
	return o, ""
}

// getexArgs: a syntax error before anything else; the number's error
// comes only on an existing string (getexErr), an unsure one is not
// judged.
func getexArgs(args []string) string {
	o, err := parseGetex(args)
	switch {
	case err != "":
		return err
	case o.numErr == argsUnjudged:
		return argsUnjudged
	}
	return ""
}

// getexErr: the number's error needs the key there (a string).
func getexErr(v Value, op *Op) bool {
	o, err := parseGetex(op.Args)
	return err == "" && v.Exists && o.numErr != "" && op.Err == o.numErr
}

// getexAfter is what GETEX leaves in the key that held v (a string);
// known is false for an absolute time the model does not place.
func (o getexOpts) after(v Value) (Value, bool) {
	switch o.mode {
	case "PERSIST":
		v.Fresh, v.TTL = true, 0 // the value, without a TTL
	case "EX", "PX":
		v.Fresh, v.TTL = true, o.ms
	case "EXAT", "PXAT":
		if o.ms >= pastMs {
			return Value{Any: true}, false
		}
		return Value{}, true // already past: deleted
	}
	return v, true
}

// getexStep: the reply is the value (nil for no key, which GETEX leaves
// alone); the option then acts on a key that was there.
func getexStep(v Value, op *Op) (bool, Value) {
	o, err := parseGetex(op.Args)
	switch {
	case err != "":
		return op.Unknown, v // refused
	case !v.Exists:
		return op.Unknown || !op.Exists, v
	case o.numErr == argsUnjudged:
		// Refused, or a TTL far away: the value answers either way.
		return op.Unknown || (op.Exists && op.Result == v.Val), Value{Any: true}
	case o.numErr != "":
		return op.Unknown, v // refused, having found the key
	}
	next, _ := o.after(v)
	return op.Unknown || (op.Exists && op.Result == v.Val), next
}

// getexReveal: a reply shows the value the key held, and so what it
// holds after (no key, once an option deleted it).
func getexReveal(op *Op) (Value, bool) {
	o, err := parseGetex(op.Args)
	if err != "" || o.numErr != "" {
		return Value{}, false
	}
	if !op.Exists {
		return Value{}, true
	}
	next, known := o.after(Value{Exists: true, Type: tap.TypeString, Val: op.Result})
	if !known {
		return Value{}, false
	}
	next.Fresh, next.TTL = false, 0 // learned: it may carry a TTL (ttlSeen)
	return next, true
}

// GetexEffect says what a GETEX (args as sent) does to its key when the
// key is there: "" nothing (or refused), "ttl" sets a TTL, "persist"
// removes it, "del" deletes the key, "?" unknown (a form the model does
// not place). It is "" for any other command.
func GetexEffect(args []string) string {
	if len(args) < 2 || !strings.EqualFold(args[0], "GETEX") {
		return ""
	}
	o, err := parseGetex(args)
	switch {
	case err != "":
		return ""
	case o.numErr == argsUnjudged:
		return "?"
	case o.numErr != "":
		return ""
	case o.mode == "PERSIST":
		return "persist"
	case o.mode == "EX" || o.mode == "PX":
		return "ttl"
	case o.mode == "EXAT" || o.mode == "PXAT":
		if o.ms >= pastMs {
			return "?"
		}
		return "del"
	}
	return ""
}

// givesTTL says op may give its key a TTL the model cannot see in op.TTL
// (a RESTORE with a TTL, a GETEX with EX or PX): a key of unknown value
// may then carry one.
func givesTTL(op *Op) bool {
	if op.Kind != OpCmd {
		return false
	}
	e := GetexEffect(op.Args)
	return restoresWithTTL(op) || e == "ttl" || e == "?"
}

func msetnxKeys(args []string) []int {
	var out []int
	for i := 1; i < len(args); i += 2 {
		out = append(out, i)
	}
	return out
}

func msetnxArgs(args []string) string {
	if len(args)%2 == 0 {
		return errArgArity("msetnx")
	}
	return ""
}

// msetnxStep judges MSETNX on its key op.Part: a 1 needs the key absent
// and sets it anew; a 0 needs it there when it is the only key (with
// more, another key may explain it).
func msetnxStep(v Value, op *Op) (bool, Value) {
	i := 2 + 2*op.Part
	if len(op.Args)%2 == 0 || i >= len(op.Args) {
		return op.Unknown, v // refused
	}
	set := Value{Exists: true, Type: tap.TypeString, Val: op.Args[i], Fresh: true}
	switch {
	case op.Unknown && v.Exists:
		return true, v
	case op.Unknown && len(op.Args) == 3:
		return true, set
	case op.Unknown:
		return true, Value{Any: true} // set, or not (another key was there)
	case op.Int == 1:
		return !v.Exists, set
	case op.Int == 0:
		return v.Exists || len(op.Args) > 3, v
	}
	return false, v
}

// stringTooLong is Redis's checkStringLength with the default
// proto-max-bulk-len (512mb; no seed changes it): a string of size+add
// bytes, or one whose size overflows, is refused.
func stringTooLong(size, add int64) bool {
	const limit = 512 << 20
	total := uint64(size) + uint64(add)
	return int64(total) > limit || int64(total) < size || int64(total) < add
}

// errStringTooLong is the error of checkStringLength.
const errStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"

// errIncrOverflow is INCR's, DECR's, INCRBY's and DECRBY's error for a
// result beyond a 64-bit integer.
const errIncrOverflow = "ERR increment or decrement would overflow"

// SetRangeWrites says a SETRANGE of value at offset off can write: an
// empty value only reads the length; one that would outgrow
// proto-max-bulk-len is refused.
func SetRangeWrites(off int64, value string) bool {
	return value != "" && !stringTooLong(off, int64(len(value)))
}

// incrOverflows says cur+by is beyond a 64-bit integer.
func incrOverflows(cur, by int64) bool {
	return (by < 0 && cur < 0 && by < math.MinInt64-cur) || (by > 0 && cur > 0 && by > math.MaxInt64-cur)
}
