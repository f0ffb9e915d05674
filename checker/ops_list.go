package checker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The list commands' models. Replies are deterministic given the list, so
// each is judged exactly. A command of several keys (LMOVE, LMPOP, BLPOP,
// ...) is judged on each key on its own: the key its reply names lost the
// elements the reply shows; the others are unchanged whatever they hold (a
// blocked pop served later does not look at them again). A blocking pop is
// judged at its linearization point like its non-blocking form: served, it
// popped what it names; a nil reply (its timeout) says each key was empty
// at some instant of the call, as it was when the command blocked.
//
// A master propagates the pops as LPOP/RPOP (with the count it popped, for
// LMPOP and BLMPOP), LMOVE or RPOPLPUSH, never in their blocking forms.

func init() {
	l := tap.TypeList
	src := func([]string) []int { return []int{1, 2} }
	isPart1 := func(part int) bool { return part == 1 }
	anyPart := func(int) bool { return true }
	bpopKeys := func(args []string) []int { return argRange(1, len(args)-1) }
	registerCommands(
		&command{name: "LPUSH", args: noArgErrors, arity: -3, typ: l, write: true, step: pushStep, apply: pushApply},
		&command{name: "RPUSH", args: noArgErrors, arity: -3, typ: l, write: true, step: pushStep, apply: pushApply},
		&command{name: "LPUSHX", args: noArgErrors, arity: -3, typ: l, write: true, step: pushStep, apply: pushApply},
		&command{name: "RPUSHX", args: noArgErrors, arity: -3, typ: l, write: true, step: pushStep, apply: pushApply},
		&command{name: "LINSERT", args: linsertArgs, arity: 5, typ: l, write: true, step: linsertStep, apply: linsertApply},
		&command{name: "LSET", args: intArgs(2), argsAt: argsAfterLookup, arity: 4, typ: l, write: true, step: lsetStep, err: lsetErr, apply: lsetApply},
		&command{name: "LPOP", args: popArgs, arity: -2, typ: l, write: true, step: lpopStep, apply: lpopApply},
		&command{name: "RPOP", args: popArgs, arity: -2, typ: l, write: true, step: lpopStep, apply: lpopApply},
		&command{name: "LTRIM", args: intArgs(2, 3), arity: 4, typ: l, write: true, step: ltrimStep, apply: ltrimApply},
		&command{name: "LREM", args: intArgs(2), arity: 4, typ: l, write: true, step: lremStep, apply: lremApply},
		&command{name: "LLEN", args: noArgErrors, arity: 2, typ: l, step: llenStep},
		&command{name: "LINDEX", args: intArgs(2), argsAt: argsAfterLookup, arity: 3, typ: l, step: lindexStep},
		&command{name: "LRANGE", args: intArgs(2, 3), arity: 4, typ: l, step: lrangeStep, reveal: lrangeReveal},
		&command{name: "LPOS", args: lposArgs, arity: -3, typ: l, step: lposStep},
		&command{name: "LMOVE", args: lmoveArgs, arity: 5, typ: l, write: true, keys: src, untyped: isPart1, step: lmoveStep, apply: lmoveApply},
		&command{name: "RPOPLPUSH", args: noArgErrors, arity: 3, typ: l, write: true, keys: src, untyped: isPart1, step: lmoveStep, apply: lmoveApply},
		&command{name: "LMPOP", args: lmpopArgs, arity: -4, typ: l, write: true, keys: lmpopKeys(1), untyped: anyPart, step: mpopStep,
			never: "LMPOP propagates as LPOP/RPOP key count of the list it popped"},
		&command{name: "BLPOP", args: bpopArgs, arity: -3, typ: l, write: true, keys: bpopKeys, untyped: anyPart, step: mpopStep,
			never: "a blocking pop propagates as LPOP (a replica must not block)"},
		&command{name: "BRPOP", args: bpopArgs, arity: -3, typ: l, write: true, keys: bpopKeys, untyped: anyPart, step: mpopStep,
			never: "a blocking pop propagates as RPOP (a replica must not block)"},
		&command{name: "BLMPOP", args: blmpopArgs, arity: -5, typ: l, write: true, keys: lmpopKeys(2), untyped: anyPart, step: mpopStep,
			never: "BLMPOP propagates as LPOP/RPOP key count of the list it popped (a replica must not block)"},
		&command{name: "BLMOVE", args: blmoveArgs, arity: 6, typ: l, write: true, keys: src, untyped: isPart1, step: lmoveStep,
			never: "BLMOVE propagates as LMOVE (a replica must not block)"},
		&command{name: "BRPOPLPUSH", args: bpopArgs, arity: 4, typ: l, write: true, keys: src, untyped: isPart1, step: lmoveStep,
			never: "BRPOPLPUSH propagates as RPOPLPUSH (a replica must not block)"},
	)
}

// listOf decodes a list value (empty for an absent key).
func listOf(v Value) []string {
	if !v.Exists {
		return nil
	}
	elems, _ := tap.DecodeElems(v.Val)
	return elems
}

// listValue encodes l (an empty list is no key).
func listValue(l []string) Value {
	if len(l) == 0 {
		return Value{}
	}
	return Value{Exists: true, Type: tap.TypeList, Val: tap.EncodeList(l)}
}

// isLeft parses a side (LEFT or RIGHT, any case; a master propagates
// served BLMOVEs with lower-case sides).
func isLeft(s string) bool { return strings.EqualFold(s, "left") }

// push pushes elems one by one at the head (left) or the tail.
func push(l []string, elems []string, left bool) []string {
	if !left {
		return append(l, elems...)
	}
	out := make([]string, 0, len(l)+len(elems))
	for i := len(elems) - 1; i >= 0; i-- {
		out = append(out, elems[i])
	}
	return append(out, l...)
}

// pushed applies LPUSH, RPUSH, LPUSHX or RPUSHX to l.
func pushed(name string, l []string, elems []string) []string {
	if strings.HasSuffix(name, "X") && len(l) == 0 {
		return nil
	}
	return push(slices.Clone(l), elems, name[0] == 'L')
}

func pushStep(v Value, op *Op) (bool, Value) {
	l := pushed(op.Args[0], listOf(v), op.Args[2:])
	return op.Unknown || op.Int == int64(len(l)), listValue(l)
}

// listApply applies f to the list at key in a replayed dataset; f says
// why the command cannot have run ("" when it could).
func listApply(d replayDB, key string, f func([]string) ([]string, string)) string {
	v := d.get(key)
	if v.Exists && v.Type != tap.TypeList {
		return "a list command on a " + typeName(v.Type)
	}
	l, why := f(listOf(v))
	if why != "" {
		return why
	}
	d.put(key, listValue(l))
	return ""
}

func pushApply(args []string, d replayDB) string {
	return listApply(d, args[1], func(l []string) ([]string, string) {
		if len(l) == 0 && strings.HasSuffix(args[0], "X") {
			return nil, args[0] + " on a missing key (a master propagates it only when it pushed)"
		}
		return pushed(args[0], l, args[2:]), ""
	})
}

// linsert inserts elem before or after the first pivot; it returns the
// new list and the reply (0: no list, -1: no pivot, else the length).
func linsert(l []string, where, pivot, elem string) ([]string, int64) {
	if len(l) == 0 {
		return nil, 0
	}
	i := slices.Index(l, pivot)
	if i < 0 {
		return l, -1
	}
	if strings.EqualFold(where, "after") {
		i++
	}
	return slices.Insert(slices.Clone(l), i, elem), int64(len(l) + 1)
}

func linsertStep(v Value, op *Op) (bool, Value) {
	l, n := linsert(listOf(v), op.Args[2], op.Args[3], op.Args[4])
	return op.Unknown || op.Int == n, listValue(l)
}

func linsertApply(args []string, d replayDB) string {
	return listApply(d, args[1], func(l []string) ([]string, string) {
		out, n := linsert(l, args[2], args[3], args[4])
		if n <= 0 {
			return nil, "LINSERT that inserted nothing"
		}
		return out, ""
	})
}

// listIndex resolves a list index (negative from the tail): -1 when out
// of range.
func listIndex(l []string, s string) int {
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	if i < 0 {
		i += int64(len(l))
	}
	if i < 0 || i >= int64(len(l)) {
		return -1
	}
	return int(i)
}

func lsetStep(v Value, op *Op) (bool, Value) {
	l := listOf(v)
	i := listIndex(l, op.Args[2])
	if i < 0 {
		return op.Unknown, v
	}
	l = slices.Clone(l)
	l[i] = op.Args[3]
	return true, listValue(l)
}

// lsetErr: LSET fails on a missing key or an index out of range.
func lsetErr(v Value, op *Op) bool {
	switch op.Err {
	case errNoSuchKey:
		return !v.Exists
	case "ERR index out of range":
		return v.Exists && listIndex(listOf(v), op.Args[2]) < 0
	}
	return false
}

func lsetApply(args []string, d replayDB) string {
	return listApply(d, args[1], func(l []string) ([]string, string) {
		i := listIndex(l, args[2])
		if i < 0 {
			return nil, "LSET out of range"
		}
		l = slices.Clone(l)
		l[i] = args[3]
		return l, ""
	})
}

// popN pops up to n elements from one end; it returns them in pop order
// and what is left.
func popN(l []string, n int64, left bool) (popped, rest []string) {
	k := int(min(n, int64(len(l))))
	if left {
		return l[:k], l[k:]
	}
	popped = make([]string, k)
	for i := range popped {
		popped[i] = l[len(l)-1-i]
	}
	return popped, l[:len(l)-k]
}

// lpopStep: LPOP/RPOP key answers the element (nil on no list); with a
// count, an array of up to count (nil on no list, empty for count 0).
func lpopStep(v Value, op *Op) (bool, Value) {
	l := listOf(v)
	left := op.Args[0] == "LPOP"
	if len(op.Args) == 2 {
		popped, rest := popN(l, 1, left)
		if op.Unknown {
			return true, listValue(rest)
		}
		if len(popped) == 0 {
			return !op.Exists, v
		}
		return op.Exists && op.Result == popped[0], listValue(rest)
	}
	count, ok := argInt(op.Args, 2)
	if !ok || count < 0 || len(op.Args) > 3 {
		return op.Unknown, v // refused: it answers an error
	}
	popped, rest := popN(l, count, left)
	if op.Unknown {
		return true, listValue(rest)
	}
	if len(l) == 0 {
		return !op.Exists, v
	}
	return op.Exists && slices.Equal(itemStrs(op), popped), listValue(rest)
}

func lpopApply(args []string, d replayDB) string {
	count := int64(1)
	if len(args) == 3 {
		n, ok := argInt(args, 2)
		if !ok || n <= 0 {
			return "bad count"
		}
		count = n
	} else if len(args) != 2 {
		return "bad arguments"
	}
	return listApply(d, args[1], func(l []string) ([]string, string) {
		if len(l) == 0 {
			return nil, args[0] + " of a missing list"
		}
		_, rest := popN(l, count, args[0] == "LPOP")
		return rest, ""
	})
}

// ltrim keeps the elements from start to end (Redis's index rules).
func ltrim(l []string, start, end int64) []string {
	n := int64(len(l))
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	if start > end || start >= n {
		return nil
	}
	end = min(end, n-1)
	return l[start : end+1]
}

func ltrimStep(v Value, op *Op) (bool, Value) {
	start, ok1 := argInt(op.Args, 2)
	end, ok2 := argInt(op.Args, 3)
	if !ok1 || !ok2 {
		return op.Unknown, v
	}
	return true, listValue(ltrim(listOf(v), start, end))
}

func ltrimApply(args []string, d replayDB) string {
	start, ok1 := argInt(args, 2)
	end, ok2 := argInt(args, 3)
	if !ok1 || !ok2 {
		return "bad arguments"
	}
	return listApply(d, args[1], func(l []string) ([]string, string) {
		out := ltrim(l, start, end)
		if len(out) == len(l) {
			return nil, "LTRIM that removed nothing"
		}
		return out, ""
	})
}

// lrem removes up to count occurrences of elem (all for 0, from the tail
// for a negative count); it returns the list and how many it removed.
func lrem(l []string, count int64, elem string) ([]string, int64) {
	out := slices.Clone(l)
	removed := int64(0)
	limit := count
	if limit < 0 {
		limit = -limit
	}
	if count >= 0 {
		for i := 0; i < len(out) && (limit == 0 || removed < limit); {
			if out[i] == elem {
				out = slices.Delete(out, i, i+1)
				removed++
				continue
			}
			i++
		}
		return out, removed
	}
	for i := len(out) - 1; i >= 0 && removed < limit; i-- {
		if out[i] == elem {
			out = slices.Delete(out, i, i+1)
			removed++
		}
	}
	return out, removed
}

func lremStep(v Value, op *Op) (bool, Value) {
	count, ok := argInt(op.Args, 2)
	if !ok {
		return op.Unknown, v
	}
	l, n := lrem(listOf(v), count, op.Args[3])
	return op.Unknown || op.Int == n, listValue(l)
}

func lremApply(args []string, d replayDB) string {
	count, ok := argInt(args, 2)
	if !ok {
		return "bad arguments"
	}
	return listApply(d, args[1], func(l []string) ([]string, string) {
		out, n := lrem(l, count, args[3])
		if n == 0 {
			return nil, "LREM that removed nothing"
		}
		return out, ""
	})
}

func llenStep(v Value, op *Op) (bool, Value) {
	return op.Unknown || op.Int == int64(len(listOf(v))), v
}

func lindexStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	l := listOf(v)
	i := listIndex(l, op.Args[2])
	if i < 0 {
		return !op.Exists, v
	}
	return op.Exists && op.Result == l[i], v
}

func lrangeStep(v Value, op *Op) (bool, Value) {
	start, ok1 := argInt(op.Args, 2)
	end, ok2 := argInt(op.Args, 3)
	if op.Unknown || !ok1 || !ok2 {
		return true, v
	}
	return slices.Equal(itemStrs(op), ltrim(listOf(v), start, end)), v
}

// lrangeReveal: LRANGE key 0 -1 shows the whole list.
func lrangeReveal(op *Op) (Value, bool) {
	if op.Args[2] != "0" || op.Args[3] != "-1" {
		return Value{}, false
	}
	return listValue(itemStrs(op)), true
}

// lpos returns LPOS's matches: their indexes, scanning from the head
// (rank > 0) or the tail, starting at the rank-th match, at most count
// (all for 0), among the first maxlen elements scanned (all for 0).
func lpos(l []string, elem string, rank, count, maxlen int64) []int64 {
	var out []int64
	matches := int64(0)
	absRank := rank
	if absRank < 0 {
		absRank = -absRank
	}
	for scanned := int64(0); scanned < int64(len(l)) && (maxlen == 0 || scanned < maxlen); scanned++ {
		i := scanned
		if rank < 0 {
			i = int64(len(l)) - 1 - scanned
		}
		if l[i] != elem {
			continue
		}
		matches++
		if matches >= absRank {
			out = append(out, i)
			if count != 0 && int64(len(out)) >= count {
				break
			}
		}
	}
	return out
}

// lposStep judges LPOS key elem [RANK r] [COUNT c] [MAXLEN m]: without
// COUNT the first match's index (nil for none), with it an array.
func lposStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	rank, count, maxlen, withCount := int64(1), int64(1), int64(0), false
	for i := 3; i+1 < len(op.Args); i += 2 {
		n, ok := argInt(op.Args, i+1)
		if !ok {
			return true, v // refused
		}
		switch strings.ToUpper(op.Args[i]) {
		case "RANK":
			rank = n
		case "COUNT":
			count, withCount = n, true
		case "MAXLEN":
			maxlen = n
		}
	}
	if rank == 0 || count < 0 || maxlen < 0 || len(op.Args)%2 == 0 {
		return true, v // refused with an error the generator does not draw
	}
	got := lpos(listOf(v), op.Args[2], rank, count, maxlen)
	if !withCount {
		if len(got) == 0 {
			return !op.Exists, v
		}
		return op.Exists && op.Int == got[0], v
	}
	items := itemStrs(op)
	if len(items) != len(got) {
		return false, v
	}
	for i, g := range got {
		if items[i] != strconv.FormatInt(g, 10) {
			return false, v
		}
	}
	return true, v
}

// lmoveSides returns LMOVE's (BLMOVE's) sides; RPOPLPUSH's are right, left.
func lmoveSides(args []string) (from, to bool) {
	if len(args) >= 5 {
		return isLeft(args[3]), isLeft(args[4])
	}
	return false, true
}

// lmoveStep judges LMOVE, RPOPLPUSH and their blocking forms on the
// source (part 0: it lost the element the reply names; a nil reply says
// it was empty) or on the destination (part 1, whose type the command
// checks only when the source has elements: it gained the element).
func lmoveStep(v Value, op *Op) (bool, Value) {
	from, to := lmoveSides(op.Args)
	if op.Part == 0 {
		l := listOf(v)
		popped, rest := popN(l, 1, from)
		switch {
		case op.Unknown && len(l) == 0:
			return true, v
		case op.Unknown:
			// It moved that element, or a destination of another type
			// refused it.
			return true, Value{Any: true}
		case !op.Exists:
			return len(l) == 0, v
		}
		return len(popped) == 1 && op.Result == popped[0], listValue(rest)
	}
	wrong := v.Exists && v.Type != tap.TypeList
	switch {
	case wrong:
		return op.Unknown || !op.Exists, v
	case op.Unknown:
		return true, Value{Any: true}
	case !op.Exists:
		return true, v
	}
	return true, listValue(push(slices.Clone(listOf(v)), []string{op.Result}, to))
}

func lmoveApply(args []string, d replayDB) string {
	if len(args) != 3 && len(args) != 5 {
		return "bad arguments"
	}
	if len(args) == 5 {
		for _, s := range args[3:] {
			if !isLeft(s) && !strings.EqualFold(s, "right") {
				return "bad side " + s
			}
		}
	}
	from, to := lmoveSides(args)
	src, dst := d.get(args[1]), d.get(args[2])
	if !src.Exists || src.Type != tap.TypeList || (dst.Exists && dst.Type != tap.TypeList) {
		return args[0] + " that cannot have run"
	}
	popped, rest := popN(listOf(src), 1, from)
	if args[1] == args[2] {
		d.put(args[1], listValue(push(slices.Clone(rest), popped, to)))
		return ""
	}
	d.put(args[1], listValue(rest))
	d.put(args[2], listValue(push(slices.Clone(listOf(dst)), popped, to)))
	return ""
}

// lmpopKeys returns the key positions of LMPOP (numkeys at 1) or BLMPOP
// (numkeys at 2).
func lmpopKeys(at int) func(args []string) []int {
	return func(args []string) []int {
		n, ok := argInt(args, at)
		if !ok || n < 1 || int64(at)+n >= int64(len(args)) {
			return nil
		}
		return argRange(at+1, at+1+int(n))
	}
}

// mpopArgs returns a multi-key pop's side and count (-1: BLPOP/BRPOP's
// single element, a [key, element] reply).
func mpopArgs(args []string) (left bool, count int64, ok bool) {
	switch args[0] {
	case "BLPOP":
		return true, -1, true
	case "BRPOP":
		return false, -1, true
	}
	keys := CmdKeys(args)
	if len(keys) == 0 {
		return false, 0, false
	}
	rest := args[keys[len(keys)-1]+1:]
	switch {
	case len(rest) == 1:
		return isLeft(rest[0]), 1, true
	case len(rest) == 3 && strings.EqualFold(rest[1], "COUNT"):
		n, ok := argInt(rest, 2)
		return isLeft(rest[0]), n, ok && n > 0
	}
	return false, 0, false
}

// mpopStep judges LMPOP, BLMPOP, BLPOP and BRPOP on one of their keys:
// the reply names the key popped and what it popped ([key, elements...]
// flattened), or is nil when every key was empty.
func mpopStep(v Value, op *Op) (bool, Value) {
	left, count, ok := mpopArgs(op.Args)
	if !ok {
		return op.Unknown, v // refused with an error
	}
	wrong := v.Exists && v.Type != tap.TypeList
	l := listOf(v)
	single := len(CmdKeys(op.Args)) == 1
	if op.Unknown {
		switch {
		case wrong || len(l) == 0:
			return true, v
		case single:
			_, rest := popN(l, max(count, 1), left)
			return true, listValue(rest)
		}
		return true, Value{Any: true} // this key popped, or another
	}
	items := itemStrs(op)
	if len(items) == 0 {
		return !v.Exists, v // all empty (at the instant it blocked)
	}
	if items[0] != op.Key {
		return true, v // another key's pop
	}
	if wrong {
		return false, v
	}
	popped, rest := popN(l, max(count, 1), left)
	if len(popped) == 0 || !slices.Equal(items[1:], popped) {
		return false, v
	}
	return true, listValue(rest)
}

// errUnblocked is the error of a client CLIENT UNBLOCK ... ERROR released.
const errUnblocked = "UNBLOCKED client unblocked via CLIENT UNBLOCK"

// blockingCmds are the commands that block on keys.
var blockingCmds = []string{"BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"}

// UnblockTarget reads the target of the workload's CLIENT UNBLOCK
// client:N [reason] (its Args): the harness's client N.
func UnblockTarget(args []string) (int, bool) {
	if len(args) < 3 || args[0] != "CLIENT" || args[1] != "UNBLOCK" {
		return 0, false
	}
	s, ok := strings.CutPrefix(args[2], "client:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// CheckClientUnblocks judges the workload's CLIENT UNBLOCKs of another
// client (Mode "ADMIN", the target named client:N) and the replies they
// cause, as Redis 7.0.15's clientCommand "unblock" and
// replyToBlockedClientTimedOut:
//
//   - CLIENT UNBLOCK answered 1 released a client blocked on keys or in
//     WAIT at that instant: the target has a blocking command or a WAIT
//     in flight over the UNBLOCK's call, answered nil (TIMEOUT, the
//     default; a WAIT its count of replicas, which the WAIT checkers
//     judge) or the UNBLOCKED error (ERROR), or of unknown outcome.
//   - The UNBLOCKED error of CLIENT UNBLOCK reaches only a client some
//     CLIENT UNBLOCK ... ERROR targeted while its command was in flight,
//     answered 1 or of unknown outcome.
//
// An answer of 0 is not judged: the target's command may not have
// reached the node yet, or been served already.
func CheckClientUnblocks(ops []Op) []Violation {
	byClient := map[int][]*Op{}
	var unblocks []*Op
	for i := range ops {
		op := &ops[i]
		byClient[op.Client] = append(byClient[op.Client], op)
		if _, ok := UnblockTarget(op.Args); ok && op.Kind == OpRead && op.Mode == "ADMIN" {
			unblocks = append(unblocks, op)
		}
	}
	asError := func(u *Op) bool { return len(u.Args) == 4 && strings.EqualFold(u.Args[3], "error") }
	overlap := func(a, b *Op) bool { return a.Call < b.Return && (a.Unknown || b.Unknown || b.Call < a.Return) }
	var out []Violation
	for _, u := range unblocks {
		if u.Unknown || u.Err != "" || u.Int != 1 {
			continue
		}
		n, _ := UnblockTarget(u.Args)
		ok := false
		for _, t := range byClient[n] {
			blocking := t.Kind == OpWait || (t.Kind == OpCmd && len(t.Args) > 0 && slices.Contains(blockingCmds, t.Args[0]))
			if t == u || !blocking || !overlap(t, u) || t.Node != u.Node {
				continue
			}
			switch {
			case t.Unknown:
				ok = true
			case asError(u):
				ok = t.Err == errUnblocked
			case t.Kind == OpWait:
				ok = t.Err == "" // the replicas that acknowledged so far
			default:
				ok = t.Err == "" && !t.Exists
			}
			if ok {
				break
			}
		}
		if !ok {
			out = append(out, Violation{Check: PropLinearizability, At: u.Return, Nodes: []string{u.Node}, Ops: []OpRef{u.Ref()},
				Detail: fmt.Sprintf("client %d's %s on %s at %s answered 1, but client %d had no blocking command in flight then answered %s",
					u.Client, strings.Join(u.Args, " "), u.Node, seconds(u.Call), n, map[bool]string{true: "with the UNBLOCKED error", false: "nil"}[asError(u)])})
		}
	}
	for i := range ops {
		t := &ops[i]
		if t.Err != errUnblocked {
			continue
		}
		ok := false
		for _, u := range unblocks {
			if n, _ := UnblockTarget(u.Args); n == t.Client && asError(u) && u.Node == t.Node && u.Err == "" && (u.Unknown || u.Int == 1) && overlap(u, t) {
				ok = true
				break
			}
		}
		if !ok {
			out = append(out, Violation{Check: PropLinearizability, At: t.Return, Nodes: []string{t.Node}, Ops: []OpRef{t.Ref()},
				Detail: fmt.Sprintf("client %d's %s on %s at %s answered %q, but no CLIENT UNBLOCK client:%d ERROR released it",
					t.Client, t.Describe(), t.Node, seconds(t.Call), errUnblocked, t.Client)})
		}
	}
	return out
}
