package main

import (
	"fmt"
	"io"
	"os"

	"github.com/replsim/replsim/harness"
)

// runScenarioFile replays a scenario script (one written by shrink, or any
// under harness/testdata): it prints the transcript, warns on stderr where
// it differs from the expected one, and exits 1 while anything in it fails
// (a check, a simulate verdict, a wait), 2 if the script is bad.
func runScenarioFile(path string, stdout, stderr io.Writer) int {
	text, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	s, err := harness.ParseScript(path, string(text))
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	r, err := harness.RunScript(s)
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	for i, b := range s.Blocks {
		fmt.Fprintf(stdout, "> %s\n", b.Command)
		if r.Outputs[i] != "" {
			fmt.Fprintln(stdout, r.Outputs[i])
		}
	}
	for _, m := range r.Mismatches(s) {
		fmt.Fprintf(stderr, "run: transcript differs from the expected one at %s\n", m)
	}
	if r.Failed() {
		for _, f := range r.Failures {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", path, f)
		}
		return 1
	}
	fmt.Fprintf(stdout, "PASS %s\n", path)
	return 0
}
