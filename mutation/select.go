package mutation

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/coverage"
)

// Dir is the folder whose code is mutated, relative to the module root.
const Dir = "node"

// SourceFiles lists the Go files under root/node that the node is built
// from (no tests, no node/nodetest test helpers, no testdata), as slash
// paths from root, sorted. globs, when given, keep only the files one of
// them matches: a glob is matched against the path below node/ ("repl*.go",
// "rdb/*.go"); a leading "node/" is allowed. A glob that matches nothing
// is an error, so a typo does not silently shrink a run.
func SourceFiles(root string, globs []string) ([]string, error) {
	var all []string
	base := filepath.Join(root, Dir)
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == "testdata" || rel == "nodetest" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") {
			all = append(all, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(all)
	keep := all
	if len(globs) > 0 {
		keep = nil
		used := make([]bool, len(globs))
		for _, f := range all {
			for i, g := range globs {
				if ok, _ := path.Match(strings.TrimPrefix(g, Dir+"/"), f); ok {
					used[i] = true
					keep = append(keep, f)
					break
				}
			}
		}
		for i, g := range globs {
			if _, err := path.Match(g, ""); err != nil {
				return nil, fmt.Errorf("--files %q: %w", g, err)
			}
			if !used[i] {
				return nil, fmt.Errorf("--files %q matches no file under %s/", g, Dir)
			}
		}
	}
	out := make([]string, len(keep))
	for i, f := range keep {
		out[i] = Dir + "/" + f
	}
	return out, nil
}

// Enumerated is the mutants of a set of files.
type Enumerated struct {
	Mutants []Mutant
	// Unreachable counts the mutants dropped because they lie in code
	// coverage's unreachable list names.
	Unreachable int
	// Sources holds each file's source, as enumerated.
	Sources map[string][]byte
}

// EnumerateFiles enumerates the mutants of files (slash paths from root),
// in file order, dropping those in excluded code.
func EnumerateFiles(root string, files []string, excl coverage.Excluded) (Enumerated, error) {
	e := Enumerated{Sources: map[string][]byte{}}
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return e, err
		}
		e.Sources[f] = src
		ms, err := Enumerate(f, src)
		if err != nil {
			return e, err
		}
		for _, m := range ms {
			if excl.Contains(f, m.Line) {
				e.Unreachable++
				continue
			}
			e.Mutants = append(e.Mutants, m)
		}
	}
	return e, nil
}

// SampleOrder returns the mutants in the order a sample takes them: by a
// hash of seed and ID. A mutant's rank depends only on its ID and the
// seed, so adding code elsewhere does not reshuffle the others.
func SampleOrder(ms []Mutant, seed uint64) []Mutant {
	type ranked struct {
		rank uint64
		m    Mutant
	}
	rs := make([]ranked, len(ms))
	for i, m := range ms {
		h := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + ":" + m.ID()))
		rs[i] = ranked{binary.BigEndian.Uint64(h[:8]), m}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
	out := make([]Mutant, len(rs))
	for i, r := range rs {
		out[i] = r.m
	}
	return out
}
