package cluster

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
)

// OpList is a run's workload as data: every operation a client sends, with
// the client that sends it. A run records one (Cluster.OpList) and can
// replay one instead of drawing operations from the seed (Options.Replay):
// each client sends its operations in list order, one at a time, with the
// think times its seed draws in between. Operations of different clients
// interleave as their timing has it; the list's order across clients is
// only for reading (a recorded list is in call order).
//
// Its text form (Format, ParseOps) has one operation per line, the client
// then the command as sent:
//
//	# replsim workload
//	client c4 db=1
//	c1 SET k1 5
//	at 0.250000 c2 GET k1
//	c4 MULTI ; SET d1:k0 v7 ; INCR d1:k0 ; EXEC
//	c3 rt MULTI ; APPEND k2 a ; GET k2 ; EXEC
//	c1 pair MULTI ; SET k1 1 ; SET k2 2 ; EXEC
//
// "at SECONDS" holds the operation back until that virtual time (after the
// operation before it has completed). "client NAME db=N" says the client
// works in database N (its keys are then named "dN:..."; a SELECT goes
// before each of its requests). "client NAME auth=MODE redial=N" adds a
// client that authenticates badly on purpose (clients_auth.go: MODE none,
// wrong, stale or relapse), against the master, hanging up after every N
// operations; its AUTHs are operations of the list ("a1 AUTH wrong-a1"). A transaction is MULTI ; command ; ... ;
// EXEC, sent in one write, or one command per round trip with "rt"; "pair"
// marks the core workload's two-SET transaction, which the checkers judge
// as one pair of writes. Words holding spaces, quotes or other special
// bytes are Go-quoted; "x"*N stands for x repeated N times.
type OpList struct {
	// DBs is the database of each client that does not work in db 0.
	DBs map[string]int
	// Auth holds the clients that authenticate badly on purpose, by name.
	Auth map[string]AuthClient
	Ops  []ClientOp
}

// AuthClient is how a bad-auth client authenticates (clients_auth.go):
// its mode (none, wrong, stale, relapse) and the number of operations it
// sends on a connection before it hangs up.
type AuthClient struct {
	Mode   string
	Redial int
}

// ClientOp is one operation of an OpList.
type ClientOp struct {
	Client string
	// At, if positive, is the virtual time before which the operation is
	// not sent.
	At sim.Time
	// Op is the operation: only what the client sends (Kind, Key, Value,
	// TTL, Key2, Value2, Replicas, Args, Mode, By, Int2, and a
	// transaction's commands in Sub) is set.
	Op checker.Op
}

// Clone returns a copy of l that shares nothing mutable with it.
func (l *OpList) Clone() *OpList {
	if l == nil {
		return nil
	}
	c := &OpList{Ops: make([]ClientOp, len(l.Ops))}
	for i, o := range l.Ops {
		o.Op = inputOf(&o.Op)
		c.Ops[i] = o
	}
	if len(l.DBs) > 0 {
		c.DBs = make(map[string]int, len(l.DBs))
		for k, v := range l.DBs {
			c.DBs[k] = v
		}
	}
	if len(l.Auth) > 0 {
		c.Auth = maps.Clone(l.Auth)
	}
	return c
}

// DB returns the database client works in.
func (l *OpList) DB(client string) int { return l.DBs[client] }

// Count returns the number of operations client sends.
func (l *OpList) Count(client string) int {
	n := 0
	for i := range l.Ops {
		if l.Ops[i].Client == client {
			n++
		}
	}
	return n
}

// Clients returns the clients that send operations, sorted.
func (l *OpList) Clients() []string {
	var out []string
	for i := range l.Ops {
		if !slices.Contains(out, l.Ops[i].Client) {
			out = append(out, l.Ops[i].Client)
		}
	}
	slices.Sort(out)
	return out
}

// Keys returns every key the operations name, sorted.
func (l *OpList) Keys() []string {
	var out []string
	for i := range l.Ops {
		for _, k := range OpKeys(&l.Ops[i].Op) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// OpKeys returns the keys op names, in order, with repeats.
func OpKeys(op *checker.Op) []string {
	var out []string
	if op.Kind == checker.OpCmd {
		for _, p := range checker.CmdKeys(op.Args) {
			out = append(out, op.Args[p])
		}
		return out
	}
	for _, k := range []string{op.Key, op.Key2} {
		if k != "" {
			out = append(out, k)
		}
	}
	for i := range op.Sub {
		out = append(out, OpKeys(&op.Sub[i])...)
	}
	return out
}

// inputOf returns what a client sends for op, without its outcome or
// where and when it ran (and with its own copy of a transaction's
// commands).
func inputOf(op *checker.Op) checker.Op {
	in := checker.Op{Kind: op.Kind, Key: op.Key, Value: op.Value, TTL: op.TTL, Key2: op.Key2, Value2: op.Value2,
		Replicas: op.Replicas, Args: op.Args, Mode: op.Mode, By: op.By, Int2: op.Int2, Quiet: op.Quiet, Discard: op.Discard}
	if isGivenReply(op) {
		in.Value = givenReply // filled in again as it is sent (workload_admin.go)
	}
	if op.Kind == checker.OpTx {
		in.Sub = make([]checker.Op, len(op.Sub))
		for i := range op.Sub {
			in.Sub[i] = inputOf(&op.Sub[i])
		}
	}
	return in
}

// OpList returns the operations the cluster's clients have sent so far, in
// call order, each anchored at the microsecond it was sent (a list
// replayed with or without the anchors sends the same requests at the same
// times).
func (h *Cluster) OpList() *OpList {
	l := &OpList{Ops: make([]ClientOp, 0, len(h.masterOps)+len(h.replicaOps))}
	for _, c := range h.clients {
		if c.db != 0 {
			if l.DBs == nil {
				l.DBs = map[string]int{}
			}
			l.DBs[c.name] = c.db
		}
		if c.bad != nil {
			if l.Auth == nil {
				l.Auth = map[string]AuthClient{}
			}
			l.Auth[c.name] = AuthClient{Mode: authModeNames[c.bad.mode], Redial: c.bad.redial}
		}
	}
	m, r := h.masterOps, h.replicaOps
	for len(m) > 0 || len(r) > 0 {
		var op *checker.Op
		if len(r) == 0 || (len(m) > 0 && m[0].Call <= r[0].Call) {
			op, m = &m[0], m[1:]
		} else {
			op, r = &r[0], r[1:]
		}
		l.Ops = append(l.Ops, ClientOp{Client: h.clients[op.Client].name, At: op.Call / sim.Microsecond * sim.Microsecond, Op: inputOf(op)})
	}
	return l
}

// WithoutTimes returns a copy of l with no operation held back.
func (l *OpList) WithoutTimes() *OpList {
	c := l.Clone()
	for i := range c.Ops {
		c.Ops[i].At = 0
	}
	return c
}

// ClientDB returns the database a seeded run's client works in: the last
// of several master clients works in db 1, so the replication stream
// switches databases.
func ClientDB(t fault.Topology, client string) int {
	if t.Clients > 1 && client == "c"+strconv.Itoa(t.Clients) {
		return 1
	}
	return 0
}

// Check reports operations that a cluster of topology t cannot replay as
// the checkers expect: a client it does not have, a reader (r1, ...)
// sending anything but reads of a key (GET, EXISTS, TYPE, a data type's
// read) and writes (readerOp), a key outside its
// client's database ("dN:" keys belong to db N, the others to db 0), an
// AUTH from a client that does not authenticate badly.
func (l *OpList) Check(t fault.Topology) error {
	names := t.ClientNames()
	for _, c := range slices.Sorted(maps.Keys(l.Auth)) {
		a := l.Auth[c]
		switch {
		case slices.Contains(names, c):
			return opErrorf("client %s: a client of %s cannot also authenticate badly", c, t)
		case l.DBs[c] != 0:
			return opErrorf("client %s: a bad-auth client works in db 0", c)
		case !slices.Contains(authModeNames[:], a.Mode):
			return opErrorf("client %s: auth=%s is not one of %s", c, a.Mode, strings.Join(authModeNames[:], " "))
		case a.Redial < 1 || a.Redial > maxRedial:
			return opErrorf("client %s: redial=%d is not in 1..%d", c, a.Redial, maxRedial)
		}
		names = append(names, c)
	}
	for c, db := range l.DBs {
		if !slices.Contains(names, c) {
			return opErrorf("client %s: no such client in %s (clients %s)", c, t, strings.Join(names, " "))
		}
		if db < 0 || db > 15 {
			return opErrorf("client %s: db %d is not one of 0..15", c, db)
		}
		if strings.HasPrefix(c, "r") && db != 0 {
			return opErrorf("client %s: a reader works in db 0", c)
		}
	}
	for i := range l.Ops {
		o := &l.Ops[i]
		at := "operation " + strconv.Itoa(i+1) + " (" + o.Client + " " + strings.Join(CommandWords(&o.Op), " ") + ")"
		if !slices.Contains(names, o.Client) {
			return opErrorf("%s: no client %s in %s (clients %s)", at, o.Client, t, strings.Join(names, " "))
		}
		if o.Op.IsAuth() && l.Auth[o.Client] == (AuthClient{}) {
			return opErrorf("%s: only a client that authenticates badly sends AUTH", at)
		}
		if strings.HasPrefix(o.Client, "r") && !readerOp(&o.Op) {
			return opErrorf("%s: a reader sends only reads of a key (GET, EXISTS, TYPE, a data type's read) and writes (SET KEY VALUE, INCR, DEL, a data type's write)", at)
		}
		db := l.DB(o.Client)
		if o.Op.Kind == checker.OpTx {
			// A transaction's SELECT moves the commands after it to another
			// db; it must select the client's db again before EXEC.
			cur := db
			for j := range o.Op.Sub {
				sub := &o.Op.Sub[j]
				if isTxSelect(sub) {
					cur, _ = strconv.Atoi(sub.Args[1])
					continue
				}
				for _, k := range OpKeys(sub) {
					if keyDB(k) != cur {
						return opErrorf("%s: key %s belongs to db %d, the transaction works in db %d there", at, k, keyDB(k), cur)
					}
				}
			}
			if cur != db {
				return opErrorf("%s: the transaction ends in db %d, client %s works in db %d: SELECT %d before EXEC", at, cur, o.Client, db, db)
			}
			continue
		}
		for _, k := range OpKeys(&o.Op) {
			if keyDB(k) != db {
				return opErrorf("%s: key %s belongs to db %d, client %s works in db %d", at, k, keyDB(k), o.Client, db)
			}
		}
	}
	return nil
}

// keyDB is the database a key belongs to: N for "dN:...", else 0.
func keyDB(k string) int {
	rest, ok := strings.CutPrefix(k, "d")
	if !ok {
		return 0
	}
	num, _, ok := strings.Cut(rest, ":")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || strconv.Itoa(n) != num {
		return 0
	}
	return n
}

// replayed takes the client's next operation from its list: a copy, since
// the history's copy gets the replies.
func (c *simClient) replayed() checker.Op {
	o := c.replay[0]
	c.replay = c.replay[1:]
	op := inputOf(&o.Op)
	db := c.db
	for i := range op.Sub {
		op.Sub[i].DB = db
		if isTxSelect(&op.Sub[i]) {
			db, _ = strconv.Atoi(op.Sub[i].Args[1])
		}
	}
	return op
}
