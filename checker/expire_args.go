package checker

import (
	"math"
	"strconv"
	"strings"
)

// expireWords is the EXPIRE-family command op (OpExpire) sent: its Args,
// or PEXPIRE Key TTL [Mode] for an op the workload built from its fields.
func expireWords(op *Op) []string {
	if len(op.Args) > 0 {
		return op.Args
	}
	w := []string{"PEXPIRE", op.Key, strconv.FormatInt(op.TTL, 10)}
	if op.Mode != "" {
		w = append(w, op.Mode)
	}
	return w
}

// expireArgErr is the argument error Redis 7.0.15's expireGenericCommand
// answers EXPIRE, PEXPIRE, EXPIREAT or PEXPIREAT key when [NX|XX|GT|LT
// ...] with, in its order (the options, the number, its overflow), ""
// for none: the command then answers 0 or 1. A relative time so large
// that adding the node's clock may overflow is argsUnjudged.
func expireArgErr(words []string) string {
	if len(words) < 3 {
		return argsUnjudged
	}
	var nx, xx, gt, lt bool
	for _, o := range words[3:] {
		switch strings.ToUpper(o) {
		case "NX":
			nx = true
		case "XX":
			xx = true
		case "GT":
			gt = true
		case "LT":
			lt = true
		default:
			return "ERR Unsupported option " + o
		}
	}
	switch {
	case nx && (xx || gt || lt):
		return "ERR NX and XX, GT or LT options at the same time are not compatible"
	case gt && lt:
		return "ERR GT and LT options at the same time are not compatible"
	}
	when, ok := isInt(words[2])
	if !ok {
		return errArgNotInt
	}
	name := strings.ToLower(words[0])
	invalid := "ERR invalid expire time in '" + name + "' command"
	if name == "expire" || name == "expireat" {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return invalid
		}
		when *= 1000
	}
	// basetime is the node's clock in ms for EXPIRE and PEXPIRE (about
	// 1.7e12 now; 1e14 leaves room for any skew), 0 for the AT forms.
	if (name == "expire" || name == "pexpire") && when > math.MaxInt64-1e14 {
		return argsUnjudged
	}
	return ""
}

// expireErrExplained says whether op's error reply is one Redis 7.0.15
// could give for it: a refusal of the node's state, or exactly its
// argument error.
func expireErrExplained(op *Op) bool {
	want := expireArgErr(expireWords(op))
	return isEnvRefusal(op.Err) || want == argsUnjudged || op.Err == want
}

// expireRefused says Redis 7.0.15 refuses op's arguments whatever the
// key holds.
func expireRefused(op *Op) bool {
	want := expireArgErr(expireWords(op))
	return want != "" && want != argsUnjudged
}
