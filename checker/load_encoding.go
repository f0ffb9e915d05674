package checker

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// PropLoadEncoding names the rule that an RDB load encodes each value as
// Redis 7.0.15's rdbLoadObject does. The encoding a load gives depends on
// the value and the limits in force, not on the history that built it:
//   - a string goes through tryObjectEncoding: "int" when it is at most 20
//     bytes and string2l reads it whole, else "embstr" up to 44 bytes,
//     else "raw";
//   - a set is an "intset" when every member reads as a long long
//     (isSdsRepresentableAsLongLong) and it has at most
//     set-max-intset-entries members, else a "hashtable" (a set stored as
//     an intset converts past the limit, one stored as a table starts as
//     an intset within it and converts at its first other member);
//   - a hash with more fields than hash-max-listpack-entries is a
//     "hashtable"; one within it whose fields and values all fit
//     hash-max-listpack-value is a "listpack" (a table converts after the
//     load, a stored listpack stays); one within it with a longer string
//     keeps the encoding it was stored with, which the rule does not know;
//   - a sorted set likewise with zset-max-listpack-entries and -value
//     ("skiplist" or "listpack");
//   - a list is a "quicklist".
//
// The harness reads every key's encoding as a load logs "Done loading
// RDB" (a start's RDB, DEBUG RELOAD, a replica's full sync; an AOF's base
// is read before it is applied, so its keys are not there yet).
const PropLoadEncoding = "load_encoding"

// EncodingLimits are a node's encoding thresholds.
type EncodingLimits struct {
	HashEntries, HashValue, ZsetEntries, ZsetValue, IntsetEntries int64
}

// LoadEncodings is a node's dataset, with each key's OBJECT ENCODING, as
// an RDB load ended.
type LoadEncodings struct {
	Node   string
	Gen    int
	At     int64
	Limits EncodingLimits
	Keys   []tap.KeyEncoding
}

// CheckLoadEncodings judges every key of every load against the encoding
// its value and the limits call for.
func CheckLoadEncodings(loads []LoadEncodings) []Violation {
	var out []Violation
	for i := range loads {
		ld := &loads[i]
		for j := range ld.Keys {
			k := &ld.Keys[j]
			want, why := loadedEncoding(&k.KeyValue, ld.Limits)
			if want == "" || want == k.Encoding {
				continue
			}
			out = append(out, Violation{Check: PropLoadEncoding, At: ld.At, Nodes: []string{ld.Node}, Keys: []string{k.Key},
				Detail: fmt.Sprintf("%s (incarnation %d): key %q (db %d) is a %s after an RDB load, where rdbLoadObject gives %s: %s",
					ld.Node, ld.Gen, k.Key, k.DB, k.Encoding, want, why)})
		}
	}
	return out
}

// loadedEncoding is the encoding a load gives kv under limits, and why;
// "" when it depends on how the value was stored.
func loadedEncoding(kv *tap.KeyValue, lim EncodingLimits) (string, string) {
	if kv.Type == tap.TypeString {
		s := kv.Value
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) <= 20 && strconv.FormatInt(v, 10) == s {
			return "int", "tryObjectEncoding stores a string that string2l reads whole as an integer"
		}
		if len(s) <= 44 {
			return "embstr", fmt.Sprintf("a %d-byte string that is no integer is embedded up to 44 bytes", len(s))
		}
		return "raw", fmt.Sprintf("a %d-byte string", len(s))
	}
	elems, ok := tap.DecodeElems(kv.Value)
	if !ok {
		return "", ""
	}
	switch kv.Type {
	case tap.TypeList:
		return "quicklist", "Redis 7.0 keeps every list as a quicklist"
	case tap.TypeSet:
		n := int64(len(elems))
		for _, m := range elems {
			if v, err := strconv.ParseInt(m, 10, 64); err != nil || strconv.FormatInt(v, 10) != m {
				return "hashtable", fmt.Sprintf("member %q is not an integer", m)
			}
		}
		if n > lim.IntsetEntries {
			return "hashtable", fmt.Sprintf("%d integer members, over set-max-intset-entries %d", n, lim.IntsetEntries)
		}
		return "intset", fmt.Sprintf("%d integer members, within set-max-intset-entries %d", n, lim.IntsetEntries)
	case tap.TypeHash:
		return pairsEncoding(elems, true, lim.HashEntries, lim.HashValue, "hashtable", "hash")
	case tap.TypeZset:
		return pairsEncoding(elems, false, lim.ZsetEntries, lim.ZsetValue, "skiplist", "zset")
	}
	return "", ""
}

// pairsEncoding is loadedEncoding for a hash (field, value pairs: both
// count against the value limit) or a sorted set (member, score pairs:
// the members do).
func pairsEncoding(elems []string, bothStrings bool, maxEntries, maxValue int64, big, kind string) (string, string) {
	n := int64(len(elems) / 2)
	if n > maxEntries {
		return big, fmt.Sprintf("%d entries, over %s-max-listpack-entries %d", n, kind, maxEntries)
	}
	for i, s := range elems {
		if (i%2 == 0 || bothStrings) && int64(len(s)) > maxValue {
			return "", "" // stored as a listpack it stays one; as a table it stays one
		}
	}
	return "listpack", fmt.Sprintf("%d entries within %s-max-listpack-entries %d, every string within %s-max-listpack-value %d",
		n, kind, maxEntries, kind, maxValue)
}
