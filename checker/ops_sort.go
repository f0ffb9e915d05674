package checker

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// SORT and SORT_RO on a list, set or sorted set: the elements sorted as
// numbers (ties by their bytes) or, with ALPHA, as bytes; DESC reverses;
// LIMIT takes a window; GET # answers the element, GET and BY patterns
// with a * read other keys, which the key's own part cannot see: it then
// checks what it can (how many, which elements). BY without a * does not
// sort, except a set being STOREd, which Redis sorts (ALPHA) so replicas
// store the same list. STORE saves the reply as a list (deleting the
// destination when empty) and propagates as sent.

func init() {
	types := []string{tap.TypeList, tap.TypeSet, tap.TypeZset}
	registerCommands(
		&command{name: "SORT", args: takenArgs(sortValid), arity: -2, types: types, write: true, keys: sortKeys, untyped: func(p int) bool { return p == 1 },
			writes: func(p int) bool { return p == 1 }, step: sortStep, err: sortErr, apply: sortApply},
		&command{name: "SORT_RO", args: takenArgs(sortValid), arity: -2, types: types, step: sortStep, err: sortErr},
	)
}

// sortArgs is a SORT's options.
type sortArgs struct {
	by              string // "" for none
	alpha, desc     bool
	limit           bool
	offset, count   int64
	gets            []string
	store           string
	storeAt         int
	dontSort        bool
	externalBy, ext bool // BY reads other keys; some GET does
}

func parseSort(args []string) (sortArgs, bool) {
	var s sortArgs
	for i := 2; i < len(args); i++ {
		more := func(n int) bool { return i+n < len(args) }
		switch strings.ToUpper(args[i]) {
		case "ASC":
			s.desc = false
		case "DESC":
			s.desc = true
		case "ALPHA":
			s.alpha = true
		case "LIMIT":
			o, ok1 := argInt(args, i+1)
			c, ok2 := argInt(args, i+2)
			if !ok1 || !ok2 {
				return s, false
			}
			s.limit, s.offset, s.count = true, o, c
			i += 2
		case "BY":
			if !more(1) {
				return s, false
			}
			s.by = args[i+1]
			i++
		case "GET":
			if !more(1) {
				return s, false
			}
			s.gets = append(s.gets, args[i+1])
			s.ext = s.ext || args[i+1] != "#"
			i++
		case "STORE":
			if !more(1) || strings.EqualFold(args[0], "SORT_RO") {
				return s, false
			}
			s.store, s.storeAt = args[i+1], i+1
			i++
		default:
			return s, false
		}
	}
	s.dontSort = s.by != "" && !strings.Contains(s.by, "*")
	s.externalBy = s.by != "" && !s.dontSort
	return s, true
}

func sortKeys(args []string) []int {
	if s, ok := parseSort(args); ok && s.store != "" {
		return []int{1, s.storeAt}
	}
	return []int{1}
}

// sortElems are a value's elements in its own order (a set's in byte
// order, which is not the order Redis walks it in).
func sortElems(v Value) []string {
	elems, _ := tap.DecodeElems(v.Val)
	if v.Type != tap.TypeZset {
		return elems
	}
	type m struct {
		member string
		score  float64
	}
	var ms []m
	for i := 0; i+1 < len(elems); i += 2 {
		f, _ := strconv.ParseFloat(elems[i+1], 64)
		ms = append(ms, m{elems[i], f})
	}
	slices.SortStableFunc(ms, func(a, b m) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		return strings.Compare(a.member, b.member)
	})
	out := make([]string, len(ms))
	for i, x := range ms {
		out[i] = x.member
	}
	return out
}

// sorted is what SORT selects from v without reading other keys: the
// elements in reply order (ordered false when Redis's order cannot be
// known here), or numErr when the numeric sort fails.
func (s sortArgs) sorted(v Value) (elems []string, ordered, numErr bool) {
	elems = sortElems(v)
	alpha, dontSort := s.alpha, s.dontSort
	if dontSort && v.Type == tap.TypeSet && s.store != "" {
		alpha, dontSort = true, false
	}
	switch {
	case s.externalBy:
		ordered = false
	case dontSort:
		ordered = v.Type != tap.TypeSet && !s.desc && !s.limit
	default:
		ordered = true
		scores := map[string]float64{}
		if !alpha {
			for _, e := range elems {
				f, ok := sortScore(e)
				if !ok {
					return nil, false, true
				}
				scores[e] = f
			}
		}
		slices.SortStableFunc(elems, func(a, b string) int {
			c := 0
			switch {
			case !alpha && scores[a] < scores[b]:
				c = -1
			case !alpha && scores[a] > scores[b]:
				c = 1
			default:
				c = bytes.Compare([]byte(a), []byte(b))
			}
			if s.desc {
				c = -c
			}
			return c
		})
	}
	if s.limit {
		n := int64(len(elems))
		start, end := max(s.offset, 0), n-1
		if s.count >= 0 {
			end = start + s.count - 1
		}
		if start >= n {
			start, end = n-1, n-2
		}
		end = min(end, n-1)
		if !ordered {
			// The window's size is known, not which elements.
			return elems[:max(end-start+1, 0)], false, false
		}
		if end < start {
			return nil, ordered, false
		}
		elems = elems[start : end+1]
	}
	return elems, ordered, false
}

// sortReply judges SORT's reply (or, with STORE, its count) on its key.
func sortStep(v Value, op *Op) (bool, Value) {
	s, ok := parseSort(op.Args)
	if !ok {
		return op.Unknown, v
	}
	if op.Part == 1 { // STORE's destination
		switch {
		case op.Unknown:
			return true, Value{Any: true}
		case op.Int == 0:
			return true, Value{}
		}
		return op.Int > 0, Value{Any: true}
	}
	if op.Unknown {
		return true, v
	}
	elems, ordered, numErr := s.sorted(v)
	if numErr {
		return false, v // it would have failed
	}
	per := max(len(s.gets), 1)
	if s.store != "" {
		return op.Int == int64(len(elems)*per), v
	}
	got := itemStrs(op)
	if len(got) != len(elems)*per {
		return false, v
	}
	all := sortElems(v)
	var picked []string
	for i := range elems {
		for j := 0; j < per; j++ {
			it := op.Items[i*per+j]
			if len(s.gets) == 0 || s.gets[j] == "#" {
				if it.Nil || (ordered && it.Str != elems[i]) {
					return false, v
				}
				picked = append(picked, it.Str)
			}
		}
	}
	if !ordered && len(picked) > 0 {
		// Elements of the value, each at most as often as it is there.
		left := slices.Clone(all)
		for _, p := range picked {
			i := slices.Index(left, p)
			if i < 0 {
				return false, v
			}
			left = slices.Delete(left, i, i+1)
		}
	}
	return true, v
}

// sortErr: the numeric sort fails on an element (or weight) that is no
// number.
func sortErr(v Value, op *Op) bool {
	if op.Err != "ERR One or more scores can't be converted into double" {
		return false
	}
	s, ok := parseSort(op.Args)
	if !ok || op.Part == 1 {
		return true
	}
	_, _, numErr := s.sorted(v)
	return numErr || s.externalBy
}

func sortApply(args []string, d replayDB) string {
	s, ok := parseSort(args)
	if !ok || s.store == "" || s.externalBy || s.ext {
		return "SORT the model does not replay"
	}
	v := d.get(args[1])
	if v.Exists && v.Type != tap.TypeSet && v.Type != tap.TypeList && v.Type != tap.TypeZset {
		return "SORT of a " + typeName(v.Type)
	}
	elems, ordered, numErr := s.sorted(v)
	switch {
	case numErr:
		return "SORT that fails"
	case !ordered:
		return "SORT in an order the model does not know"
	}
	var out []string
	for _, e := range elems {
		for range max(len(s.gets), 1) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		d.put(s.store, Value{})
		return ""
	}
	d.put(s.store, Value{Exists: true, Type: tap.TypeList, Val: tap.EncodeList(out), Fresh: true})
	return ""
}

// sortScore is an element's score in a numeric SORT: strtod's reading of
// it, which skips leading whitespace, reads "" as 0, and refuses NaN and
// what overflows or underflows (ERANGE).
func sortScore(e string) (float64, bool) {
	if e == "" {
		return 0, true
	}
	t := strings.TrimLeft(e, " \t\n\v\f\r")
	f, err := parseCFloat(t)
	switch {
	case t == "" || err != nil || math.IsNaN(f):
		return 0, false
	case f == 0 && nonzeroMantissa(t):
		return 0, false // underflow to zero
	case f != 0 && math.Abs(f) < 0x1p-1022:
		return 0, false // a subnormal result
	}
	return f, true
}

// nonzeroMantissa tells whether a float's spelling has a digit other than
// 0 before its exponent.
func nonzeroMantissa(t string) bool {
	m, digits := strings.ToLower(strings.TrimLeft(t, "+-")), "123456789"
	if strings.HasPrefix(m, "0x") {
		m, digits = m[2:], "123456789abcdef"
		m, _, _ = strings.Cut(m, "p")
	} else {
		m, _, _ = strings.Cut(m, "e")
	}
	return strings.ContainsAny(m, digits)
}
