package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// keyNamespaces are the namespaces of the types the key commands visit
// when the seed keeps types apart (the family's own "s", the hashes' and
// the strings'); sortNamespaces those SORT reads. Appending a type's
// namespace (lists "l", sorted sets "z") lets the key commands and SORT
// meet it. SORT ... STORE writes its lists to "oN" (on shared keys, "kN").
var (
	keyNamespaces  = []string{"s", "h", "k", "o", "l", "z"}
	sortNamespaces = []string{"s", "o", "l", "z"}
)

// farDB is the db MOVE and COPY ... DB send keys to: no client works in
// it, so the checker can name a key there "d9:"+its name (checker.farKey)
// without meeting a client's key of that name.
const farDB = 9

// drawKeys draws a generic key command: COPY (within the db or to
// farDB), MOVE to farDB, DUMP and RESTORE (valid
// payloads of the namespace's type built by checker.EncodeDump, and
// corrupt ones), OBJECT, TOUCH and SORT. op.Key is "sN", or
// "kN" when the seed shares keys between types (then every command stays
// on "k").
func drawKeys(r *sim.Rand, op *checker.Op, keys int) {
	shared := op.Key[0] == 'k'
	ns := func(list []string) string {
		if shared {
			return "k"
		}
		return list[r.IntN(len(list))]
	}
	k := ns(keyNamespaces) + op.Key[1:]
	switch x := r.IntN(100); {
	case x < 14 && keys > 1:
		cmd(op, "COPY", k, siblingKeys(r, k, keys, 1)[0])
		if r.Chance(0.3) {
			op.Args[2] = k // the same name in the far db
			op.Args = append(op.Args, "DB", itoa(farDB))
		}
		if r.Chance(0.4) {
			op.Args = append(op.Args, "REPLACE")
		}
	case x < 20:
		cmd(op, "MOVE", k, itoa(farDB))
	case x < 36:
		drawRestore(r, op, k, shared)
	case x < 42:
		cmd(op, "DUMP", k)
	case x < 46:
		cmd(op, "OBJECT", []string{"ENCODING", "ENCODING", "FREQ", "IDLETIME", "REFCOUNT"}[r.IntN(5)], k)
	case x < 50:
		cmd(op, []string{"EXPIRETIME", "PEXPIRETIME"}[r.IntN(2)], k)
	case x < 60:
		cmd(op, "TOUCH", k)
		if keys > 1 && r.Chance(0.4) {
			op.Args = append(op.Args, siblingKeys(r, k, keys, 1)...)
		}
	case x < 88:
		drawSort(r, op, ns(sortNamespaces)+op.Key[1:], keys)
	default:
		op.Key = k
		drawKeyCommand(r, op)
	}
}

// drawSort draws SORT or SORT_RO on k: numeric or ALPHA, ASC or DESC,
// sometimes a LIMIT window, BY nosort or a hash field h*->f0 of the hash
// namespace, GET # and GET h*->f1, and STORE into a sibling key (only
// without patterns that read other keys, which the stream replay does not
// follow).
func drawSort(r *sim.Rand, op *checker.Op, k string, keys int) {
	name := "SORT"
	if r.Chance(0.3) {
		name = "SORT_RO"
	}
	cmd(op, name, k)
	external := false
	switch r.IntN(6) {
	case 0:
		op.Args = append(op.Args, "BY", "nosort")
	case 1:
		op.Args = append(op.Args, "BY", "h*->f0")
		external = true
	}
	if r.Chance(0.3) {
		op.Args = append(op.Args, "LIMIT", itoa(r.IntN(5)-1), itoa(r.IntN(5)-1))
	}
	switch r.IntN(5) {
	case 0:
		op.Args = append(op.Args, "GET", "#")
	case 1:
		op.Args = append(op.Args, "GET", "#", "GET", "h*->f1")
		external = true
	}
	if r.Chance(0.5) {
		op.Args = append(op.Args, []string{"ASC", "DESC"}[r.IntN(2)])
	}
	if r.Chance(0.6) {
		op.Args = append(op.Args, "ALPHA")
	}
	if name == "SORT" && !external && keys > 1 && r.Chance(0.4) {
		dst := siblingKeys(r, k, keys, 1)[0]
		if dst[0] != 'k' {
			// Lists of their own, so the type families keep their keys.
			dst = "o" + dst[1:]
		}
		op.Args = append(op.Args, "STORE", dst)
	}
}
