package main

import (
	"fmt"
	"io"

	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/node"
)

func bugsCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "bugs: takes no arguments\n")
		return 2
	}
	width := 0
	for _, b := range node.Bugs() {
		width = max(width, len(b.Name))
	}
	for _, b := range node.Bugs() {
		fmt.Fprintf(stdout, "%-*s %-16s %s\n", width, b.Name, harness.BugProperty(b.Name), b.Description)
	}
	return 0
}
