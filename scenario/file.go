package scenario

import (
	"fmt"
	"io"
	"os"
)

// RunFile replays the scenario script at path (one written by shrink, or
// any under testdata): it prints the transcript, warns on stderr where it
// differs from the expected one, and returns 1 while anything in it fails
// (a check, a simulate verdict, a wait), 2 if the script is bad: the exit
// status of `replsim run --scenario`.
func RunFile(path string, stdout, stderr io.Writer) int {
	text, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	s, err := ParseScript(path, string(text))
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	r, err := RunScript(s)
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
