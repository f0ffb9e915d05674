package tap

import (
	"slices"
	"strconv"
	"strings"
)

// The value types a KeyValue's Type names ("" is a string).
const (
	TypeString = ""
	TypeHash   = "hash"
	TypeSet    = "set"
	TypeZset   = "zset"
	TypeList   = "list"
)

// A collection's Value is a canonical encoding of its elements, the same
// for the same contents whatever the encoding or iteration order a node
// keeps: each element as its decimal byte length, ':', and its bytes.
// Sets list members sorted; hashes field, value pairs sorted by field;
// sorted sets member, score pairs sorted by member (scores as %.17g, or
// inf/-inf); lists elements in list order. Two values are equal exactly
// when the collections are.

func appendElem(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}

// EncodeSet is the canonical Value of a set.
func EncodeSet(members []string) string {
	sorted := slices.Clone(members)
	slices.Sort(sorted)
	return EncodeList(sorted)
}

// EncodeList is the canonical Value of a list.
func EncodeList(elems []string) string {
	var b strings.Builder
	for _, e := range elems {
		appendElem(&b, e)
	}
	return b.String()
}

// EncodeHash is the canonical Value of a hash given as field, value pairs.
func EncodeHash(pairs [][2]string) string {
	sorted := slices.Clone(pairs)
	slices.SortFunc(sorted, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var b strings.Builder
	for _, p := range sorted {
		appendElem(&b, p[0])
		appendElem(&b, p[1])
	}
	return b.String()
}

// ZsetMember is one member of a sorted set.
type ZsetMember struct {
	Member string
	Score  float64
}

// FormatScore formats a score as the canonical encoding does: "%.17g",
// inf or -inf.
func FormatScore(f float64) string {
	switch {
	case f > 1.7976931348623157e308:
		return "inf"
	case f < -1.7976931348623157e308:
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}

// EncodeZset is the canonical Value of a sorted set. A zero score is
// "0" whatever its sign: Redis keeps -0 in a skiplist but stores 0 in a
// listpack, so the sign depends on the encoding, not on the data.
func EncodeZset(members []ZsetMember) string {
	sorted := slices.Clone(members)
	slices.SortFunc(sorted, func(a, b ZsetMember) int { return strings.Compare(a.Member, b.Member) })
	var b strings.Builder
	for _, m := range sorted {
		appendElem(&b, m.Member)
		score := m.Score
		if score == 0 {
			score = 0 // not -0
		}
		appendElem(&b, FormatScore(score))
	}
	return b.String()
}

// DecodeElems splits a canonical Value into its elements (for a hash or
// sorted set, alternating field and value, or member and score). It
// reports false for a malformed value.
func DecodeElems(v string) ([]string, bool) {
	var out []string
	for len(v) > 0 {
		i := strings.IndexByte(v, ':')
		if i <= 0 {
			return nil, false
		}
		n, err := strconv.Atoi(v[:i])
		if err != nil || n < 0 || n > len(v)-i-1 {
			return nil, false
		}
		out = append(out, v[i+1:i+1+n])
		v = v[i+1+n:]
	}
	return out, true
}
