package cluster

import (
	"strconv"

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
	if wl.localTTL(c, op) {
		return
	}
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
			if w.Writes() && w.Kind == checker.OpCmd { // not the watch family's transactions
				*op = w
				return
			}
		}
	}
}

// localTTL turns a quarter of a reader's writes into a write with a TTL
// (SET PX, or PEXPIRE) of a key only this reader names ("xl" + its name
// + a digit), drawn from a stream of its own. On a writable replica such a
// key is the replica's own, which Redis remembers and expires itself
// (expireSlaveKeys): checker.CheckLocalExpiry judges the final datasets.
func (wl *workload) localTTL(c *simClient, op *checker.Op) bool {
	r := wl.readerStream(c, "localttl")
	if r.IntN(4) != 0 {
		return false
	}
	*op = checker.Op{Key: "xl" + c.name + "k" + strconv.Itoa(r.IntN(3)), TTL: 100 + r.Int64N(1900)}
	if r.IntN(3) == 0 {
		op.Kind = checker.OpExpire
	} else {
		op.Kind, op.Value = checker.OpSet, "x"+strconv.Itoa(r.IntN(100))
	}
	return true
}

// readerRead turns some of a replica reader's GETs into reads of the
// seed's data type families (a registry read command: HGET, SMEMBERS,
// LRANGE, ZRANGE WITHSCORES, ...) on the keys its master clients write, or
// into TYPE or EXISTS, which every type answers. It draws from the
// reader's own stream for reads so its other draws keep their choices.
// The prefix check judges each against the master's replayed stream.
func (wl *workload) readerRead(c *simClient, op *checker.Op) {
	r := wl.readerStream(c, "reads")
	var typed []family
	for _, f := range wl.mix.families {
		if f.ns != "" {
			typed = append(typed, f)
		}
	}
	if len(typed) == 0 || !r.Chance(0.5) {
		return // the GET
	}
	f := typed[r.IntN(len(typed))]
	key := op.Key
	if !wl.mix.sharedKeys {
		key = f.ns + op.Key[1:]
	}
	if r.IntN(8) == 0 {
		op.Key = key
		if r.Chance(0.5) {
			op.Kind = checker.OpExists
		} else {
			op.Kind, op.Mode = checker.OpRead, "TYPE"
		}
		return
	}
	for range 20 {
		w := checker.Op{Key: key}
		f.draw(r, &w, wl.keys)
		if w.Kind == checker.OpCmd && !w.Writes() {
			*op = w
			return
		}
	}
}

// readerRand is c's stream for readerWrite.
func (wl *workload) readerRand(c *simClient) *sim.Rand { return wl.readerStream(c, "writes") }

// readerStream is c's stream named what (its own for each name).
func (wl *workload) readerStream(c *simClient, what string) *sim.Rand {
	if wl.readers == nil {
		wl.readers = map[string]*sim.Rand{}
	}
	name := "client/" + c.name + "/" + what
	r := wl.readers[name]
	if r == nil {
		r = c.h.w.Rand(name)
		wl.readers[name] = r
	}
	return r
}

// readerOp says op is one a replica reader sends: GET, EXISTS, TYPE, a
// data type's read command, or a write outside a transaction (SET with
// or without PX, PEXPIRE, INCR, DEL, a data type's write).
func readerOp(op *checker.Op) bool {
	switch op.Kind {
	case checker.OpGet:
		return op.Args == nil
	case checker.OpExists:
		return true
	case checker.OpRead:
		return op.Mode == "TYPE" && op.Key != ""
	case checker.OpCmd:
		return true // a read or a write of the registry
	case checker.OpSet:
		return op.Args == nil && op.Mode == "" // SET KEY VALUE [PX TTL] (localTTL)
	case checker.OpTx:
		return false
	}
	return op.Writes()
}
