package checker

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The string commands (the OpKinds before OpCmd) on keys that may hold
// another type: GET, INCR, APPEND and the others that read a string
// answer WRONGTYPE on a collection and do nothing; SET, MSET and SET
// KEEPTTL overwrite whatever the key holds; EXISTS, DEL, PEXPIRE and the
// other key commands work on any type; MGET answers nil for a key that is
// not a string.

// readsString says the kind reads a string value and so answers
// WRONGTYPE on a key of another type.
func readsString(k OpKind) bool {
	switch k {
	case OpGet, OpIncr, OpSetGet, OpGetDel, OpAppend, OpIncrBy, OpStrlen, OpGetRange, OpSetRange:
		return true
	}
	return false
}

// stepOnType judges the type side of a string kind's op: done says it
// decided (ok, next); otherwise the string model goes on from next (st,
// or the absent key an expired collection left).
func (o modelOpts) stepOnType(st kvState, op *Op) (ok bool, next kvState, done bool) {
	wrongErr := !op.Unknown && isWrongType(op.Err)
	coll := !st.unknown && st.exists && st.typ != ""
	if op.Kind == OpMGet && coll {
		// nil for a collection (alive or expired): a string value
		// cannot be. Nothing changes.
		g := op.Part < len(op.Sub) && op.Sub[op.Part].Exists
		return op.Unknown || op.Err != "" || !g, st, true
	}
	if op.Kind == OpMGet && st.unknown && !op.Unknown && op.Err == "" && op.Part < len(op.Sub) && !op.Sub[op.Part].Exists {
		return true, st, true // absent, or not a string: still unknown
	}
	if !readsString(op.Kind) {
		if wrongErr {
			return st.unknown, st, true
		}
		return true, st, false
	}
	switch {
	case st.unknown:
		if wrongErr {
			return true, st, true
		}
		return true, st, false
	case !coll:
		if wrongErr {
			return false, st, true
		}
		return true, st, false
	}
	alive, gone := o.alive(st, op), o.gone(st, op)
	switch {
	case op.Unknown && alive && gone:
		return true, ambiguous(), true
	case op.Unknown && alive:
		return true, st, true // it failed with WRONGTYPE
	case op.Unknown:
		return true, kvState{}, false
	case wrongErr:
		return alive, st, true
	case op.Err != "" && !strings.Contains(op.Err, "not an integer"):
		return true, st, true // refused: no effect
	case !gone:
		return false, st, true
	}
	return true, kvState{}, false // it had expired: a string command on no key
}

// describeValue renders a collection's canonical value for humans.
func describeValue(typ, val string) string {
	elems, ok := tap.DecodeElems(val)
	if !ok {
		return strconv.Quote(val)
	}
	var b strings.Builder
	b.WriteByte('{')
	pairs := typ == tap.TypeHash || typ == tap.TypeZset
	for i, e := range elems {
		if i > 0 {
			if pairs && i%2 == 1 {
				b.WriteByte(':')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(strconv.Quote(e))
	}
	b.WriteByte('}')
	return b.String()
}

// stepType judges TYPE's reply: "none" for no key, else the type's name.
func (o modelOpts) stepType(st kvState, op *Op) (bool, kvState) {
	switch {
	case op.Unknown || op.Err != "":
		return true, st
	case st.unknown:
		if op.Reply == "none" {
			return true, kvState{}
		}
		return true, st
	case op.Reply == "none":
		return o.stepPresence(st, op, false, nil)
	}
	return o.alive(st, op) && op.Reply == typeName(st.typ), st
}
