// Package coverage measures which of node/'s statements a chaos sweep
// executes. It builds replsim with coverage instrumentation, runs a sweep
// with GOCOVERDIR, converts the counters with `go tool covdata textfmt` and
// summarises them per file: statements, statements run, and the same over
// the statements the simulation can reach at all (unreachable.txt names
// the files and functions it cannot, each with its reason).
//
// `replsim cover` is the command line; this package holds the logic.
package coverage
