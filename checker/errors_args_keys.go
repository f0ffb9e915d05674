package checker

import (
	"math"
	"strings"
)

// The argument errors of the generic key commands (COPY, MOVE, RESTORE,
// OBJECT, SORT, ...) and the bit commands, as Redis 7.0.15 checks them
// (db.c, cluster.c, object.c, sort.c, bitops.c). The bit commands and
// SORT read some arguments after their key: for those, only arguments
// Redis takes are judged (""), any other is left unjudged.

const (
	errArgDBRange  = "ERR DB index is out of range"
	errArgIntRange = "ERR value is out of range, value must between -2147483648 and 2147483647"
	errSameObject  = "ERR source and destination objects are the same"
)

// dbArg is getIntFromObjectOrReply then selectDb of a db index.
func dbArg(s string) string {
	n, ok := isInt(s)
	switch {
	case !ok:
		return errArgNotInt
	case n < math.MinInt32 || n > math.MaxInt32:
		return errArgIntRange
	case n < 0 || n >= 16:
		return errArgDBRange
	}
	return ""
}

// copyArgs: COPY src dst [DB n] [REPLACE], its db checked as it is read;
// the same key in the same db is refused (with DB, the client's db
// decides: copyErr).
func copyArgs(a []string) string {
	db := false
	for j := 3; j < len(a); j++ {
		switch {
		case strings.EqualFold(a[j], "REPLACE"):
		case strings.EqualFold(a[j], "DB") && j+1 < len(a):
			if e := dbArg(a[j+1]); e != "" {
				return e
			}
			db = true
			j++
		default:
			return errArgSyntax
		}
	}
	if !db && a[1] == a[2] {
		return errSameObject
	}
	return ""
}

// copyDB is the db of COPY's last DB option.
func copyDB(a []string) (int64, bool) {
	var db int64
	found := false
	for j := 3; j+1 < len(a); j++ {
		if strings.EqualFold(a[j], "DB") {
			db, found = isInt(a[j+1])
			j++
		}
	}
	return db, found
}

// copyErr judges the refusal of a COPY ... DB n of a key onto itself: n
// is the client's db.
func copyErr(_ Value, op *Op) bool {
	db, ok := copyDB(op.Args)
	return op.Err == errSameObject && ok && int(db) == op.DB && op.Args[1] == op.Args[2]
}

func moveArgs(a []string) string { return dbArg(a[2]) }

// moveErr judges the refusal of a MOVE into the client's own db.
func moveErr(_ Value, op *Op) bool {
	db, ok := isInt(op.Args[2])
	return op.Err == errSameObject && ok && int(db) == op.DB
}

// restoreArgErrors: RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME n |
// FREQ n]: the options are read first; the TTL after a busy key is
// refused, so a bad one is left unjudged.
func restoreArgErrors(a []string) string {
	idle, freq := false, false
	for j := 4; j < len(a); j++ {
		w, more := strings.ToUpper(a[j]), j+1 < len(a)
		switch {
		case w == "REPLACE", w == "ABSTTL":
		case w == "IDLETIME" && more && !freq:
			n, ok := isInt(a[j+1])
			switch {
			case !ok:
				return errArgNotInt
			case n < 0:
				return "ERR Invalid IDLETIME value, must be >= 0"
			}
			idle, j = true, j+1
		case w == "FREQ" && more && !idle:
			n, ok := isInt(a[j+1])
			switch {
			case !ok:
				return errArgNotInt
			case n < 0 || n > 255:
				return "ERR Invalid FREQ value, must be >= 0 and <= 255"
			}
			freq, j = true, j+1
		default:
			return errArgSyntax
		}
	}
	if n, ok := isInt(a[2]); !ok || n < 0 {
		return argsUnjudged
	}
	return ""
}

// objectArgs judges the subcommands the model knows.
func objectArgs(a []string) string {
	switch strings.ToUpper(a[1]) {
	case "ENCODING", "FREQ", "IDLETIME", "REFCOUNT":
		return ""
	}
	return argsUnjudged
}

// objectErr: OBJECT FREQ of a key needs an LFU policy, IDLETIME one that
// is not (the model does not follow maxmemory-policy: either may come).
func objectErr(v Value, op *Op) bool {
	switch {
	case !v.Exists:
		return false
	case strings.EqualFold(op.Args[1], "FREQ"):
		return op.Err == "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	case strings.EqualFold(op.Args[1], "IDLETIME"):
		return op.Err == "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	}
	return false
}

// takenArgs is the args of a command that reads some arguments after its
// key: "" when valid says they are (Redis gives no argument error),
// otherwise the reply is unjudged.
func takenArgs(valid func(a []string) bool) func([]string) string {
	return func(a []string) string {
		if valid(a) {
			return ""
		}
		return argsUnjudged
	}
}

func sortValid(a []string) bool { _, ok := parseSort(a); return ok }

// allInts reports whether a[from:to] are integers.
func allInts(a []string, from, to int) bool {
	for _, s := range a[from:to] {
		if _, ok := isInt(s); !ok {
			return false
		}
	}
	return true
}

// bitOffsetValid: a bit offset well within proto-max-bulk-len.
func bitOffsetValid(s string) bool {
	n, ok := isInt(s)
	return ok && n >= 0 && n < 1<<20
}

func setbitValid(a []string) bool {
	return bitOffsetValid(a[2]) && (a[3] == "0" || a[3] == "1")
}

func getbitValid(a []string) bool { return bitOffsetValid(a[2]) }

// rangeUnitValid: key start end [BYTE|BIT] from a[2] (BITCOUNT), or
// BITPOS's key bit [start [end [BYTE|BIT]]] from a[3].
func rangeUnitValid(a []string, at int) bool {
	n := len(a) - at
	unit := n == 3 && (strings.EqualFold(a[at+2], "BYTE") || strings.EqualFold(a[at+2], "BIT"))
	return (n <= 2 || unit) && allInts(a, at, at+min(n, 2))
}

func bitcountValid(a []string) bool { return len(a) != 3 && rangeUnitValid(a, 2) }

func bitposValid(a []string) bool { return (a[2] == "0" || a[2] == "1") && rangeUnitValid(a, 3) }

func bitopValid(a []string) bool {
	switch strings.ToUpper(a[1]) {
	case "AND", "OR", "XOR":
		return true
	case "NOT":
		return len(a) == 4
	}
	return false
}

// bitfieldType: i1..i64, u1..u63.
func bitfieldType(s string) (bits int64, ok bool) {
	if len(s) < 2 {
		return 0, false
	}
	n, ok := isInt(s[1:])
	switch s[0] {
	case 'i', 'I':
		return n, ok && n >= 1 && n <= 64
	case 'u', 'U':
		return n, ok && n >= 1 && n <= 63
	}
	return 0, false
}

// bitfieldValid: GET type offset, SET and INCRBY type offset value,
// OVERFLOW WRAP|SAT|FAIL (BITFIELD_RO: GET only), offsets small.
func bitfieldValid(a []string) bool {
	ro := strings.EqualFold(a[0], "BITFIELD_RO")
	for j := 2; j < len(a); {
		w, left := strings.ToUpper(a[j]), len(a)-j-1
		switch {
		case w == "OVERFLOW" && !ro && left >= 1:
			switch strings.ToUpper(a[j+1]) {
			case "WRAP", "SAT", "FAIL":
			default:
				return false
			}
			j += 2
			continue
		case w == "GET" && left >= 2:
		case (w == "SET" || w == "INCRBY") && !ro && left >= 3:
			if _, ok := isInt(a[j+3]); !ok {
				return false
			}
		default:
			return false
		}
		bits, ok := bitfieldType(a[j+1])
		off := a[j+2]
		mul := int64(1)
		if strings.HasPrefix(off, "#") {
			off, mul = off[1:], bits
		}
		n, isNum := isInt(off)
		if !ok || !isNum || n < 0 || n*mul >= 1<<20 {
			return false
		}
		j += 3
		if w != "GET" {
			j++
		}
	}
	return true
}

func substrValid(a []string) bool { return allInts(a, 2, 4) }
