package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/replsim/replsim/internal/gotool"
	"github.com/replsim/replsim/mutation"
)

const mutateUsage = `usage: replsim mutate [--files GLOBS] [--id ID...] [--sample N] [--sample-seed S]
                      [--seeds N] [--timeout D] [--jobs J] [--workers W] [--list]
                      [--results FILE]

Plants one mechanical fault (a mutant) at a time in node/'s source through
go build -overlay, builds replsim with it and runs chaos over the seeds; a
mutant is killed when a seed fails (or the sweep crashes, times out or
blows its memory). Prints the mutation score, killed / (valid -
equivalent), and the survivors. Mutants that do not compile are invalid and
not counted; mutants listed in the equivalent list are not run. The
unmutated code is swept first and must pass. Run it inside the repository.
Exit status 0 when the run completed, 2 on errors.

`

func mutateCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mutateUsage); fs.PrintDefaults() }
	var files, ids stringList
	fs.Var(&files, "files", "comma-separated globs of files under node/ to mutate, e.g. 'repl*.go,aof*.go,rdb/*.go' (repeatable; default all)")
	fs.Var(&ids, "id", "judge only this mutant, by the ID a run or --list prints (repeatable; e.g. to re-check a survivor)")
	sample := fs.Int("sample", 0, "judge this many mutants, taken in a seeded pseudo-random order (0 = all, in order)")
	sampleSeed := fs.Uint64("sample-seed", 1, "seed of the sample's order")
	seeds := fs.Uint64("seeds", 100, "chaos seeds per mutant")
	start := fs.Uint64("start", 1, "first chaos seed")
	timeout := fs.Duration("timeout", 0, "limit of one mutant's sweep (default: 10x the unmutated sweep, at least 3m)")
	jobs := fs.Int("jobs", 1, "mutants built and swept at once")
	workers := fs.Int("workers", 1, "chaos workers per mutant sweep")
	memMB := fs.Int64("mem-limit", 2048, "kill (and count as killed) a sweep whose resident memory passes this many MB; 0 = none")
	equivalent := fs.String("equivalent", "mutation/equivalent.txt", "list of equivalent mutants (relative to the module root)")
	unreachable := fs.String("unreachable", "coverage/unreachable.txt", "code no sweep reaches, not mutated (relative to the module root)")
	list := fs.Bool("list", false, "print the mutants, in the order they would be taken, and exit")
	relocate := fs.Bool("relocate-equivalent", false, "move the equivalent list's entries whose code moved to the one mutant with their file, op and code, rewrite the list, and exit")
	results := fs.String("results", "", "also write every verdict to this file, tab-separated")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "mutate: %v\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *sample < 0 || *seeds == 0 || *jobs < 1 || *workers < 1 || *timeout < 0 || *memMB < 0 {
		return fail(fmt.Errorf("--sample, --timeout and --mem-limit must not be negative; --seeds, --jobs and --workers must be at least 1"))
	}
	wd, err := os.Getwd()
	if err != nil {
		return fail(err)
	}
	mod, err := gotool.FindModule(wd)
	if err != nil {
		return fail(err)
	}
	var globs []string
	for _, f := range files {
		for _, g := range strings.Split(f, ",") {
			if g = strings.TrimSpace(g); g != "" {
				globs = append(globs, g)
			}
		}
	}
	paths, err := mutation.SourceFiles(mod.Root, globs)
	if err != nil {
		return fail(err)
	}
	excl, err := loadUnreachable(mod.Root, *unreachable)
	if err != nil {
		return fail(err)
	}
	enum, err := mutation.EnumerateFiles(mod.Root, paths, excl)
	if err != nil {
		return fail(err)
	}
	eq, err := loadEquivalent(mod.Root, *equivalent)
	if err != nil {
		return fail(err)
	}
	if *relocate {
		return relocateEquivalent(mod.Root, *equivalent, eq, paths, enum.Mutants, stdout, stderr)
	}
	for _, id := range eq.Stale(paths, enum.Mutants) {
		fmt.Fprintf(stderr, "mutate: warning: %s in the equivalent list matches no mutant any more (by ID and code)\n", id)
	}
	order := enum.Mutants
	if len(ids) > 0 {
		if order, err = pickIDs(order, ids); err != nil {
			return fail(err)
		}
	}
	if *sample > 0 {
		order = mutation.SampleOrder(order, *sampleSeed)
	}
	fmt.Fprintf(stderr, "mutate: %d mutants in %d file(s) (%d more in unreachable code not generated)\n",
		len(enum.Mutants), len(paths), enum.Unreachable)
	if *list {
		for _, m := range order {
			fmt.Fprintf(stdout, "%s\t%s\n", m.ID(), m.Desc)
		}
		return 0
	}
	began := time.Now()
	out, err := mutation.Execute(mutation.Options{
		Module: mod, Seeds: *seeds, Start: *start, Workers: *workers, Jobs: *jobs,
		Timeout: *timeout, MemLimit: *memMB << 20, Judge: *sample, Equivalent: eq, Log: stderr,
	}, order, enum.Sources)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "mutate: files %s; %d seeds per mutant from %d; sample %d (seed %d); %.0fs\n",
		strings.Join(globsOrAll(globs), ","), *seeds, *start, *sample, *sampleSeed, time.Since(began).Seconds())
	mutation.PrintReport(stdout, out.Results)
	if *results != "" {
		f, err := os.Create(*results)
		if err != nil {
			return fail(err)
		}
		if err := mutation.WriteResults(f, out.Results); err != nil {
			f.Close()
			return fail(err)
		}
		if err := f.Close(); err != nil {
			return fail(err)
		}
	}
	return 0
}

// pickIDs keeps the mutants named, in the order named.
func pickIDs(ms []mutation.Mutant, ids []string) ([]mutation.Mutant, error) {
	byID := map[string]mutation.Mutant{}
	for _, m := range ms {
		byID[m.ID()] = m
	}
	var out []mutation.Mutant
	for _, id := range ids {
		m, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("--id %s: no such mutant (check --files and the ID's line and column)", id)
		}
		out = append(out, m)
	}
	return out, nil
}

func globsOrAll(globs []string) []string {
	if len(globs) == 0 {
		return []string{"all of node/"}
	}
	return globs
}

// loadEquivalent reads the equivalent-mutant list.
func loadEquivalent(root, name string) (mutation.EquivalentList, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join(root, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return mutation.ParseEquivalent(f)
}

// relocateEquivalent rewrites the equivalent list with the entries whose
// code moved at their new IDs, and names those it could not place.
func relocateEquivalent(root, name string, eq mutation.EquivalentList, files []string, ms []mutation.Mutant, stdout, stderr io.Writer) int {
	if !filepath.IsAbs(name) {
		name = filepath.Join(root, name)
	}
	text, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "mutate: %v\n", err)
		return 2
	}
	moves := eq.Relocate(files, ms)
	for _, id := range eq.Stale(files, ms) {
		if to, ok := moves[id]; ok {
			fmt.Fprintf(stdout, "moved %s -> %s\n", id, to)
		} else {
			fmt.Fprintf(stdout, "left %s: not one unlisted mutant with its file, op and code (%q): place it by hand\n", id, eq[id].Code)
		}
	}
	if err := os.WriteFile(name, []byte(mutation.MoveIDs(string(text), moves)), 0o644); err != nil {
		fmt.Fprintf(stderr, "mutate: %v\n", err)
		return 2
	}
	return 0
}
