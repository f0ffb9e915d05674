package checker

import (
	"strconv"
	"strings"
)

// The replica reads the prefix check judges: GET, EXISTS, TYPE, and the
// read commands of the registry (HGET, SMEMBERS, LRANGE, ZRANGE, ...),
// each against the replayed values of its keys at one offset the replica
// held while it ran, every key alive or expired on the replica's clock.

// prefixRead says whether the prefix check judges op: an answered read of
// one of those kinds (a registry read refused with WRONGTYPE too, which
// says what type its key held).
func prefixRead(op *Op) bool {
	if op.Unknown {
		return false
	}
	switch op.Kind {
	case OpGet, OpExists:
		return op.Err == ""
	case OpRead:
		return op.Err == "" && op.Mode == "TYPE" && op.Key != ""
	case OpCmd:
		c := lookupCmd(op.Args)
		return c != nil && !c.write && CheckCmd(op.Args) == nil && (op.Err == "" || isWrongType(op.Err))
	}
	return false
}

// readKeys are the keys a judged read reads, in the order readFits takes
// their values.
func readKeys(op *Op) []string {
	if op.Kind != OpCmd {
		return []string{op.Key}
	}
	var out []string
	for _, p := range CmdKeys(op.Args) {
		out = append(out, op.Args[p])
	}
	return out
}

// readFits says whether op's reply fits its keys' values vals (readKeys
// order) when the replica's clock read some Unix time in [loMs, hiMs]
// while it ran. As in Redis, a key with a TTL reads as missing once the
// replica's clock is past its expiry (now > when), whether or not the
// master deleted it yet. A command of several keys fits if each key's
// part does, as the linearizability model judges it.
func readFits(op *Op, vals []kv, loMs, hiMs int64) bool {
	alive := func(v kv) bool { return v.exists && (v.expireAt == 0 || loMs <= v.expireAt) }
	gone := func(v kv) bool { return !v.exists || (v.expireAt != 0 && hiMs > v.expireAt) }
	v := vals[0]
	switch op.Kind {
	case OpGet:
		if op.Exists {
			return alive(v) && v.typ == "" && v.val == op.Result
		}
		return gone(v)
	case OpExists:
		if op.Int == 1 {
			return alive(v)
		}
		return op.Int == 0 && gone(v)
	case OpRead: // TYPE
		if op.Reply == "none" {
			return gone(v)
		}
		return alive(v) && op.Reply == typeName(v.typ)
	}
	c := lookupCmd(op.Args)
	parts := cmdParts(*op)
	for i := range parts {
		v := vals[i]
		fits := func(prior Value) bool {
			ok, _ := judgeCmd(c, prior, &parts[i])
			return ok
		}
		if !(alive(v) && fits(Value{Exists: true, Type: v.typ, Val: v.val})) && !(gone(v) && fits(Value{})) {
			return false
		}
	}
	return true
}

// describeRead renders a judged read and its reply for a violation.
func describeRead(op *Op) string {
	switch op.Kind {
	case OpGet:
		got := "(nil)"
		if op.Exists {
			got = strconv.Quote(op.Result)
		}
		return "GET " + op.Key + " with " + got
	case OpExists:
		return "EXISTS " + op.Key + " with " + strconv.FormatInt(op.Int, 10)
	case OpRead:
		return "TYPE " + op.Key + " with " + op.Reply
	}
	reply := op.Reply
	if op.Err != "" {
		reply = "(error) " + op.Err
	}
	return strings.Join(op.Args, " ") + " with " + reply
}

// describeVals renders the values of a read's keys at one offset.
func describeVals(keys []string, vals []kv) string {
	if len(keys) == 1 {
		return vals[0].String()
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + vals[i].String()
	}
	return strings.Join(parts, " ")
}
