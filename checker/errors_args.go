package checker

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Strict judging of error replies, for the registry commands that opt in
// (command.args set). Such a command's error reply is accepted only if it
// is a refusal of the node's state (envRefusals), WRONGTYPE where a key's
// type explains it, exactly the argument error Redis 7.0.15 gives for
// these arguments (args), or an error of the value the command's err
// explains (a field that is no integer, an index out of range). Anything
// else is a node that refused a command Redis would have run.

// envRefusals are the prefixes of the errors a node answers for its state
// before it runs a command, whatever its arguments and data: no
// authentication, a replica (read-only, or stale and told not to serve),
// a failed save, a load, memory, too few replicas for a write, a blocked
// client released by a role change or CLIENT UNBLOCK, a transaction
// discarded.
var envRefusals = []string{"NOAUTH ", "READONLY ", "MASTERDOWN ", "MISCONF ", "LOADING ", "OOM ",
	"NOREPLICAS ", "UNBLOCKED ", "EXECABORT "}

// isEnvRefusal reports whether err is a refusal of the node's state: one
// of envRefusals, a protocol error for a request too large for a client
// that has not authenticated (unauthRefusals: the access checker judges
// when those may come), or a connection over maxclients.
func isEnvRefusal(err string) bool {
	if unauthRefusals[err] || err == "ERR max number of clients reached" {
		return true
	}
	for _, p := range envRefusals {
		if strings.HasPrefix(err, p) {
			return true
		}
	}
	return false
}

// argsUnjudged is what an args function returns for arguments whose
// error it cannot predict exactly: the reply is then judged leniently.
const argsUnjudged = "?"

// argsOrder says when a command checks its arguments.
type argsOrder int

const (
	// argsFirst: before it looks at its keys (most commands).
	argsFirst argsOrder = iota
	// argsAfterType: after the type check (WRONGTYPE first), on a
	// missing key too (INCRBYFLOAT).
	argsAfterType
	// argsAfterLookup: only on a key of its type; a missing key answers
	// without looking at them (LINDEX, LSET).
	argsAfterLookup
)

// judgeArgs judges op with the strict rules, given the argument error
// argErr the command's args predicts ("" when the arguments are valid)
// and whether the key op.Part holds a value of a type the command refuses
// (mismatch), on a part that checks its type (wrong).
func judgeArgs(c *command, argErr string, v Value, op *Op, mismatch, wrong bool) (bool, Value) {
	refused := argErr != "" &&
		(c.argsAt == argsFirst || (!wrong && (c.argsAt == argsAfterType || v.Exists)))
	switch {
	case op.Unknown:
		if refused || wrong {
			return true, v
		}
		return c.step(v, op)
	case isEnvRefusal(op.Err):
		return true, v
	case isWrongType(op.Err):
		if refused {
			return false, v
		}
		return mismatch || len(CmdKeys(op.Args)) > 1, v
	case refused:
		return op.Err == argErr, v
	case op.Err != "":
		return c.err != nil && !wrong && c.err(v, op), v
	case wrong:
		return false, v
	}
	return c.step(v, op)
}

// Argument errors, byte-exact with Redis 7.0.15.
const (
	errArgSyntax   = "ERR syntax error"
	errArgNotInt   = "ERR value is not an integer or out of range"
	errArgPositive = "ERR value is out of range, must be positive"
	errArgFloat    = "ERR value is not a valid float"
	errArgLongMin  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errArgNumkeys  = "ERR numkeys should be greater than 0"
)

func errArgArity(name string) string {
	return "ERR wrong number of arguments for '" + strings.ToLower(name) + "' command"
}

// noArgErrors is the args of a command whose arguments are never refused.
func noArgErrors([]string) string { return "" }

// intArgs is the args of a command whose arguments at positions is must
// be integers.
func intArgs(is ...int) func([]string) string {
	return func(a []string) string {
		for _, i := range is {
			if _, ok := isInt(a[i]); !ok {
				return errArgNotInt
			}
		}
		return ""
	}
}

// positiveArg is Redis's getPositiveLongFromObjectOrReply with msg (a
// non-integer gets msg too when set).
func positiveArg(s, msg string) string {
	if n, ok := isInt(s); ok && n >= 0 {
		return ""
	}
	return msg
}

// longDouble parses s as Redis's string2ld does: ok is false for what it
// refuses (NaN too); known is false for spellings where Go's parser and
// strtold may disagree.
func longDouble(s string) (v float64, ok, known bool) {
	if l := strings.ToLower(strings.TrimLeft(s, "+-")); strings.HasPrefix(l, "0x") || len(s) > 5000 {
		return 0, false, false
	}
	v, err := parseCFloat(s)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, false, false
		}
		return 0, false, true
	}
	return v, !math.IsNaN(v), true
}

// timeoutArg is the error of a blocking command's timeout in seconds.
func timeoutArg(s string) string {
	v, ok, known := longDouble(s)
	switch {
	case !known:
		return argsUnjudged
	case !ok:
		return "ERR timeout is not a float or out of range"
	case v < 0 || v*1000 >= math.MaxInt64:
		// Redis 7.0.15 casts a timeout past LLONG_MAX milliseconds (inf
		// too) to a negative one.
		return "ERR timeout is negative"
	}
	return ""
}

// sideArg is the error of a LEFT/RIGHT argument.
func sideArg(s string) string {
	if strings.EqualFold(s, "LEFT") || strings.EqualFold(s, "RIGHT") {
		return ""
	}
	return errArgSyntax
}

// firstErr returns the first error of checks, in order.
func firstErr(checks ...func() string) string {
	for _, f := range checks {
		if e := f(); e != "" {
			return e
		}
	}
	return ""
}
