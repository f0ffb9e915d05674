// Package mutation measures which bugs a chaos sweep catches: it plants
// small mechanical faults (mutants) in node/'s source one at a time, builds
// replsim with each through `go build -overlay` (the tree is never copied
// or edited), runs a chaos sweep with the mutant binary and counts the
// mutants some seed detects ("killed").
//
// The mutator (mutator.go) is its own, on go/ast: operator swaps (== !=,
// < <=, > >=, + -, && ||), off-by-one integer literals in comparisons,
// negated if conditions and removed statements (calls, assignments,
// increments, error and early returns). Each mutant is a text edit that
// keeps every line where it was, so a crash's stack trace still points at
// the original source. A mutant is identified by file:line:col:op.
//
// Not generated: mutants in code coverage/unreachable.txt names (no sweep
// can reach them); mutants that merely switch on a planted bug or edit the
// code behind one (node.bug), which `replsim bugs` already covers; and
// removed log lines (Logf), since no checker reads log text.
//
// `replsim mutate` is the command line; this package holds the logic.
package mutation
