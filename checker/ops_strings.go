package checker

import (
	"math"
	"strconv"
	"strings"
)

// The model of the string commands beyond GET, SET, INCR, DEL and MULTI
// (OpSetNX .. OpFlush). Each step judges one key: a multi-key command
// (MSET, MGET, RENAME, FLUSHDB) is split by LinOps into one operation per
// key (Part), which checks each key's history on its own — weaker than
// checking the command whole, never stricter. Whenever what a key holds
// cannot be known (a value moved in by RENAME, an outcome that may or may
// not have happened with different effects), the state becomes unknown: a
// free variable the next revealing operation pins down.

// alive and gone say the key may exist at some instant of op's interval,
// and may not exist at some instant of it.
func (o modelOpts) alive(st kvState, op *Op) bool { return st.exists && o.mayBeAlive(st, op) }
func (o modelOpts) gone(st kvState, op *Op) bool  { return !st.exists || o.mayBeExpired(st, op) }

// ambiguous is the state after an operation whose effect cannot be pinned
// down.
func ambiguous() kvState { return kvState{unknown: true} }

// stepString dispatches the kinds of this file.
func (o modelOpts) stepString(st kvState, op *Op) (bool, kvState) {
	if op.Err != "" && !op.Unknown {
		return o.stepError(st, op)
	}
	switch op.Kind {
	case OpSetNX:
		return o.stepConditional(st, op, true)
	case OpSetXX:
		return o.stepConditional(st, op, false)
	case OpSetGet, OpGetDel:
		if ok, _ := o.stepGet(st, op); !ok {
			return false, st
		}
		if op.Kind == OpGetDel {
			return true, kvState{}
		}
		return true, written(op.Value, op)
	case OpKeepTTL:
		return true, o.keepTTL(st, op)
	case OpAppend:
		return o.stepRewrite(st, op, func(old string) string { return old + op.Value })
	case OpSetRange:
		if op.Value == "" {
			// SETRANGE of nothing writes nothing (no key is made): its
			// reply is STRLEN's.
			r := *op
			r.Kind = OpStrlen
			return o.stepString(st, &r)
		}
		if stringTooLong(op.By, int64(len(op.Value))) {
			return op.Unknown, st // refused: proto-max-bulk-len
		}
		return o.stepRewrite(st, op, func(old string) string { return setRange(old, int(op.By), op.Value) })
	case OpIncrBy:
		return o.stepIncrBy(st, op)
	case OpExpire:
		if expireRefused(op) && !op.Unknown {
			return false, st // Redis refuses these arguments
		}
		return o.stepExpire(st, op)
	case OpPersist:
		return o.stepPersist(st, op)
	case OpPTTL:
		return o.stepPTTL(st, op)
	case OpExists:
		return o.stepPresence(st, op, op.Int == 1, func(kvState) bool { return true })
	case OpStrlen:
		if op.Int == 0 {
			// No key, or an empty string.
			empty := o.alive(st, op) && st.val == ""
			switch {
			case op.Unknown || st.unknown:
				return true, st
			case empty && o.gone(st, op):
				return true, ambiguous()
			case empty:
				return true, st
			}
			return o.stepPresence(st, op, false, nil)
		}
		return o.stepPresence(st, op, true, func(s kvState) bool { return int64(len(s.val)) == op.Int })
	case OpGetRange:
		if op.Result == "" {
			// An empty range, or no key at all.
			ok := st.unknown || op.Unknown || o.gone(st, op) || getRange(st.val, op.By, op.Int2) == ""
			return ok, st
		}
		return o.stepPresence(st, op, true, func(s kvState) bool { return getRange(s.val, op.By, op.Int2) == op.Result })
	case OpMSet:
		val := op.Value
		if op.Part == 1 {
			val = op.Value2
		}
		return true, kvState{exists: true, val: val}
	case OpMGet:
		g := *op
		g.Kind, g.Exists, g.Result = OpGet, false, ""
		if op.Part < len(op.Sub) {
			g.Exists, g.Result = op.Sub[op.Part].Exists, op.Sub[op.Part].Result
		}
		return o.stepGet(st, &g)
	case OpRename:
		return o.stepRename(st, op)
	case OpFlush:
		return true, kvState{}
	case OpRead:
		switch op.Mode {
		case "TYPE":
			return o.stepType(st, op)
		case "TTL":
			// TTL says what PTTL says (-2 no key, -1 no TTL, else a TTL),
			// in seconds, rounded.
			if op.Err != "" {
				return true, st
			}
			return o.stepPTTL(st, op)
		}
		return true, st
	case OpTx:
		// LinOps left the commands on this key in Sub, in order: they run
		// back to back at the transaction's one instant.
		for i := range op.Sub {
			ok, next := o.step(st, &op.Sub[i])
			if !ok {
				return false, st
			}
			st = next
		}
		return true, st
	}
	return false, st
}

// stepError judges an error reply: it had no effect; a rename of a
// missing key must be explained by the key's absence, and an INCRBY's
// "not an integer" by its value.
func (o modelOpts) stepError(st kvState, op *Op) (bool, kvState) {
	switch {
	case op.Kind == OpExpire:
		return expireErrExplained(op), st
	case op.Kind == OpPersist || op.Kind == OpPTTL || op.Kind == OpExists || op.Kind == OpMSet || op.Kind == OpMGet:
		// Any key, any type, no argument Redis refuses: only the node's
		// state refuses them.
		return isEnvRefusal(op.Err), st
	case op.Kind == OpStrlen || op.Kind == OpGetDel:
		return isEnvRefusal(op.Err) || isWrongType(op.Err), st
	case op.Kind == OpRename && op.Part == 0 && op.Err == "ERR no such key":
		if st.unknown {
			return true, kvState{}
		}
		if o.gone(st, op) {
			return true, kvState{}
		}
		return false, st
	case op.Kind == OpIncrBy && op.Err == "ERR value is not an integer or out of range":
		if st.unknown {
			return true, st
		}
		_, num := isInt(st.val)
		return o.alive(st, op) && !num, st
	case op.Kind == OpIncrBy && op.Err == errIncrOverflow:
		return o.overflowExplained(st, op, op.By), st
	case op.Kind == OpSetRange && !isEnvRefusal(op.Err):
		// checkStringLength's error, exactly when the string would
		// outgrow proto-max-bulk-len (an empty value is no write, and
		// an offset out of range or of another type is refused first).
		too := op.Value != "" && stringTooLong(op.By, int64(len(op.Value)))
		if op.Err == errStringTooLong || too {
			return too && op.Err == errStringTooLong, st
		}
	}
	return typedErrorPlausible(op), st
}

// typedErrors are, besides a refusal of the node's state, the errors
// Redis 7.0.15 may give the string kinds' commands in the forms the
// workload sends (prefixes): WRONGTYPE where they read a string, and the
// argument and value errors of their options (SET's EX/PX, an offset or
// an increment). Any other error is a node refusing a command Redis runs.
var typedErrors = map[OpKind][]string{
	OpSet:      {errArgSyntax, errArgNotInt, "ERR invalid expire time in "},
	OpSetNX:    {errArgSyntax, errArgNotInt, "ERR invalid expire time in "},
	OpSetXX:    {errArgSyntax, errArgNotInt, "ERR invalid expire time in "},
	OpKeepTTL:  {errArgSyntax, errArgNotInt, "ERR invalid expire time in "},
	OpSetGet:   {errArgSyntax, errArgNotInt, "ERR invalid expire time in ", "WRONGTYPE"},
	OpIncr:     {"WRONGTYPE"},
	OpAppend:   {errStringTooLong, "WRONGTYPE"},
	OpIncrBy:   {"ERR decrement would overflow", "WRONGTYPE"},
	OpGetRange: {errArgNotInt, "WRONGTYPE"},
	OpSetRange: {"ERR offset is out of range", errArgNotInt, errStringTooLong, "WRONGTYPE"},
	OpRename:   {"ERR no such key"},
	OpFlush:    {errArgSyntax},
}

// typedErrorPlausible says whether op's error is a refusal of the node's
// state or one of typedErrors for its kind (a kind without a list is not
// judged).
func typedErrorPlausible(op *Op) bool {
	if isEnvRefusal(op.Err) {
		return true
	}
	list, judged := typedErrors[op.Kind]
	if !judged {
		return true
	}
	for _, p := range list {
		if strings.HasPrefix(op.Err, p) {
			return true
		}
	}
	return false
}

// overflowExplained says an INCRBY by by may have found an integer it
// cannot add by to.
func (o modelOpts) overflowExplained(st kvState, op *Op, by int64) bool {
	if st.unknown {
		return true
	}
	cur, num := isInt(st.val)
	return o.alive(st, op) && num && incrOverflows(cur, by)
}

// stepPresence judges a read that says whether the key exists and, if it
// does, something match checks of its value.
func (o modelOpts) stepPresence(st kvState, op *Op, present bool, match func(kvState) bool) (bool, kvState) {
	switch {
	case op.Unknown:
		return true, st
	case st.unknown:
		if !present {
			return true, kvState{}
		}
		return true, st // it exists, with a value still unknown
	case present:
		return o.alive(st, op) && match(st), st
	case !st.exists:
		return true, st
	case o.mayBeExpired(st, op):
		return true, kvState{}
	}
	return false, st
}

// stepConditional is SET NX (nx) or SET XX: Int 1 if it wrote.
func (o modelOpts) stepConditional(st kvState, op *Op, nx bool) (bool, kvState) {
	wrote := written(op.Value, op)
	if st.unknown {
		if op.Unknown {
			return true, st
		}
		if op.Int == 1 {
			return true, wrote
		}
		if nx {
			return true, st // it exists, value unknown
		}
		return true, kvState{}
	}
	mayWrite, mayNot := o.gone(st, op), o.alive(st, op)
	if !nx {
		mayWrite, mayNot = mayNot, mayWrite
	}
	switch {
	case op.Unknown && mayWrite && mayNot:
		return true, ambiguous()
	case op.Unknown && mayWrite:
		return true, wrote
	case op.Unknown:
		return true, st
	case op.Int == 1:
		return mayWrite, wrote
	}
	if !mayNot {
		return false, st
	}
	if !nx && o.gone(st, op) {
		return true, kvState{} // XX found no key: it may have expired
	}
	return true, st
}

// keepTTL is SET KEEPTTL: the new value with whatever TTL the key had.
func (o modelOpts) keepTTL(st kvState, op *Op) kvState {
	next := kvState{exists: true, val: op.Value}
	switch {
	case st.unknown:
		if o.ttlSeen {
			next.ttl, next.expLo, next.expHi = true, math.MinInt64, math.MaxInt64
		}
	case st.exists && st.ttl && o.gone(st, op):
		// The old key may have expired first: then no TTL.
		next.ttl, next.expLo, next.expHi = true, math.MinInt64, math.MaxInt64
	case st.exists && st.ttl:
		next.ttl, next.expLo, next.expHi = true, st.expLo, st.expHi
	}
	return next
}

// sureTTL says the key certainly carries a TTL: a window of (-inf, +inf)
// means "may carry one", and an open end one that may have lapsed into a
// fresh key with none (an INCR across the expiry, a write with no reply).
func sureTTL(st kvState) bool {
	return st.ttl && st.expLo != math.MinInt64 && st.expHi != math.MaxInt64
}

// stepRewrite is APPEND or SETRANGE: the new value is f(old value, "" if
// none), Int its length; the key keeps its TTL.
func (o modelOpts) stepRewrite(st kvState, op *Op, f func(string) string) (bool, kvState) {
	if st.unknown {
		return true, st
	}
	onOld, onNone := st, kvState{exists: true}
	onOld.val, onNone.val = f(st.val), f("")
	alive, gone := o.alive(st, op), o.gone(st, op)
	if op.Unknown {
		switch {
		case alive && gone:
			return true, ambiguous()
		case alive:
			return true, onOld
		}
		return true, onNone
	}
	fits := func(s kvState) bool { return int64(len(s.val)) == op.Int }
	switch {
	case alive && fits(onOld) && gone && fits(onNone) && onOld.val != onNone.val:
		return true, ambiguous()
	case alive && fits(onOld) && gone && fits(onNone) && onOld.ttl:
		// The same value either way, but a fresh key has no TTL: it may
		// carry the old one or none (chaos seed 1607: APPEND to an empty
		// string that may have expired).
		onOld.expLo, onOld.expHi = math.MinInt64, math.MaxInt64
		return true, onOld
	case alive && fits(onOld):
		return true, onOld
	case gone && fits(onNone):
		return true, onNone
	}
	return false, st
}

// stepIncrBy is INCRBY By: Int the result.
func (o modelOpts) stepIncrBy(st kvState, op *Op) (bool, kvState) {
	if st.unknown {
		if op.Unknown {
			return true, st
		}
		return true, o.learned(true, strconv.FormatInt(op.Int, 10))
	}
	alive, gone := o.alive(st, op), o.gone(st, op)
	cur, num := isInt(st.val)
	fromOld := func() (kvState, bool) {
		if !alive || !num || (op.By > 0 && cur > math.MaxInt64-op.By) || (op.By < 0 && cur < math.MinInt64-op.By) {
			return st, false
		}
		next := st
		next.val = strconv.FormatInt(cur+op.By, 10)
		return next, true
	}
	fresh := kvState{exists: true, val: strconv.FormatInt(op.By, 10)}
	old, okOld := fromOld()
	if op.Unknown {
		switch {
		case okOld && gone:
			return true, ambiguous()
		case okOld:
			return true, old
		case alive && gone:
			// It failed on the live value, or made a fresh key of the
			// expired one (seed 2900661).
			return true, ambiguous()
		case alive:
			return true, st // it would have failed
		}
		return true, fresh
	}
	if okOld && old.val == strconv.FormatInt(op.Int, 10) {
		if gone && op.Int == op.By {
			old.expHi = math.MaxInt64 // or a fresh key with no TTL
		}
		return true, old
	}
	if gone && op.Int == op.By {
		return true, fresh
	}
	return false, st
}

// expiryWindow is when a PEXPIRE of op sets the key to expire.
func expiryWindow(op *Op) (lo, hi int64) {
	if absExpiry(op) {
		return op.TTL * 1e6, op.TTL * 1e6
	}
	lo = addSat(op.Call, op.TTL*1e6)
	hi = math.MaxInt64
	if !op.Unknown {
		hi = addSat(op.Return, op.TTL*1e6)
	}
	return lo, hi
}

// stepExpire is PEXPIRE TTL [NX|XX|GT|LT]: Int 1 if it set the TTL (or,
// with TTL 0, deleted the key).
func (o modelOpts) stepExpire(st kvState, op *Op) (bool, kvState) {
	if st.unknown {
		if !op.Unknown && op.Int == 0 {
			return true, st
		}
		return true, ambiguous()
	}
	lo, hi := expiryWindow(op)
	// may and must: the option's condition may hold, must hold.
	may, must := true, true
	maybeTTL, sure := st.ttl, sureTTL(st)
	// The node compares expiry times on its own clock, which may run
	// apart from virtual time by the slack (jumps, drift).
	sl := o.slack
	if absExpiry(op) && exactExpiry(st) {
		sl = 0 // two absolute times: Redis compares the numbers as given
	}
	switch op.Mode {
	case "NX":
		may, must = !sure, !maybeTTL
	case "XX":
		may, must = maybeTTL, sure
	case "GT":
		may, must = maybeTTL && addSat(hi, sl) > addSat(st.expLo, -sl), sure && addSat(lo, -sl) > addSat(st.expHi, sl)
	case "LT":
		may, must = !sure || addSat(lo, -sl) < addSat(st.expHi, sl), !maybeTTL || addSat(hi, sl) < addSat(st.expLo, -sl)
	}
	alive, gone := o.alive(st, op), o.gone(st, op)
	set := st
	if op.TTL <= 0 {
		set = kvState{}
	} else {
		set.ttl, set.expLo, set.expHi = true, lo, hi
	}
	switch {
	case op.Unknown:
		if alive && may && !(must && !gone) {
			return true, ambiguous()
		}
		if alive && must && !gone {
			return true, set
		}
		return true, st
	case op.Int == 1:
		return alive && may, set
	}
	if gone || !must {
		return true, st
	}
	return false, st
}

// absFloorNs is where absolute expiries begin: no relative TTL (at most
// about 31 years, oplists' bound) lands this far from virtual time zero.
const absFloorNs = 2e18

// absExpiry says op is PEXPIREAT or EXPIREAT (Args as sent) at an instant
// past absFloorNs: its TTL is then that instant's distance (ms) from
// virtual time zero, on the node's own clock, not a time from the call.
func absExpiry(op *Op) bool {
	return op.Kind == OpExpire && op.TTL >= absFloorNs/1e6 && op.TTL <= math.MaxInt64/1_000_000 && len(op.Args) > 0 &&
		(strings.EqualFold(op.Args[0], "PEXPIREAT") || strings.EqualFold(op.Args[0], "EXPIREAT"))
}

// exactExpiry says st's expiry is one absolute instant an absolute expiry
// gave it (a window of one instant past absFloorNs).
func exactExpiry(st kvState) bool {
	return st.ttl && st.expLo == st.expHi && st.expLo >= absFloorNs
}

// stepPersist is PERSIST: Int 1 if it removed a TTL.
func (o modelOpts) stepPersist(st kvState, op *Op) (bool, kvState) {
	if st.unknown {
		return true, ambiguous()
	}
	noTTL := st
	noTTL.ttl, noTTL.expLo, noTTL.expHi = false, 0, 0
	alive, gone := o.alive(st, op), o.gone(st, op)
	switch {
	case op.Unknown:
		if alive && st.ttl {
			return true, ambiguous()
		}
		return true, st
	case op.Int == 1:
		return alive && st.ttl, noTTL
	}
	if gone || !sureTTL(st) {
		if st.exists && !gone {
			return true, noTTL // it had none
		}
		return true, st
	}
	return false, st
}

// stepPTTL is PTTL: -2 no key, -1 no TTL, else a TTL.
func (o modelOpts) stepPTTL(st kvState, op *Op) (bool, kvState) {
	switch {
	case op.Unknown:
		return true, st
	case op.Int == -2:
		return o.stepPresence(st, op, false, nil)
	case st.unknown:
		return true, st
	case op.Int == -1:
		if !o.alive(st, op) || sureTTL(st) {
			return false, st
		}
		next := st
		next.ttl, next.expLo, next.expHi = false, 0, 0
		return true, next
	}
	return o.alive(st, op) && st.ttl && o.ttlLeftFits(st, op), st
}

// ttlLeftFits says a PTTL's (or TTL's) positive or zero reply fits the
// key's expiry window: at some instant t of the call, the node's time
// left, expire - now (ttlGenericCommand; 0 for an expiry already passed),
// puts the expiry in [expLo, expHi], give or take the clock slack and a
// millisecond of each clock's rounding. TTL rounds the milliseconds half
// up to seconds.
func (o modelOpts) ttlLeftFits(st kvState, op *Op) bool {
	const ms = int64(1e6)
	lo, hi := op.Int*ms, op.Int*ms // the time left, ns
	if op.Kind != OpPTTL {
		lo, hi = (op.Int*1000-500)*ms, (op.Int*1000+499)*ms
	}
	if op.Int == 0 {
		lo = math.MinInt64
	}
	sl := o.slack
	if exactExpiry(st) {
		sl = max(sl, o.offset) // an instant on the node's clock, not relative to a call
	}
	return addSat(addSat(op.Call, lo), -ms) <= addSat(st.expHi, sl) &&
		addSat(addSat(op.Return, hi), ms) >= addSat(st.expLo, -sl)
}

// stepRename judges RENAME (Mode "NX": RENAMENX) for its source (Part 0)
// or its destination (Part 1); errors are stepError's.
func (o modelOpts) stepRename(st kvState, op *Op) (bool, kvState) {
	renamed := op.Mode != "NX" || op.Int == 1
	if op.Part == 0 && op.Key == op.Key2 {
		// RENAME k k answers OK (RENAMENX k k 0) if the key is there,
		// and changes nothing.
		switch {
		case op.Unknown || st.unknown:
			return true, st
		}
		return o.alive(st, op) && (op.Mode != "NX" || op.Int == 0), st
	}
	if op.Part == 0 {
		switch {
		case op.Unknown:
			if st.unknown || o.alive(st, op) {
				return true, ambiguous()
			}
			return true, st
		case st.unknown:
			if renamed {
				return true, kvState{}
			}
			return true, st
		case !o.alive(st, op):
			return false, st
		case renamed:
			return true, kvState{}
		}
		return true, st
	}
	switch {
	case op.Unknown:
		return true, ambiguous()
	case renamed:
		return st.unknown || op.Mode != "NX" || o.gone(st, op), ambiguous()
	case st.unknown:
		return true, st
	}
	return o.alive(st, op), st
}

// getRange is GETRANGE's substring, with Redis's rules for negative and
// out-of-range indexes.
func getRange(s string, start, end int64) string {
	n := int64(len(s))
	if n == 0 || (start < 0 && end < 0 && start > end) {
		return ""
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, n-1)
	if start > end {
		return ""
	}
	return s[start : end+1]
}

// setRange is SETRANGE's result: s padded with zero bytes to off, then
// overwritten with v from off.
func setRange(s string, off int, v string) string {
	if len(v) == 0 {
		return s
	}
	b := []byte(s)
	for len(b) < off+len(v) {
		b = append(b, 0)
	}
	copy(b[off:], v)
	return string(b)
}
