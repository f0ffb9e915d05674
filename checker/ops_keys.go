package checker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The generic key commands' models: COPY, DUMP and RESTORE, OBJECT,
// TOUCH, EXPIRETIME/PEXPIRETIME. They work on a key of any type. COPY is
// judged on each key alone (the destination then holds the source's
// value, which its part does not see); RESTORE's value is in its payload,
// so it is judged exactly. SORT is in ops_sort.go.

func init() {
	anyType := func(int) bool { return true }
	registerCommands(
		&command{name: "COPY", args: copyArgs, err: copyErr, arity: -3, write: true, keys: copyKeys, far: copyFar,
			untyped: anyType, writes: func(part int) bool { return part == 1 }, step: copyStep, apply: copyApply},
		&command{name: "MOVE", args: moveArgs, err: moveErr, arity: 3, write: true, untyped: anyType, step: moveStep, apply: moveApply,
			far: func(a []string) (int, string, bool) {
				n, ok := argInt(a, 2)
				return int(n), a[1], ok && n >= 0 && n < 16
			}},
		&command{name: "RESTORE", args: restoreArgErrors, arity: -4, write: true, untyped: anyType, step: restoreStep, err: restoreErr, apply: restoreApply},
		&command{name: "DUMP", args: noArgErrors, arity: 2, untyped: anyType, step: dumpStep},
		&command{name: "OBJECT", args: objectArgs, err: objectErr, arity: 3, untyped: anyType, keys: func([]string) []int { return []int{2} }, step: objectStep},
		&command{name: "TOUCH", args: noArgErrors, arity: -2, untyped: anyType, keys: func(a []string) []int { return argRange(1, len(a)) }, step: touchStep},
		&command{name: "EXPIRETIME", args: noArgErrors, arity: 2, untyped: anyType, step: expiretimeStep},
		&command{name: "PEXPIRETIME", args: noArgErrors, arity: 2, untyped: anyType, step: expiretimeStep},
	)
}

// copyOpts parses COPY's options: the db (-1 for none), REPLACE.
func copyOpts(args []string) (db int, replace, ok bool) {
	db = -1
	for i := 3; i < len(args); i++ {
		switch strings.ToUpper(args[i]) {
		case "REPLACE":
			replace = true
		case "DB":
			n, isInt := argInt(args, i+1)
			if !isInt || n < 0 || n >= 16 {
				return 0, false, false
			}
			db = int(n)
			i++
		default:
			return 0, false, false
		}
	}
	return db, replace, true
}

// copyKeys: COPY ... DB n copies into another db, a key of its own
// (copyFar), else into the destination of the same db.
func copyKeys(args []string) []int {
	if db, _, ok := copyOpts(args); ok && db >= 0 {
		return []int{1}
	}
	return []int{1, 2}
}

func copyFar(args []string) (int, string, bool) {
	db, _, ok := copyOpts(args)
	return db, args[2], ok && db >= 0
}

// moveStep: MOVE key db answers 1 when it moved the key (it exists here
// and not there): the source (part 0) is gone, the destination (part 1)
// holds its value.
func moveStep(v Value, op *Op) (bool, Value) {
	if op.Part == 0 {
		switch {
		case op.Unknown && v.Exists:
			return true, Value{Any: true}
		case op.Unknown:
			return true, v
		case op.Int == 1:
			return v.Exists, Value{}
		}
		return true, v
	}
	switch {
	case op.Unknown && v.Exists:
		return true, v
	case op.Unknown:
		return true, Value{Any: true}
	case op.Int == 1:
		return !v.Exists, Value{Any: true}
	}
	return true, v
}

func moveApply(args []string, d replayDB) string {
	t, ok := d.(replayTTL)
	n, isInt := argInt(args, 2)
	if !ok || !isInt || n < 0 || n >= 16 {
		return "MOVE the model does not replay"
	}
	src, to := d.get(args[1]), t.in(int(n))
	if !src.Exists || to.get(args[1]).Exists {
		return "MOVE that cannot have moved"
	}
	exp := t.expireAt(args[1])
	src.Fresh = true
	to.put(args[1], src)
	to.setExpireAt(args[1], exp)
	d.put(args[1], Value{})
	return ""
}

// copyStep: COPY src dst [DB n] [REPLACE] answers 1 when it copied (the source
// exists, and the destination does not or REPLACE), else 0.
func copyStep(v Value, op *Op) (bool, Value) {
	_, replace, _ := copyOpts(op.Args)
	if op.Part == 0 {
		switch {
		case op.Unknown:
			return true, v
		case op.Int == 1:
			return v.Exists, v
		}
		return !replace || !v.Exists, v // 0: no source, or a destination kept
	}
	switch {
	case op.Unknown:
		if v.Exists && !replace {
			return true, v
		}
		return true, Value{Any: true}
	case op.Int == 1:
		return replace || !v.Exists, Value{Any: true}
	}
	return true, v
}

func copyApply(args []string, d replayDB) string {
	db, replace, ok := copyOpts(args)
	if !ok {
		return "COPY with bad arguments"
	}
	to := d
	t, hasTTL := d.(replayTTL)
	if db >= 0 {
		if !hasTTL {
			return "COPY to another db the model does not replay"
		}
		to = t.in(db)
	}
	src, dst := d.get(args[1]), to.get(args[2])
	if !src.Exists || (dst.Exists && !replace) {
		return "COPY that cannot have copied"
	}
	src.Fresh = true
	to.put(args[2], src)
	if hasTTL {
		if tt, ok := to.(replayTTL); ok {
			tt.setExpireAt(args[2], t.expireAt(args[1]))
		}
	}
	return ""
}

// restoreArgs is RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME n
// | FREQ n] as the model reads it.
type restoreArgs struct {
	ttl            int64
	replace, abs   bool
	val            Value
	valid, corrupt bool // the payload decodes; its footer is wrong
}

func parseRestore(args []string) (restoreArgs, bool) {
	var r restoreArgs
	ttl, ok := argInt(args, 2)
	if !ok || ttl < 0 {
		return r, false
	}
	r.ttl = ttl
	lru, lfu := false, false
	for i := 4; i < len(args); i++ {
		switch strings.ToUpper(args[i]) {
		case "REPLACE":
			r.replace = true
		case "ABSTTL":
			r.abs = true
		case "IDLETIME", "FREQ":
			n, ok := argInt(args, i+1)
			if !ok || n < 0 || (strings.EqualFold(args[i], "FREQ") && n > 255) {
				return r, false
			}
			if strings.EqualFold(args[i], "FREQ") {
				lfu = true
			} else {
				lru = true
			}
			i++
		default:
			return r, false
		}
	}
	if lru && lfu {
		return r, false
	}
	_, err := checkDumpFooter(args[3])
	r.corrupt = err != nil
	r.val, r.valid = decodeDump(args[3])
	return r, true
}

// restoresWithTTL says op is a RESTORE that gives its key a TTL (the
// history then has TTLs even if no operation has a TTL field).
func restoresWithTTL(op *Op) bool {
	if op.Kind != OpCmd || len(op.Args) < 4 || !strings.EqualFold(op.Args[0], "RESTORE") {
		return false
	}
	r, ok := parseRestore(op.Args)
	return ok && r.ttl > 0 && !r.abs
}

// restored is what RESTORE leaves in its key: the payload's value made
// anew with its TTL, or nothing when an absolute TTL is already past (the
// generator's ABSTTL times are all in 1970).
func (r restoreArgs) restored() Value {
	if r.abs && r.ttl > 0 {
		return Value{}
	}
	v := r.val
	v.Fresh, v.TTL = true, r.ttl
	return v
}

func restoreStep(v Value, op *Op) (bool, Value) {
	r, ok := parseRestore(op.Args)
	if !ok || !r.valid || (v.Exists && !r.replace) {
		return op.Unknown, v // refused: the reply is an error
	}
	return op.Unknown || op.Int == 1, r.restored()
}

// restoreErr judges RESTORE's errors: BUSYKEY needs the key there (and no
// REPLACE), a bad footer needs the footer to be bad, a bad value the
// value.
func restoreErr(v Value, op *Op) bool {
	r, ok := parseRestore(op.Args)
	switch {
	case strings.HasPrefix(op.Err, "BUSYKEY"):
		return ok && v.Exists && !r.replace
	case op.Err == "ERR DUMP payload version or checksum are wrong":
		return ok && r.corrupt && (r.replace || !v.Exists)
	case op.Err == "ERR Bad data format":
		// The footer is right, the value not (a broken ziplist).
		return ok && !r.corrupt && !r.valid && (r.replace || !v.Exists)
	}
	return false
}

func restoreApply(args []string, d replayDB) string {
	r, ok := parseRestore(args)
	switch {
	case !ok || !r.valid:
		return "RESTORE of a payload the model cannot read"
	case r.ttl > 0 && !r.abs:
		// A correct master turns the TTL into an absolute time (ABSTTL): a
		// replica applying it later would otherwise keep the key longer.
		if t, ok := d.(replayTTL); ok {
			t.violate(fmt.Sprintf("RESTORE with the relative TTL %d ms (a correct master propagates it with ABSTTL, as an absolute time)", r.ttl))
		}
		return "RESTORE with a relative TTL"
	case !r.replace && d.get(args[1]).Exists:
		return "RESTORE onto an existing key without REPLACE"
	}
	v := r.val
	v.Fresh = true
	d.put(args[1], v)
	if t, ok := d.(replayTTL); ok {
		t.setExpireAt(args[1], r.ttl)
	}
	return ""
}

// dumpStep: DUMP answers nil for no key, else a payload whose version and
// checksum RESTORE would accept.
func dumpStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	if !op.Exists {
		return !v.Exists, v
	}
	_, err := checkDumpFooter(op.Result)
	return v.Exists && err == nil, v
}

// encodings are the encodings OBJECT ENCODING may answer for a type.
var encodings = map[string][]string{
	tap.TypeString: {"int", "embstr", "raw"},
	tap.TypeSet:    {"intset", "listpack", "hashtable"},
	tap.TypeHash:   {"listpack", "hashtable"},
	tap.TypeList:   {"quicklist", "listpack"},
	tap.TypeZset:   {"listpack", "skiplist"},
}

// objectStep: OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT key answers nil for
// no key; ENCODING one of the value's type's encodings.
func objectStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	if op.Reply == "(nil)" {
		return !v.Exists, v
	}
	if !v.Exists {
		return false, v
	}
	if strings.EqualFold(op.Args[1], "ENCODING") {
		return op.Exists && slices.Contains(encodings[v.Type], op.Result), v
	}
	return op.Int >= 0, v
}

// touchStep: TOUCH counts the keys that exist; each key's part bounds it.
func touchStep(v Value, op *Op) (bool, Value) {
	n := int64(len(op.Args) - 1)
	switch {
	case op.Unknown:
		return true, v
	case v.Exists:
		return op.Int >= 1 && op.Int <= n, v
	}
	return op.Int >= 0 && op.Int <= n-1, v
}

// expiretimeStep: -2 for no key, -1 for a key without a TTL, else a
// positive time.
func expiretimeStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	if op.Int == -2 {
		return !v.Exists, v
	}
	return v.Exists && (op.Int == -1 || op.Int > 0), v
}

// replayTTL is what the stream replay offers a command's apply beyond
// replayDB: the TTLs (absolute ms, 0 for none), the other dbs, and a way
// to report a command a correct master never propagates.
type replayTTL interface {
	replayDB
	expireAt(key string) int64
	setExpireAt(key string, t int64)
	violate(why string)
	// in is the replayed dataset of db n.
	in(n int) replayTTL
}

// replayKeysIn is the replayed dataset of one db, the stream's current
// one or another.
type replayKeysIn struct {
	r   *replayer
	pos int64
	db  int
}

func (d replayKeysIn) get(key string) Value {
	v := d.r.st[dbKey{d.db, key}]
	return Value{Exists: v.exists, Type: v.typ, Val: v.val}
}

func (d replayKeysIn) put(key string, v Value) {
	k := dbKey{d.db, key}
	if !v.Exists {
		d.r.set(k, kv{}, d.pos)
		return
	}
	nv := kv{exists: true, typ: v.Type, val: v.Val}
	if old := d.r.st[k]; old.exists && !v.Fresh {
		nv.expireAt = old.expireAt
	}
	d.r.set(k, nv, d.pos)
}

func (d replayKeysIn) expireAt(key string) int64 { return d.r.st[dbKey{d.db, key}].expireAt }

func (d replayKeysIn) setExpireAt(key string, t int64) {
	k := dbKey{d.db, key}
	if v := d.r.st[k]; v.exists && v.expireAt != t {
		v.expireAt = t
		d.r.set(k, v, d.pos)
	}
}

func (d replayKeysIn) violate(why string) {
	if d.r.s.nondet == "" {
		d.r.s.nondet = fmt.Sprintf("%s propagated at offset %d %s", d.r.s.owner, d.pos, why)
		d.r.s.nondetAt = d.pos
	}
}

func (d replayKeysIn) in(n int) replayTTL { return replayKeysIn{d.r, d.pos, n} }

func (d replayKeys) here() replayKeysIn              { return replayKeysIn{d.r, d.pos, d.r.db} }
func (d replayKeys) expireAt(key string) int64       { return d.here().expireAt(key) }
func (d replayKeys) setExpireAt(key string, t int64) { d.here().setExpireAt(key, t) }
func (d replayKeys) violate(why string)              { d.here().violate(why) }
func (d replayKeys) in(n int) replayTTL              { return d.here().in(n) }
