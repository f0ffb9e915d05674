package cluster

import (
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// workload draws operations from the seed. Each client draws from its own
// stream; what the seed's workload contains (swarm style, like its faults)
// is drawn once from the stream "workload/mix": which command families it
// enables beyond the core (GET, SET, INCR, DEL, MULTI, WAIT), how often,
// and whether some values are large.
type workload struct {
	keys int
	mix  *workloadMix
	// readers are the replica readers' streams for their typed reads and
	// writes, by name (workload_replica.go).
	readers map[string]*sim.Rand
	// bigValues makes the seed's mix write big values whatever it draws
	// (a grown backlog then has history to hold: backlog_growth.go).
	bigValues bool
}

// workloadMix is a seed's choice of command families.
type workloadMix struct {
	families []family
	weights  []int
	total    int
	// extraShare is the share (in 100ths) of operations drawn from the
	// families rather than the core; bigValues says some SET values are
	// kilobytes long (so backlogs wrap and small repl-backlog-size values
	// really drop history).
	extraShare int
	bigValues  bool
	// sharedKeys says the data type families (family.ns) work on the
	// string commands' keys, so commands meet values of another type
	// (WRONGTYPE); otherwise each type has keys of its own.
	sharedKeys bool
}

// family is a group of related commands: draw fills op for one of them.
// A data type's family (ns set) draws registry commands (checker.OpCmd:
// Args, keys at checker.CmdKeys) on keys named ns+"N" unless the seed
// shares keys between types.
type family struct {
	name string
	draw func(r *sim.Rand, op *checker.Op, keys int)
	ns   string
}

// families are the command families a seed may enable, in a fixed order
// (appending keeps old seeds' choices for the others). A family is a
// generator here and its model in the checker (checker/ops_strings.go).
var families = []family{
	{"expiry", drawExpiry, ""},
	{"conditional", drawConditional, ""},
	{"rewrite", drawRewrite, ""},
	{"counter", drawCounter, ""},
	{"multikey", drawMultiKey, ""},
	{"flush", drawFlush, ""},
	{"reads", drawReads, ""},
	{"transactions", drawTx, ""},
	{"hash", drawHash, "h"},
	{"set", drawSet, "s"},
	{"admin", drawAdmin, ""},   // workload_admin.go
	{"errors", drawErrors, ""}, // workload_admin.go
	{"forms", drawForms, ""},   // workload_forms.go
	{"list", drawList, "l"},    // workload_list.go
	{"zset", drawZset, "z"},    // workload_zset.go
	{"watch", drawWatch, "w"},
	{"maxmemory", drawMaxmemory, ""},
	{"bits", drawBits, ""},         // workload_bits.go: the "k" keys, bitmaps being strings
	{"keys", drawKeys, "s"},        // workload_keys.go: COPY, DUMP/RESTORE, OBJECT, SORT, ...
	{"debug", drawDebug, ""},       // workload_debug.go: DEBUG HELP/POPULATE, CLIENT REPLY
	{"knobs", drawKnobs, ""},       // workload_knobs.go: DEBUG SLEEP, inline, COMMAND, inert CONFIG
	{"strings", drawStrings, ""},   // workload_strings.go: GETEX, MSETNX, SETRANGE and INCRBY edges
	{"protocol", drawProtocol, ""}, // workload_protocol.go: malformed RESP and inline requests
}

// newWorkloadMix draws a seed's mix from r; the families named in focus
// are on whatever r says, a focused family r left off getting its weight
// from the stream f, so r's draws (and the other families' choices) stay
// the seed's own.
func newWorkloadMix(r, f *sim.Rand, focus []string) *workloadMix {
	m := &workloadMix{}
	// Drawn before the families, so appending a family moves none of them.
	m.extraShare = []int{25, 50, 75}[r.IntN(3)]
	m.bigValues = r.Chance(0.2)
	m.sharedKeys = r.Chance(0.3)
	// Swarm testing: a seed enables about a third of the families (7 of
	// 21), so each one it enables gets a real share of its operations. At
	// 0.6 (11 of 19, before the debug and knobs families), three
	// type-specific planted bugs went uncaught in 300 seeds; at 0.35 each
	// is caught 6-30 times (--family focuses a sweep on one).
	for _, fam := range families {
		w := 0
		switch {
		case r.Chance(0.35):
			w = []int{1, 2, 4}[r.IntN(3)]
		case slices.Contains(focus, fam.name):
			w = []int{1, 2, 4}[f.IntN(3)]
		default:
			continue
		}
		m.families = append(m.families, fam)
		m.weights = append(m.weights, w)
		m.total += w
	}
	return m
}

// FamilyNames are the names of the command families a seed's workload
// may enable (Options.Families), in their fixed order.
func FamilyNames() []string {
	names := make([]string, len(families))
	for i, f := range families {
		names[i] = f.name
	}
	return names
}

func (wl *workload) next(c *simClient) checker.Op {
	if c.replay != nil {
		return c.replayed()
	}
	if wl.mix == nil {
		wl.mix = newWorkloadMix(c.h.w.Rand("workload/mix"), c.h.w.Rand("workload/focus"), c.h.opts.Families)
		wl.mix.bigValues = wl.mix.bigValues || wl.bigValues
	}
	op := wl.draw(c)
	if DrawHook != nil {
		DrawHook(&op)
	}
	if op.Kind == checker.OpCmd {
		cmdKeys(&op, c.db)
	} else if c.db != 0 {
		prefix := "d" + strconv.Itoa(c.db) + ":"
		if op.Key != "" {
			op.Key = prefix + op.Key
			if op.Args != nil { // drawn with its command (workload_admin.go, workload_forms.go)
				tableArgs(&op, op.Key[len(prefix):])
			}
		}
		if op.Key2 != "" {
			op.Key2 = prefix + op.Key2
		}
	}
	if op.Args == nil && (op.Kind > checker.OpMulti || op.Mode != "") {
		op.Args = commandArgs(&op)
	}
	placeTxCommands(&op, c.db)
	if isWatch(&op) {
		op.Args = watchArgs(&op)
	}
	return op
}

// placeTxCommands gives a transaction's commands their db, their keys the
// db's prefix and their Args: the client's db, then after a drawn SELECT
// the other one (0 and 1), and a SELECT of the client's db last if the
// transaction left it.
func placeTxCommands(op *checker.Op, clientDB int) {
	db := clientDB
	for i := range op.Sub {
		sub := &op.Sub[i]
		sub.DB = db
		if isTxSelect(sub) {
			db = 1 - min(db, 1)
			sub.Args = []string{"SELECT", strconv.Itoa(db)}
			continue
		}
		if db != 0 && sub.Key != "" && sub.Kind != checker.OpCmd {
			sub.Key = "d" + strconv.Itoa(db) + ":" + sub.Key
		}
		if sub.Kind == checker.OpCmd {
			cmdKeys(sub, db)
		}
		if sub.Args == nil {
			sub.Args = commandArgs(sub)
		}
	}
	if db != clientDB {
		op.Sub = append(op.Sub, checker.Op{Kind: checker.OpRead, Mode: "SELECT", DB: db, Args: []string{"SELECT", strconv.Itoa(clientDB)}})
	}
}

// isTxSelect says a transaction's command is a SELECT.
func isTxSelect(sub *checker.Op) bool { return sub.Kind == checker.OpRead && sub.Mode == "SELECT" }

// DrawHook, when set, sees every operation the generator draws (before
// its key gets its database prefix) and may change it. Tests set it to
// change the generator deliberately: a run that replays an operation list
// must not notice. Never set while runs are in progress.
var DrawHook func(*checker.Op)

func (wl *workload) draw(c *simClient) checker.Op {
	r := c.opsRng
	op := checker.Op{Key: "k" + strconv.Itoa(r.IntN(wl.keys))}
	if c.replicaReads {
		op.Kind = checker.OpGet
		if r.IntN(10) == 0 { // a write a read-only replica must refuse
			op.Kind, op.Value = checker.OpSet, "r"+strconv.Itoa(r.IntN(1000))
			wl.readerWrite(c, &op)
		} else {
			wl.readerRead(c, &op)
		}
		return op
	}
	if m := wl.mix; m.total > 0 && r.IntN(100) < m.extraShare {
		x := r.IntN(m.total)
		for i, f := range m.families {
			if x < m.weights[i] {
				if f.ns != "" && !m.sharedKeys {
					op.Key = f.ns + op.Key[1:]
				}
				f.draw(r, &op, wl.keys)
				return op
			}
			x -= m.weights[i]
		}
	}
	switch x := r.IntN(100); {
	case x < 33:
		op.Kind = checker.OpGet
	case x < 58:
		op.Kind = checker.OpSet
		op.Value = drawValue(r, wl.mix.bigValues)
		if r.IntN(8) == 0 {
			op.TTL = 50 + r.Int64N(450)
		}
	case x < 76:
		op.Kind = checker.OpIncr
	case x < 88:
		op.Kind = checker.OpDel
	case x < 96 && wl.keys > 1:
		op.Kind = checker.OpMulti
		op.Key2 = otherKey(r, op.Key, wl.keys)
		op.Value, op.Value2 = strconv.Itoa(r.IntN(1000)), strconv.Itoa(r.IntN(1000))
	default:
		op.Kind, op.Key = checker.OpWait, ""
		op.Replicas = c.h.opts.Replicas
	}
	return op
}

// drawValue draws a SET value: mostly a small integer (INCR works on it),
// sometimes a word, rarely empty, and with bigValues sometimes kilobytes.
func drawValue(r *sim.Rand, bigValues bool) string {
	switch x := r.IntN(100); {
	case x < 2:
		return ""
	case bigValues && x < 12:
		n := 1024 << r.IntN(6) // 1 to 32 KiB
		return strings.Repeat(strconv.Itoa(r.IntN(10)), n)
	case x < 37:
		return "v" + strconv.Itoa(r.IntN(1000))
	}
	return strconv.Itoa(r.IntN(1000))
}

// otherKey draws a key other than key ("kN").
func otherKey(r *sim.Rand, key string, keys int) string {
	if keys < 2 {
		return key
	}
	k, _ := strconv.Atoi(key[1:])
	return "k" + strconv.Itoa((k+1+r.IntN(keys-1))%keys)
}

func drawExpiry(r *sim.Rand, op *checker.Op, _ int) {
	switch x := r.IntN(10); {
	case x < 4:
		op.Kind = checker.OpExpire
		op.TTL = 50 + r.Int64N(950)
		if r.IntN(20) == 0 {
			op.TTL = 0 // deletes the key
		} else {
			op.Mode = []string{"", "", "NX", "XX", "GT", "LT"}[r.IntN(6)]
		}
	case x < 6:
		op.Kind = checker.OpPersist
	case x < 8:
		op.Kind = checker.OpPTTL
	case x < 9:
		op.Kind, op.Value = checker.OpKeepTTL, strconv.Itoa(r.IntN(1000))
	default:
		op.Kind, op.Value, op.TTL = checker.OpSet, strconv.Itoa(r.IntN(1000)), 50+r.Int64N(950)
		if r.IntN(2) == 1 {
			// SET PX is the core's SET with a TTL; EX is its own form.
			op.Mode, op.TTL = "EX", 1000*(1+r.Int64N(2))
		}
	}
}

func drawConditional(r *sim.Rand, op *checker.Op, _ int) {
	op.Value = strconv.Itoa(r.IntN(1000))
	switch r.IntN(6) {
	case 0:
		op.Kind = checker.OpSetNX // SETNX
	case 1:
		op.Kind, op.Mode = checker.OpSetNX, "NX" // SET NX
		if r.IntN(3) == 0 {
			op.TTL = 50 + r.Int64N(450)
		}
	case 2:
		op.Kind = checker.OpSetXX
	case 3:
		op.Kind, op.Mode = checker.OpSetGet, "GET" // SET GET
	case 4:
		op.Kind = checker.OpSetGet // GETSET
	default:
		op.Kind, op.Value = checker.OpGetDel, "" // GETDEL sends no value
	}
}

func drawRewrite(r *sim.Rand, op *checker.Op, _ int) {
	switch r.IntN(4) {
	case 0:
		op.Kind, op.Value = checker.OpAppend, []string{"a", "bc", "7", "xyz"}[r.IntN(4)]
	case 1:
		op.Kind, op.By, op.Value = checker.OpSetRange, r.Int64N(12), []string{"Z", "12", "q!"}[r.IntN(3)]
	case 2:
		op.Kind, op.By, op.Int2 = checker.OpGetRange, r.Int64N(7)-3, r.Int64N(9)-3
	default:
		op.Kind = checker.OpStrlen
	}
}

func drawCounter(r *sim.Rand, op *checker.Op, _ int) {
	op.Kind = checker.OpIncrBy
	switch r.IntN(4) {
	case 0:
		op.By, op.Mode = -1, "DECR"
	case 1:
		op.By, op.Mode = r.Int64N(201)-100, "INCRBY"
	case 2:
		op.By, op.Mode = -(1 + r.Int64N(100)), "DECRBY"
	default:
		// INCRBYFLOAT (its model: checker/ops_incrbyfloat.go), a decimal,
		// exponent or hex increment; the counter then holds a float,
		// which INCR refuses.
		op.Mode = ""
		cmd(op, "INCRBYFLOAT", op.Key, []string{"1.5", "-0.25", "3", "1e2", "-2.5e-1", "0x1p-2", "0X1.8P1", "10.125"}[r.IntN(8)])
	}
}

func drawMultiKey(r *sim.Rand, op *checker.Op, keys int) {
	if keys < 2 {
		op.Kind = checker.OpExists
		return
	}
	op.Key2 = otherKey(r, op.Key, keys)
	switch r.IntN(4) {
	case 0:
		op.Kind, op.Value, op.Value2 = checker.OpMSet, strconv.Itoa(r.IntN(1000)), strconv.Itoa(r.IntN(1000))
	case 1:
		op.Kind = checker.OpMGet
	case 2:
		op.Kind = checker.OpRename
	default:
		op.Kind, op.Mode = checker.OpRename, "NX"
	}
}

func drawFlush(r *sim.Rand, op *checker.Op, _ int) {
	// Rare even when enabled: a flush wipes what the other checks follow.
	if r.IntN(10) != 0 {
		op.Kind = checker.OpExists
		return
	}
	op.Kind, op.Key = checker.OpFlush, ""
	if r.IntN(4) == 0 {
		op.Mode = "ALL"
	}
}

func drawReads(r *sim.Rand, op *checker.Op, _ int) {
	switch r.IntN(6) {
	case 0:
		op.Kind = checker.OpExists
	case 1:
		op.Kind, op.Mode = checker.OpRead, "TYPE"
	case 2:
		op.Kind, op.Mode, op.Key = checker.OpRead, "DBSIZE", ""
	case 3:
		op.Kind, op.Mode, op.Key = checker.OpRead, "SCAN", ""
	case 4:
		op.Kind, op.Mode, op.Key = checker.OpRead, "KEYS", ""
	default:
		op.Kind, op.Mode = checker.OpRead, "TTL"
	}
}

// commandArgs renders op, one of the kinds beyond the core, as the command
// a client sends.
func commandArgs(op *checker.Op) []string {
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	k := op.Key
	switch op.Kind {
	case checker.OpCmd:
		return op.Args
	case checker.OpSet:
		switch {
		case op.Mode == "EX":
			return []string{"SET", k, op.Value, "EX", itoa(op.TTL / 1000)}
		case op.TTL > 0:
			return []string{"SET", k, op.Value, "PX", itoa(op.TTL)}
		}
		return []string{"SET", k, op.Value}
	case checker.OpSetNX:
		if op.Mode == "NX" {
			if op.TTL > 0 {
				return []string{"SET", k, op.Value, "NX", "PX", itoa(op.TTL)}
			}
			return []string{"SET", k, op.Value, "NX"}
		}
		return []string{"SETNX", k, op.Value}
	case checker.OpSetXX:
		return []string{"SET", k, op.Value, "XX"}
	case checker.OpSetGet:
		if op.Mode == "GET" {
			return []string{"SET", k, op.Value, "GET"}
		}
		return []string{"GETSET", k, op.Value}
	case checker.OpKeepTTL:
		return []string{"SET", k, op.Value, "KEEPTTL"}
	case checker.OpGetDel:
		return []string{"GETDEL", k}
	case checker.OpAppend:
		return []string{"APPEND", k, op.Value}
	case checker.OpSetRange:
		return []string{"SETRANGE", k, itoa(op.By), op.Value}
	case checker.OpGetRange:
		return []string{"GETRANGE", k, itoa(op.By), itoa(op.Int2)}
	case checker.OpStrlen:
		return []string{"STRLEN", k}
	case checker.OpIncrBy:
		if op.Mode == "DECR" {
			return []string{"DECR", k}
		}
		if op.Mode == "DECRBY" {
			return []string{"DECRBY", k, itoa(-op.By)}
		}
		return []string{"INCRBY", k, itoa(op.By)}
	case checker.OpExpire:
		if op.Mode != "" {
			return []string{"PEXPIRE", k, itoa(op.TTL), op.Mode}
		}
		return []string{"PEXPIRE", k, itoa(op.TTL)}
	case checker.OpPersist:
		return []string{"PERSIST", k}
	case checker.OpPTTL:
		return []string{"PTTL", k}
	case checker.OpExists:
		return []string{"EXISTS", k}
	case checker.OpMSet:
		return []string{"MSET", k, op.Value, op.Key2, op.Value2}
	case checker.OpMGet:
		return []string{"MGET", k, op.Key2}
	case checker.OpRename:
		if op.Mode == "NX" {
			return []string{"RENAMENX", k, op.Key2}
		}
		return []string{"RENAME", k, op.Key2}
	case checker.OpFlush:
		if op.Mode == "ALL" {
			return []string{"FLUSHALL"}
		}
		return []string{"FLUSHDB"}
	case checker.OpTx:
		return []string{"MULTI"}
	case checker.OpGet:
		return []string{"GET", k}
	case checker.OpIncr:
		return []string{"INCR", k}
	case checker.OpDel:
		return []string{"DEL", k}
	case checker.OpRead:
		switch op.Mode {
		case "DBSIZE":
			return []string{"DBSIZE"}
		case "SCAN":
			return []string{"SCAN", "0", "COUNT", "100"}
		case "KEYS":
			return []string{"KEYS", "*"}
		}
		return []string{op.Mode, k}
	}
	return nil
}

// drawTx draws a transaction of two to four commands over one or two keys
// (so that several of them meet on a key), sometimes with a command that
// fails at run time (INCR of a word) or is refused when queued (a wrong
// number of arguments: EXECABORT), sent pipelined or one command per round
// trip.
func drawTx(r *sim.Rand, op *checker.Op, keys int) {
	op.Kind = checker.OpTx
	if r.Chance(0.5) {
		op.Mode = "RT"
	}
	k1, k2 := op.Key, otherKey(r, op.Key, keys)
	op.Key = ""
	for n := 2 + r.IntN(3); n > 0; n-- {
		sub := checker.Op{Key: k1}
		if r.Chance(0.4) {
			sub.Key = k2
		}
		switch x := r.IntN(20); {
		case x < 5:
			sub.Kind, sub.Value = checker.OpSet, drawValue(r, false)
		case x < 9:
			sub.Kind = checker.OpIncr
		case x < 11:
			sub.Kind, sub.Mode, sub.By = checker.OpIncrBy, "INCRBY", r.Int64N(21)-10
		case x < 13:
			sub.Kind = checker.OpDel
		case x < 15:
			sub.Kind, sub.Value = checker.OpAppend, "a"
		case x < 18:
			sub.Kind = checker.OpGet
		case x < 19:
			sub.Kind, sub.Key, sub.Args = checker.OpRead, "", []string{"INCR"} // refused when queued
		default:
			sub.Kind, sub.Value = checker.OpSetGet, drawValue(r, false)
		}
		if r.Chance(0.15) {
			drawTxTyped(r, &sub)
		}
		op.Sub = append(op.Sub, sub)
	}
	if r.Chance(0.25) {
		// A SELECT of the other db among them: the commands after it run
		// there, and the transaction selects its client's db again last
		// (next fills both in). Redis propagates the call's commands
		// with a SELECT between the dbs, inside one MULTI/EXEC.
		at := r.IntN(len(op.Sub) + 1)
		op.Sub = slices.Insert(op.Sub, at, checker.Op{Kind: checker.OpRead, Mode: "SELECT"})
	}
	if r.Chance(0.1) {
		// A nested MULTI among them: Redis answers it with an error and
		// neither queues it nor dooms the transaction (processCommand runs
		// MULTI at once; only a refusal flags the transaction).
		at := r.IntN(len(op.Sub) + 1)
		op.Sub = slices.Insert(op.Sub, at, checker.Op{Kind: checker.OpRead, Mode: txNested, Args: []string{"MULTI"}})
	}
	// Sometimes DISCARD ends it: nothing runs, the reply is +OK.
	op.Discard = r.Chance(0.1)
}

// txNested marks a transaction's nested MULTI (drawTx): not queued, so
// EXEC's reply has no element for it.
const txNested = "NESTED"
