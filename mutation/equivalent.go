package mutation

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// EquivalentList is the list of mutants judged equivalent to the original
// code (no run can tell them apart), by mutant ID. The runner does not run
// them and leaves them out of the score.
type EquivalentList map[string]EquivalentEntry

// EquivalentEntry is one entry: the mutant's code as the runner describes it
// (Mutant.Desc), which pins the entry to that mutant when lines move, and
// why no run can tell it from the original.
type EquivalentEntry struct {
	Code   string
	Reason string
}

// ParseEquivalent reads "ID  {code}  reason" lines; '#' starts a comment.
// Every entry needs its mutant's code and a reason.
func ParseEquivalent(r io.Reader) (EquivalentList, error) {
	eq := EquivalentList{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		id, rest, _ := strings.Cut(strings.Replace(text, "\t", " ", 1), " ")
		if strings.Count(id, ":") != 3 {
			return nil, fmt.Errorf("equivalent list line %d: %q is not a mutant ID (file:line:col:op)", line, id)
		}
		rest = strings.TrimSpace(rest)
		code, reason, ok := strings.Cut(strings.TrimPrefix(rest, "{"), "}  ")
		if !strings.HasPrefix(rest, "{") || !ok {
			return nil, fmt.Errorf("equivalent list line %d: %s does not give its mutant's code as {code} followed by two spaces", line, id)
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("equivalent list line %d: %s has no reason", line, id)
		}
		if _, dup := eq[id]; dup {
			return nil, fmt.Errorf("equivalent list line %d: %s listed twice", line, id)
		}
		eq[id] = EquivalentEntry{Code: code, Reason: reason}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("equivalent list: %w", err)
	}
	return eq, nil
}

// Reason says why m is equivalent, if it is listed: by its ID and with
// the code the entry names (an entry whose line now holds other code does
// not excuse it).
func (eq EquivalentList) Reason(m Mutant) (string, bool) {
	e, ok := eq[m.ID()]
	if !ok || e.Code != m.Desc {
		return "", false
	}
	return e.Reason, true
}

// Stale lists the entries about files among files that match none of
// ms, by ID and code: their code moved or changed, and the entry needs a
// new ID or to go.
func (eq EquivalentList) Stale(files []string, ms []Mutant) []string {
	in := map[string]bool{}
	for _, f := range files {
		in[f] = true
	}
	have := map[string]bool{}
	for _, m := range ms {
		if e, ok := eq[m.ID()]; ok && e.Code == m.Desc {
			have[m.ID()] = true
		}
	}
	var out []string
	for id := range eq {
		file, _, _ := strings.Cut(id, ":")
		if in[file] && !have[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Relocate finds, for each stale entry (Stale), the mutant its code now
// names: the one mutant of the same file, op and code that no entry
// lists (an entry whose code the mutant there no longer has lists none). An entry whose code names several such mutants (a bare "return")
// goes where the shift of its file's nearest placed entry takes it (the
// lines around it moved by as much), if a candidate is there. It returns
// old ID -> new ID for the entries it could place; the rest are left for
// a person to place.
func (eq EquivalentList) Relocate(files []string, ms []Mutant) map[string]string {
	moves := map[string]string{}
	ambiguous := map[string][]string{}
	for _, id := range eq.Stale(files, ms) {
		file, _, _ := strings.Cut(id, ":")
		op := id[strings.LastIndexByte(id, ':')+1:]
		var found []string
		for _, m := range ms {
			if m.File != file || m.Op != op || m.Desc != eq[id].Code {
				continue
			}
			// A stale entry's ID does not hold its place: it is moving.
			if e, listed := eq[m.ID()]; !listed || e.Code != m.Desc {
				found = append(found, m.ID())
			}
		}
		switch {
		case len(found) == 1:
			moves[id] = found[0]
		case len(found) > 1:
			ambiguous[id] = found
		}
	}
	for _, id := range sortedIDs(ambiguous) {
		file, line, col := idPlace(id)
		shift, best := 0, -1
		for from, to := range moves {
			f, l, _ := idPlace(from)
			_, nl, _ := idPlace(to)
			if d := abs(l - line); f == file && (best < 0 || d < best || d == best && nl-l < shift) {
				shift, best = nl-l, d
			}
		}
		if best < 0 {
			continue
		}
		taken := map[string]bool{}
		for _, to := range moves {
			taken[to] = true
		}
		for _, c := range ambiguous[id] {
			if _, l, cc := idPlace(c); l == line+shift && cc == col && !taken[c] {
				moves[id] = c
			}
		}
	}
	return moves
}

// idPlace splits a mutant ID ("file:line:col:op") into its file, line and
// column.
func idPlace(id string) (file string, line, col int) {
	parts := strings.Split(id, ":")
	if len(parts) < 4 {
		return id, 0, 0
	}
	line, _ = strconv.Atoi(parts[len(parts)-3])
	col, _ = strconv.Atoi(parts[len(parts)-2])
	return strings.Join(parts[:len(parts)-3], ":"), line, col
}

func sortedIDs(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// MoveIDs rewrites the IDs that start lines of an equivalent list's text.
func MoveIDs(text string, moves map[string]string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		id, rest, ok := strings.Cut(l, " ")
		if to, moved := moves[id]; ok && moved {
			lines[i] = to + " " + rest
		}
	}
	return strings.Join(lines, "")
}
