// Package checker decides whether a recorded run was correct. Every check is
// a pure function of the recorded history and the final node states, and
// every check has a planted bug or a corrupted history that makes it fail,
// in a test.
package checker

import (
	"strconv"
	"strings"
)

// OpKind is the kind of a client operation.
type OpKind uint8

// Operation kinds the workload issues.
const (
	OpGet OpKind = iota
	OpSet
	OpIncr
	OpDel
	// OpWait is WAIT Replicas <timeout>: Int is the number of replicas
	// that acknowledged the client's earlier writes.
	OpWait
	// OpMulti is MULTI, SET Key Value, SET Key2 Value2, EXEC: two writes
	// that must take effect together or not at all.
	OpMulti
	// The string commands beyond those (ops_strings.go): Args holds the
	// command as sent; Key (and Key2) the keys it touches.
	OpSetNX    // SETNX Key Value, or SET Key Value NX [PX TTL]: Int 1 if set
	OpSetXX    // SET Key Value XX [PX TTL]: Int 1 if set
	OpSetGet   // SET Key Value GET, GETSET Key Value: the old value in Exists/Result
	OpKeepTTL  // SET Key Value KEEPTTL
	OpGetDel   // GETDEL Key: the old value in Exists/Result
	OpAppend   // APPEND Key Value: the new length in Int
	OpIncrBy   // INCRBY/DECRBY/DECR Key: By is the increment, Int the result
	OpExpire   // PEXPIRE Key TTL [Mode]: Int 1 if set (TTL 0 deletes the key)
	OpPersist  // PERSIST Key: Int 1 if a TTL was removed
	OpPTTL     // PTTL Key: Int -2 (no key), -1 (no TTL) or the TTL left
	OpExists   // EXISTS Key: Int 1 or 0
	OpStrlen   // STRLEN Key: Int
	OpGetRange // GETRANGE Key By Int2: Result
	OpSetRange // SETRANGE Key By Value: the new length in Int
	OpMSet     // MSET Key Value Key2 Value2
	OpMGet     // MGET Key Key2: the values in Sub
	OpRename   // RENAME Key Key2 (Mode "NX": RENAMENX, Int 1 if renamed)
	OpFlush    // FLUSHDB (Mode "ALL": FLUSHALL): every key of the db(s) goes
	// OpRead is a command whose reply the model does not judge (SCAN,
	// KEYS, DBSIZE, ...; TYPE and TTL it does): it exercises the node; the
	// other checkers still see its effects, which are none.
	OpRead
	// OpTx is MULTI, the commands in Sub, EXEC: sent in one write, or
	// (Mode "RT") one command per round trip so that a failover, a crash
	// or a password change can fall in between. An EXECABORT (a command
	// refused when queued, or by EXEC's checks) is the op's Err, and
	// nothing happened; otherwise each Sub has its own reply. With
	// Discard it ends with DISCARD and runs nothing.
	OpTx
	// OpCmd is a command of the command registry (command.go): Args holds
	// it as sent, Key its first key; each data type registers its
	// commands' models there.
	OpCmd
	// OpEvict is a key the master evicted under maxmemory (evict.go): no
	// client sent it; Mode is the maxmemory-policy in force.
	OpEvict
)

var opNames = [...]string{"GET", "SET", "INCR", "DEL", "WAIT", "MULTI", "SETNX", "SET XX", "SET GET", "SET KEEPTTL",
	"GETDEL", "APPEND", "INCRBY", "PEXPIRE", "PERSIST", "PTTL", "EXISTS", "STRLEN", "GETRANGE", "SETRANGE", "MSET",
	"MGET", "RENAME", "FLUSH", "READ", "TX", "CMD", "EVICT"}

func (k OpKind) String() string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return "OP" + strconv.Itoa(int(k))
}

// IsWrite reports whether the kind changes the dataset.
func (k OpKind) IsWrite() bool {
	switch k {
	case OpGet, OpWait, OpPTTL, OpExists, OpStrlen, OpGetRange, OpMGet, OpRead:
		return false
	}
	return true
}

// Writes reports whether the operation may change the dataset: its kind
// writes, or (a transaction) one of its commands does.
func (o *Op) Writes() bool {
	if o.Kind == OpCmd {
		return cmdWrites(o)
	}
	if o.Kind != OpTx {
		return o.Kind.IsWrite()
	}
	for _, sub := range txCommands(o) {
		if sub.Writes() {
			return true
		}
	}
	return false
}

// Op is one client operation with its outcome. Times are virtual
// nanoseconds. An operation whose reply never came has Unknown set: it may
// or may not have taken effect, and it is never dropped from the history.
type Op struct {
	ID     int
	Client int
	Node   string
	// Epoch counts master changes (promotions, master crashes) before the call.
	Epoch int
	// DB is the database the client had selected.
	DB    int
	Kind  OpKind
	Key   string
	Value string // SET's argument
	// TTL is SET's PX argument in milliseconds, 0 for none.
	TTL int64
	// Key2 and Value2 are the second SET of a MULTI.
	Key2   string
	Value2 string
	// Replicas is WAIT's numreplicas argument.
	Replicas int
	// Args is the command as sent, for the kinds of ops_strings.go; Mode
	// an option (NX, XX, GT, LT, ALL); By a number argument; Part which
	// key of a multi-key command this is once LinOps split it (0, 1).
	Args []string
	Mode string
	By   int64
	Int2 int64
	Part int
	// Sub holds MGET's per-key replies (as GETs), or a transaction's
	// commands (OpTx).
	Sub []Op
	// Discard says a transaction (OpTx) ends with DISCARD instead of
	// EXEC: nothing it queued runs, and DISCARD answers +OK (a command
	// refused when queued changes nothing there).
	Discard bool
	// Reply is the reply as text, for the kinds of ops_strings.go.
	Reply string
	// Items is an array reply's elements (OpCmd), nested arrays
	// flattened (SCAN's cursor, then its elements), integers in decimal.
	Items []Item
	// NoAuth marks an operation sent on a connection that had not
	// authenticated while the server required a password: it must be
	// refused with NOAUTH and have no effect.
	NoAuth bool
	// Auth, if set, records how the connection the operation went out on
	// was authenticated (clients that authenticate badly on purpose).
	Auth   *ConnAuth
	Call   int64
	Return int64
	// LastSent is, for an operation sent in several round trips (a
	// transaction one command at a time, a WATCH transaction), when its
	// last request (EXEC) went out; 0 for one sent in one write.
	LastSent int64
	Unknown  bool
	Err      string // error reply, if any
	Exists   bool   // GET found the key; an OpCmd's reply was not nil
	Result   string // GET's value
	Int      int64  // INCR's, DEL's and WAIT's integer reply
	// Quiet, if set, says the command went out between CLIENT REPLY OFF
	// and ON ("OFF"; "REWRITE": with a BGREWRITEAOF after it, in the same
	// write) or after CLIENT REPLY SKIP ("SKIP"): no reply of its own
	// comes, so its outcome is unknown; QuietReply is the one reply the
	// request got, from the command after it (client_reply.go).
	Quiet      string
	QuietReply string
	// Unanswered marks a timed-out operation whose node, at the timeout,
	// owed its connection nothing: the request had been delivered and
	// run, no reply was queued or in flight, and the connection was open
	// at both ends (unanswered.go).
	Unanswered bool
	// AfterError is a reply that came after a protocol error (Mode
	// "PROTOX"), where Redis closes the connection and answers nothing
	// more (fixed_replies.go).
	AfterError string
	// Extra is a reply that came after the operation's own and before the
	// client's next request: Redis answers a command once
	// (client_extra.go).
	Extra string
	// ClosedByNode marks an operation whose connection the node closed
	// gracefully (every byte it sent arrived) before any reply to it
	// (client_closed.go).
	ClosedByNode bool
	// OnReplica marks an operation whose node was a replica at some
	// instant of the call (a writable one, if it ran a write): the
	// linearizability check sets it from LinOptions.Settings (lin_replica.go).
	OnReplica bool
	// Inferred marks an effect the checker infers a client's command may
	// have had (LocalWrites' lookup deletes, aofLoadExpiries): no client
	// had it acknowledged, so nothing must keep it (Acked is false).
	Inferred bool
}

// Describe renders the operation in Redis terms, e.g. `SET k1 "7" -> OK`.
func (o *Op) Describe() string {
	var b strings.Builder
	if len(o.Args) > 0 {
		for i, a := range o.Args {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(a)
		}
		if o.Kind == OpTx {
			b.WriteString(" [")
			for i := range o.Sub {
				if i > 0 {
					b.WriteString("; ")
				}
				b.WriteString(o.Sub[i].Describe())
			}
			b.WriteString("]")
		}
		if o.Kind == OpRename || o.Kind == OpMSet || o.Kind == OpMGet || (o.Kind == OpCmd && len(CmdKeys(o.Args)) > 1) {
			b.WriteString(" [key " + strconv.Itoa(o.Part+1) + "]")
		}
		b.WriteString(" -> ")
		b.WriteString(o.Outcome())
		return b.String()
	}
	switch o.Kind {
	case OpMulti:
		b.WriteString("MULTI; SET ")
		b.WriteString(o.Key)
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(o.Value))
		b.WriteString("; SET ")
		b.WriteString(o.Key2)
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(o.Value2))
		b.WriteString("; EXEC")
	case OpWait:
		b.WriteString("WAIT ")
		b.WriteString(strconv.Itoa(o.Replicas))
	default:
		b.WriteString(o.Kind.String())
		b.WriteByte(' ')
		b.WriteString(o.Key)
		if o.Kind == OpSet {
			b.WriteByte(' ')
			b.WriteString(strconv.Quote(o.Value))
			if o.TTL > 0 {
				b.WriteString(" PX ")
				b.WriteString(strconv.FormatInt(o.TTL, 10))
			}
		}
	}
	b.WriteString(" -> ")
	b.WriteString(o.Outcome())
	return b.String()
}

// Outcome renders just the reply.
func (o *Op) Outcome() string {
	switch {
	case o.Unknown:
		return "(no reply: outcome unknown)"
	case o.Err != "":
		return "(error) " + o.Err
	}
	if len(o.Args) > 0 {
		return o.Reply
	}
	switch o.Kind {
	case OpGet:
		if !o.Exists {
			return "(nil)"
		}
		return strconv.Quote(o.Result)
	case OpSet, OpMulti:
		return "OK"
	default:
		return "(integer) " + strconv.FormatInt(o.Int, 10)
	}
}

// Acked reports whether the operation got a reply that is not an error.
func (o *Op) Acked() bool { return !o.Unknown && o.Err == "" && !o.Inferred }

// Item is one element of an array reply.
type Item struct {
	Str string
	Nil bool
}

// Violation is one failed property.
type Violation struct {
	Check  string `json:"check"`
	Detail string `json:"detail"`

	// Where it happened, for reports: optional, filled by the checkers
	// where it is cheap, zero where a checker does not say. At is the
	// virtual time (ns) the violation concerns; Nodes, Keys and Ops what
	// it names; ReplID and Offsets the replication history and the
	// offsets in it.
	At      int64    `json:"at_ns,omitempty"`
	Nodes   []string `json:"nodes,omitempty"`
	Keys    []string `json:"keys,omitempty"`
	Ops     []OpRef  `json:"ops,omitempty"`
	ReplID  string   `json:"replid,omitempty"`
	Offsets []int64  `json:"offsets,omitempty"`
}

// OpRef names one client operation: a client issues one at a time, so its
// client and call time are enough.
type OpRef struct {
	Client int   `json:"client"`
	Call   int64 `json:"call_ns"`
}

// Ref returns the reference to op.
func (o *Op) Ref() OpRef { return OpRef{Client: o.Client, Call: o.Call} }

// Property names, as violations name their check.
const (
	PropLinearizability = "linearizability"
	PropPrefix          = "prefix"
	PropConvergence     = "convergence"
	PropDurability      = "durability"
	PropPromotion       = "promotion"
	PropAccess          = "access"
	PropWaitDurability  = "wait-durability"
	PropLiveness        = "liveness"
	// PropHazard marks a known, documented Redis hazard the run walked
	// into (redis#2087): reported, never counted as a failure.
	PropHazard = "hazard"
)

func seconds(t int64) string { return strconv.FormatFloat(float64(t)/1e9, 'f', 6, 64) + "s" }
