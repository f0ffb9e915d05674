package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// readerWrite turns some of a replica reader's writes (a SET a read-only
// replica must refuse) into writes of another type: INCR, DEL, or a write
// command of a data type family (every family with a key namespace, so a
// type added to the families table is covered), drawn from the reader's
// own stream so its other draws keep their choices. The access check
// judges the READONLY refusal of every write (checker.Op.Writes), and a
// writable replica's local writes are tainted (checker.LocalWrites).
func (wl *workload) readerWrite(c *simClient, op *checker.Op) {
	r := wl.readerRand(c)
	var typed []family
	for _, f := range families {
		if f.ns != "" {
			typed = append(typed, f)
		}
	}
	switch x := r.IntN(len(typed) + 3); {
	case x == 0:
		return // the SET
	case x == 1:
		op.Kind, op.Value = checker.OpIncr, ""
		return
	case x == 2:
		op.Kind, op.Value = checker.OpDel, ""
		return
	default:
		f := typed[x-3]
		for range 20 {
			w := checker.Op{Key: op.Key}
			if !wl.mix.sharedKeys {
				w.Key = f.ns + op.Key[1:]
			}
			f.draw(r, &w, wl.keys)
			if w.Writes() {
				*op = w
				return
			}
		}
	}
}

// readerRand is c's stream for readerWrite.
func (wl *workload) readerRand(c *simClient) *sim.Rand {
	if wl.readers == nil {
		wl.readers = map[*simClient]*sim.Rand{}
	}
	r := wl.readers[c]
	if r == nil {
		r = c.h.w.Rand("client/" + c.name + "/writes")
		wl.readers[c] = r
	}
	return r
}

// readerOp says op is one a replica reader sends: GET, or a write without
// a TTL outside a transaction (SET, INCR, DEL, a data type's write).
func readerOp(op *checker.Op) bool {
	switch op.Kind {
	case checker.OpGet:
		return op.Args == nil
	case checker.OpSet:
		return op.TTL == 0 && op.Args == nil
	case checker.OpTx:
		return false
	}
	return op.Writes()
}
