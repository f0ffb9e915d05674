package difftest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// Mode says how two replies to the same command are compared.
type Mode int

// The comparison modes.
const (
	// Exact: byte for byte.
	Exact Mode = iota
	// TTLSeconds and TTLMillis: equal integers, except that positive ones
	// may differ by up to 2 s (2000 ms): the two servers' clocks are read
	// at slightly different instants.
	TTLSeconds
	TTLMillis
	// Set: arrays of bulk strings holding the same elements in any order.
	Set
	// Existence: both null or both a bulk string.
	Existence
	// Hello: HELLO's reply with the client id's value free.
	Hello
	// Shape: the same RESP type (and, for errors, the same text); for
	// simple strings of 40 hex digits, any 40 hex digits.
	Shape
	// Pairs: arrays holding the same field/value pairs in any order
	// (HGETALL of a hash table, whose order each server's hashing decides).
	Pairs
	// Length: the same RESP type, null-ness and array length (for
	// random choices: SPOP, SRANDMEMBER, HRANDFIELD).
	Length
	// Dump: DUMP payloads, equal bytes, or (a hash or set in a table
	// encoding, whose order each server's hashing decides) both valid and
	// holding the same type and elements (compare_dump.go).
	Dump
	// Idle: OBJECT IDLETIME, integers at most 2 s apart (each server's
	// LRU clock ticks at its own instants).
	Idle
)

// ModeFor returns how replies to args are compared.
func ModeFor(args []string) Mode {
	if len(args) == 0 {
		return Exact
	}
	name := strings.ToLower(args[0])
	sub := ""
	if len(args) > 1 {
		sub = strings.ToLower(args[1])
	}
	switch name {
	case "ttl", "expiretime":
		return TTLSeconds
	case "pttl", "pexpiretime":
		return TTLMillis
	case "keys", "hkeys", "hvals", "smembers", "sinter", "sunion", "sdiff", "hscan", "sscan", "zscan":
		return Set
	case "hgetall":
		return Pairs
	case "spop", "srandmember", "hrandfield", "zrandmember":
		return Length
	case "randomkey":
		return Existence
	case "dump":
		return Dump
	case "object":
		if sub == "idletime" {
			return Idle
		}
	case "hello":
		return Hello
	case "debug":
		if sub == "digest" || sub == "digest-value" {
			return Exact // the digests are Redis's own
		}
		return Shape
	case "client":
		if sub == "id" || sub == "list" || sub == "info" {
			return Shape
		}
	case "command":
		return Shape
	}
	return Exact
}

// Compare reports whether ours and theirs agree under mode, and if not,
// why.
func Compare(mode Mode, ours, theirs []byte) (bool, string) {
	if mode == Exact {
		if bytes.Equal(ours, theirs) {
			return true, ""
		}
		return false, "replies differ"
	}
	a, _, errA := resp.ParseValue(ours)
	b, _, errB := resp.ParseValue(theirs)
	if errA != nil || errB != nil {
		return false, fmt.Sprintf("unparsable reply (ours: %v, theirs: %v)", errA, errB)
	}
	if a.Kind != b.Kind {
		return false, fmt.Sprintf("reply types differ: %q vs %q", a.Kind, b.Kind)
	}
	if a.Kind == resp.Error {
		if bytes.Equal(a.Str, b.Str) {
			return true, ""
		}
		return false, "errors differ"
	}
	switch mode {
	case TTLSeconds, TTLMillis:
		return compareTTL(mode, a, b)
	case Set:
		return compareSet(a, b)
	case Pairs:
		return comparePairs(a, b)
	case Length:
		if a.Null != b.Null || len(a.Array) != len(b.Array) {
			return false, "replies differ in null-ness or length"
		}
		return true, ""
	case Existence:
		if a.Kind == resp.BulkString && a.Null == b.Null {
			return true, ""
		}
		return false, "one side has a key, the other none"
	case Shape:
		return compareShape(a, b)
	case Hello:
		return compareHello(a, b)
	case Dump:
		return compareDump(a, b)
	case Idle:
		if a.Kind != resp.Integer {
			return bytes.Equal(resp.AppendValue(nil, a), resp.AppendValue(nil, b)), "replies differ"
		}
		if a.Int-b.Int <= 2 && b.Int-a.Int <= 2 {
			return true, ""
		}
		return false, "idle times differ by more than 2 s"
	}
	return false, "unknown comparison mode"
}

func compareTTL(mode Mode, a, b resp.Value) (bool, string) {
	if a.Kind != resp.Integer {
		return bytes.Equal(resp.AppendValue(nil, a), resp.AppendValue(nil, b)), "replies differ"
	}
	if a.Int <= 0 || b.Int <= 0 {
		if a.Int == b.Int {
			return true, ""
		}
		return false, "TTL states differ"
	}
	tol := int64(2)
	if mode == TTLMillis {
		tol = 2000
	}
	d := a.Int - b.Int
	if d < 0 {
		d = -d
	}
	if d <= tol {
		return true, ""
	}
	return false, fmt.Sprintf("TTLs differ by %d (tolerance %d)", d, tol)
}

// Elements returns the strings of an array of bulk strings, sorted.
func Elements(v resp.Value) []string {
	out := make([]string, 0, len(v.Array))
	for _, e := range v.Array {
		out = append(out, string(e.Str))
	}
	sort.Strings(out)
	return out
}

func compareSet(a, b resp.Value) (bool, string) {
	if a.Kind != resp.Array {
		return false, "not an array"
	}
	ea, eb := Elements(a), Elements(b)
	if strings.Join(ea, "\x00") == strings.Join(eb, "\x00") && len(ea) == len(eb) {
		return true, ""
	}
	return false, fmt.Sprintf("sets differ: ours %q, theirs %q", ea, eb)
}

func comparePairs(a, b resp.Value) (bool, string) {
	if a.Kind != resp.Array || len(a.Array)%2 != 0 || len(a.Array) != len(b.Array) {
		return compareSet(a, b)
	}
	pairs := func(v resp.Value) string {
		var out []string
		for i := 0; i < len(v.Array); i += 2 {
			out = append(out, string(v.Array[i].Str)+"\x00"+string(v.Array[i+1].Str))
		}
		sortStrings(out)
		return strings.Join(out, "\x01")
	}
	if pairs(a) == pairs(b) {
		return true, ""
	}
	return false, "field/value pairs differ"
}

func isHex40(p []byte) bool {
	if len(p) != 40 {
		return false
	}
	for _, c := range p {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func compareShape(a, b resp.Value) (bool, string) {
	if a.Kind != b.Kind {
		return false, "reply types differ"
	}
	switch a.Kind {
	case resp.SimpleString:
		if bytes.Equal(a.Str, b.Str) || (isHex40(a.Str) && isHex40(b.Str)) {
			return true, ""
		}
		return false, "simple strings differ"
	case resp.Array:
		if a.Null != b.Null {
			return false, "one array is null"
		}
		return true, ""
	}
	return true, ""
}

// compareHello compares HELLO replies (a flat map in RESP2) field by
// field, except the value of "id": client ids differ between servers.
func compareHello(a, b resp.Value) (bool, string) {
	if a.Kind != resp.Array || len(a.Array) != len(b.Array) {
		return false, "HELLO replies differ in shape"
	}
	for i := range a.Array {
		if i > 0 && string(a.Array[i-1].Str) == "id" {
			if a.Array[i].Kind != resp.Integer || b.Array[i].Kind != resp.Integer {
				return false, "HELLO id is not an integer"
			}
			continue
		}
		if !bytes.Equal(resp.AppendValue(nil, a.Array[i]), resp.AppendValue(nil, b.Array[i])) {
			return false, fmt.Sprintf("HELLO field %d differs", i)
		}
	}
	return true, ""
}

func sortStrings(s []string) { sort.Strings(s) }
