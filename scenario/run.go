package scenario

import (
	"errors"
	"fmt"
	"strings"

	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/sim"
)

// ScriptRun is the outcome of running a script.
type ScriptRun struct {
	// Outputs holds each block's actual transcript.
	Outputs []string
	// Failures lists what failed in the run (a check with violations, a
	// simulation whose verdict is not pass, a wait that timed out), as
	// "line N: ..." lines; a script that reproduces a bug fails.
	Failures []string
}

// Failed reports whether anything in the run failed.
func (r *ScriptRun) Failed() bool { return len(r.Failures) > 0 }

// Mismatches lists the blocks whose transcript differs from the expected
// one, as "name:line: command" lines.
func (r *ScriptRun) Mismatches(s *Script) []string {
	var out []string
	for i, b := range s.Blocks {
		if r.Outputs[i] != b.Expected {
			out = append(out, fmt.Sprintf("%s:%d: %s", s.Name, b.Line, b.Command))
		}
	}
	return out
}

// usageError is a mistake in the script itself (unknown command, bad
// argument): it stops the run. Other errors are part of the transcript.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// scriptEnv is the state a script runs in.
type scriptEnv struct {
	seed     uint64
	h        *cluster.Cluster
	line     int
	failures []string
	// name and block are the script and the block running (for errors
	// inside a heredoc).
	name  string
	block *ScriptBlock
}

func (e *scriptEnv) harness() *cluster.Cluster {
	if e.h == nil {
		e.h = NewCluster(e.seed)
	}
	return e.h
}

// NewCluster returns an empty cluster for scripts and hand-driven tests:
// add nodes with Start, drive them with Exec, Partition, Crash, ... and
// advance virtual time with RunFor or the Wait methods. Faults the network
// injects on its own (a reset a script asked for) are counted.
func NewCluster(seed uint64) *cluster.Cluster {
	c := cluster.New(sim.NewWorld(seed), cluster.Options{})
	c.Net().OnFault = func(kind, detail string) { c.CountFault(kind) }
	return c
}

func (e *scriptEnv) fail(format string, args ...any) {
	e.failures = append(e.failures, fmt.Sprintf("line %d: ", e.line)+fmt.Sprintf(format, args...))
}

// RunScript runs every command of s in one fresh simulated cluster (seed 1
// unless the script starts with `seed N`) and returns the transcripts. A
// mistake in the script is an error naming the file and line.
func RunScript(s *Script) (*ScriptRun, error) {
	env := &scriptEnv{seed: 1}
	run := &ScriptRun{}
	for i, b := range s.Blocks {
		env.line = b.Line
		env.block = &s.Blocks[i]
		env.name = s.Name
		args, err := b.Words()
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", s.Name, b.Line, err)
		}
		out, err := env.exec(args)
		var ue *usageError
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("%s:%d: %s: %v", s.Name, b.Line, args[0], err)
		}
		if err != nil {
			out = "error: " + err.Error()
		}
		run.Outputs = append(run.Outputs, strings.TrimRight(out, "\n"))
	}
	run.Failures = env.failures
	return run, nil
}
