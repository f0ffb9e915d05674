package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/replsim/replsim/coverage"
	"github.com/replsim/replsim/internal/gotool"
)

const coverUsage = `usage: replsim cover [--seeds N] [--start S] [--workers W] [--uncovered]
                     [--unreachable FILE] [--keep DIR] [-- chaos flags...]

Builds replsim with coverage of node/ (go build -cover), runs a chaos
sweep with it (the flags after -- go to chaos as they are) and prints
node/'s statement coverage per file, worst first, and the total: over all
statements and over the statements the simulation can reach (those not
named in the unreachable list). Run it inside the repository. Exit status
0, 1 when a seed of the sweep failed (coverage is still printed), 2 on
errors.

`

func coverCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, coverUsage); fs.PrintDefaults() }
	seeds := fs.Uint64("seeds", 200, "seeds in the chaos sweep")
	start := fs.Uint64("start", 1, "first seed of the sweep")
	workers := fs.Int("workers", 0, "seeds run in parallel (default: chaos's, all cores)")
	uncovered := fs.Bool("uncovered", false, "list the line ranges of reachable statements that never ran, per file")
	unreachable := fs.String("unreachable", "coverage/unreachable.txt", "the list of unreachable files and functions (relative to the module root)")
	keep := fs.String("keep", "", "keep the instrumented binary, counters and text profile in this folder")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "cover: %v\n", err)
		return 2
	}
	mod, err := gotool.FindModule(wd)
	if err != nil {
		fmt.Fprintf(stderr, "cover: %v\n", err)
		return 2
	}
	excl, err := loadUnreachable(mod.Root, *unreachable)
	if err != nil {
		fmt.Fprintf(stderr, "cover: %v\n", err)
		return 2
	}
	chaos := []string{fmt.Sprintf("--seeds=%d", *seeds), fmt.Sprintf("--start=%d", *start), "--out="}
	if *workers > 0 {
		chaos = append(chaos, fmt.Sprintf("--workers=%d", *workers))
	}
	chaos = append(chaos, fs.Args()...)
	fmt.Fprintf(stderr, "cover: building with coverage and running chaos %s\n", strings.Join(chaos, " "))
	m, err := coverage.Measure(coverage.Options{Module: mod, ChaosArgs: chaos, Output: stderr, Dir: *keep})
	if err != nil {
		fmt.Fprintf(stderr, "cover: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "node/ statement coverage of chaos %s\n", strings.Join(chaos, " "))
	coverage.Print(stdout, coverage.Summarize(m.Blocks, mod.Path, "node/", excl), *uncovered)
	if m.SweepFailed {
		fmt.Fprintln(stdout, "note: a seed of the sweep failed; the coverage counts its run as it went")
		return 1
	}
	return 0
}

// loadUnreachable reads and resolves the unreachable list.
func loadUnreachable(root, name string) (coverage.Excluded, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join(root, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list, err := coverage.ParseUnreachable(f)
	if err != nil {
		return nil, err
	}
	return coverage.Resolve(root, list)
}
