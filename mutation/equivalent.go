package mutation

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// EquivalentList is the list of mutants judged equivalent to the original
// code (no run can tell them apart): mutant ID -> reason. The runner does
// not run them and leaves them out of the score.
type EquivalentList map[string]string

// ParseEquivalent reads "ID reason" lines; '#' starts a comment. Every
// entry needs a reason.
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
		id, reason, _ := strings.Cut(text, " ")
		if i := strings.IndexByte(id, '\t'); i >= 0 {
			id, reason = id[:i], id[i+1:]+" "+reason
		}
		reason = strings.TrimSpace(reason)
		if strings.Count(id, ":") != 3 {
			return nil, fmt.Errorf("equivalent list line %d: %q is not a mutant ID (file:line:col:op)", line, id)
		}
		if reason == "" {
			return nil, fmt.Errorf("equivalent list line %d: %s has no reason", line, id)
		}
		if _, dup := eq[id]; dup {
			return nil, fmt.Errorf("equivalent list line %d: %s listed twice", line, id)
		}
		eq[id] = reason
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("equivalent list: %w", err)
	}
	return eq, nil
}

// Stale lists the entries about files among files that match none of
// ms: their code moved or changed, and the entry needs a new ID or to go.
func (eq EquivalentList) Stale(files []string, ms []Mutant) []string {
	in := map[string]bool{}
	for _, f := range files {
		in[f] = true
	}
	have := map[string]bool{}
	for _, m := range ms {
		have[m.ID()] = true
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
