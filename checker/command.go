package checker

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The command registry: each data type registers its commands here, in
// its own file (ops_hash.go, ops_set.go, ...), with how the
// linearizability model judges each (Step, Reveal, Err) and how the
// stream replay applies it as a master propagates it (Apply). A command
// of the registry is an OpCmd operation whose Args hold it as sent; the
// generic part (this file) handles the type check (WRONGTYPE), expiry
// and a key's unknown state, and for a command that opts in (args) which
// error replies Redis could give (errors_args.go), so a type adds its
// commands' semantics and nothing else.

// Value is a key's content as a command sees it: absent, or a value of a
// type (tap.TypeString "", tap.TypeHash, ...) in its canonical encoding
// (tap.EncodeHash, ...).
type Value struct {
	Exists bool
	Type   string
	Val    string
	// Fresh says a write made the value anew: it carries no TTL (a
	// STORE's destination), where a changed collection keeps its own.
	Fresh bool
	// Any says the command's effect cannot be known (a random pop with
	// no reply): the key then holds anything.
	Any bool
	// TTL, if positive, says the value was made anew with a TTL of that
	// many ms (a RESTORE with a TTL): it expires that long after the
	// command ran.
	TTL int64
}

// command is one command's model.
type command struct {
	name string
	// arity is Redis's: the number of words with the name, at least
	// -arity when negative.
	arity int
	// typ is the type of value the command works on; on a key of another
	// type it answers WRONGTYPE and does nothing.
	typ string
	// types, if set, are the types the command works on (typ is then
	// ignored): SORT takes a list, a set or a sorted set; ZUNION and the
	// other sorted set algebra read sets too.
	types []string
	write bool
	// keys returns the positions of the command's keys in args (nil: the
	// key at 1 only).
	keys func(args []string) []int
	// keyArgs, if set, returns every position that names a key, a key
	// named twice at each (SMOVE k k, SDIFF k k, whose keys name it
	// once): where a client of another db puts its prefix.
	keyArgs func(args []string) []int
	// untyped says the command's part (key index) does not check that
	// key's type: Step sees whatever it holds (a STORE's destination,
	// SMOVE's destination when the source is missing).
	untyped func(part int) bool
	// writes says which parts the command may change (nil: all, when
	// write).
	writes func(part int) bool
	// step judges op on its key op.Part, which held v before: whether the
	// reply fits v, and what the key holds after. With op.Unknown set
	// there is no reply: step returns the effect alone.
	step func(v Value, op *Op) (bool, Value)
	// err, if set, judges an error reply other than WRONGTYPE that
	// depends on the value (without args, the other errors say the
	// command was refused and had no effect).
	err func(v Value, op *Op) bool
	// args, if set, opts the command into strict error judging
	// (errors_args.go): it returns the error Redis gives for these
	// arguments ("" for valid ones, argsUnjudged when it cannot say),
	// checked at argsAt.
	args   func(args []string) string
	argsAt argsOrder
	// reveal, if set, is the whole value a read's reply shows (for a key
	// whose value the model does not know yet).
	reveal func(op *Op) (Value, bool)
	// apply applies the command to a replayed dataset as it appears in a
	// replication stream; it returns why it cannot ("" when it did).
	apply func(args []string, d replayDB) string
	// far, if set, names the key of another db the command writes
	// (cmdParts: its last part).
	far func(args []string) (db int, name string, ok bool)
	// never, if set, says why a correct master never propagates the
	// command as sent (its effect depends on a random draw or on the
	// platform): the stream replay reports it if one does.
	never string
}

// replayDB is the replayed dataset of the stream's current db, as a
// command's apply sees it: get the value of a key (absent if none), put a
// new one (absent deletes; a changed value keeps the key's TTL unless
// Fresh).
type replayDB interface {
	get(key string) Value
	put(key string, v Value)
}

var commands = map[string]*command{}

func registerCommands(cs ...*command) {
	for _, c := range cs {
		if commands[c.name] != nil {
			panic("checker: command " + c.name + " registered twice")
		}
		commands[c.name] = c
	}
}

func lookupCmd(args []string) *command {
	if len(args) == 0 {
		return nil
	}
	c := commands[args[0]]
	if c == nil {
		c = commands[strings.ToUpper(args[0])]
	}
	return c
}

// IsCommand reports whether name (upper case) is a command of the
// registry: an operation sending it is an OpCmd.
func IsCommand(name string) bool { return commands[name] != nil }

// CmdKeys returns the positions in args of the keys of a registry
// command (nil for a command the registry does not know).
func CmdKeys(args []string) []int {
	c := lookupCmd(args)
	switch {
	case c == nil || len(args) < 2:
		return nil
	case c.keys != nil:
		return c.keys(args)
	}
	return []int{1}
}

// CmdKeyArgs returns the positions of every argument of args that names
// a key: CmdKeys's, and the places a key comes again in a command whose
// model follows it once.
func CmdKeyArgs(args []string) []int {
	if c := lookupCmd(args); c != nil && c.keyArgs != nil && len(args) >= 2 {
		return c.keyArgs(args)
	}
	return CmdKeys(args)
}

// CheckCmd reports whether args has the arity of a registry command
// (a command of another arity is not one the model can judge).
func CheckCmd(args []string) error {
	c := lookupCmd(args)
	switch {
	case c == nil:
		return fmt.Errorf("not a command of the model")
	case c.arity > 0 && len(args) != c.arity:
		return fmt.Errorf("want %d arguments, got %d", c.arity-1, len(args)-1)
	case c.arity < 0 && len(args) < -c.arity:
		return fmt.Errorf("want at least %d arguments, got %d", -c.arity-1, len(args)-1)
	}
	return nil
}

func cmdWrites(o *Op) bool {
	c := lookupCmd(o.Args)
	return c != nil && c.write
}

// cmdWritesPart says whether op may change its key number part.
func cmdWritesPart(op *Op, part int) bool {
	c := lookupCmd(op.Args)
	return c != nil && c.write && (c.writes == nil || c.writes(part))
}

// cmdParts splits an OpCmd into one operation per key (Part, Key).
func cmdParts(op Op) []Op {
	keys := CmdKeys(op.Args)
	far, farOK := farKey(&op)
	if len(keys) <= 1 && !farOK {
		return []Op{op}
	}
	out := make([]Op, 0, len(keys)+1)
	for i, p := range keys {
		part := op
		part.Part, part.Key = i, op.Args[p]
		out = append(out, part)
	}
	if farOK {
		part := op
		part.Part, part.Key, part.DB = len(keys), far.key, far.db
		out = append(out, part)
	}
	return out
}

// farPart is the key of another db a command writes (MOVE's destination,
// COPY ... DB's): the model follows it as the key "dN:"+name, the name
// that key would have had had a client of db N written it, as its last
// part. (No generated client works in the db the workload moves keys to,
// so the name is its own.)
type farPart struct {
	db  int
	key string
}

func farKey(op *Op) (farPart, bool) {
	c := lookupCmd(op.Args)
	if c == nil || c.far == nil || CheckCmd(op.Args) != nil {
		return farPart{}, false
	}
	db, name, ok := c.far(op.Args)
	if !ok || db == op.DB || db < 0 {
		return farPart{}, false
	}
	return farPart{db, "d" + strconv.Itoa(db) + ":" + name}, true
}

func isWrongType(err string) bool { return strings.HasPrefix(err, "WRONGTYPE") }

// takes says the command works on a value of type typ.
func (c *command) takes(typ string) bool {
	if c.types != nil {
		return slices.Contains(c.types, typ)
	}
	return typ == c.typ
}

// judgeCmd applies the generic rules (type check, refusals) around the
// command's own step.
func judgeCmd(c *command, v Value, op *Op) (bool, Value) {
	typed := c.untyped == nil || !c.untyped(op.Part)
	mismatch := v.Exists && !c.takes(v.Type)
	wrong := typed && mismatch
	if c.args != nil {
		if e := c.args(op.Args); e != argsUnjudged {
			return judgeArgs(c, e, v, op, mismatch, wrong)
		}
	}
	switch {
	case op.Unknown:
		if wrong {
			return true, v
		}
		return c.step(v, op)
	case isWrongType(op.Err):
		// Right here (whether or not the part checks its type on every
		// path), or (a command of several keys) wrong on another.
		return mismatch || len(CmdKeys(op.Args)) > 1, v
	case op.Err != "":
		// Refused before it looked at the key (NOAUTH, READONLY, MISCONF,
		// a bad argument), or an error of the command's own; a command
		// of the strict rules is here only for arguments its args cannot
		// judge.
		if c.err != nil && !wrong && c.args == nil && !isEnvRefusal(op.Err) {
			return c.err(v, op), v
		}
		return true, v
	case wrong:
		return false, v
	}
	return c.step(v, op)
}

// stepCmd judges an OpCmd on one key: against the key's value as it may
// be at some instant of the call (alive, or expired by then), each
// outcome that fits gives a state after.
func (o modelOpts) stepCmd(st kvState, op *Op) (bool, kvState) {
	c := lookupCmd(op.Args)
	if c == nil || CheckCmd(op.Args) != nil {
		return true, ambiguous() // not a command the model can judge
	}
	if st.unknown {
		if !op.Unknown && op.Err == "" && c.reveal != nil {
			if v, ok := c.reveal(op); ok {
				return true, o.learnedValue(v)
			}
		}
		if c.write && (op.Unknown || op.Err == "") {
			return true, ambiguous()
		}
		return true, st
	}
	var outs [2]kvState
	n := 0
	try := func(prior Value) {
		ok, next := judgeCmd(c, prior, op)
		if !ok {
			return
		}
		ns := kvState{exists: next.Exists, typ: next.Type, val: next.Val}
		switch {
		case next.Any:
			ns = ambiguous()
		case !next.Exists:
			ns = kvState{}
		case next.TTL > 0:
			w := written(next.Val, &Op{TTL: next.TTL, Call: op.Call, Return: op.Return, Unknown: op.Unknown})
			ns.ttl, ns.expLo, ns.expHi = w.ttl, w.expLo, w.expHi
		case prior.Exists && !next.Fresh:
			ns.ttl, ns.expLo, ns.expHi = st.ttl, st.expLo, st.expHi
		}
		outs[n] = ns
		n++
	}
	if o.alive(st, op) {
		try(Value{Exists: true, Type: st.typ, Val: st.val})
	}
	if o.gone(st, op) {
		try(Value{})
	}
	switch {
	case n == 0:
		return false, st
	case n == 1 || outs[0] == outs[1]:
		return true, outs[0]
	case outs[0] == st && outs[1] == (kvState{}):
		// Unchanged, or expired: st's window already says it may be gone.
		// Not so if the gone key's outcome is open (seed 43977: an
		// unanswered MSETNX on a key whose TTL may have run out may have
		// set it).
		return true, st
	case outs[0].exists && outs[1].exists && outs[0].typ == outs[1].typ && outs[0].val == outs[1].val:
		w := outs[0]
		w.ttl, w.expLo, w.expHi = true, math.MinInt64, math.MaxInt64
		return true, w
	}
	return true, ambiguous()
}

// learnedValue is the state a read reveals on a key of unknown value.
func (o modelOpts) learnedValue(v Value) kvState {
	if !v.Exists {
		return kvState{}
	}
	st := o.learned(true, v.Val)
	st.typ = v.Type
	return st
}
