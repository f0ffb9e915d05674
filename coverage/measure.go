package coverage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/replsim/replsim/internal/gotool"
)

// Options say how to measure.
type Options struct {
	Module gotool.Module
	// CoverPkg is the -coverpkg pattern list. The main package must be in
	// it, or the binary writes no counters.
	CoverPkg string
	// ChaosArgs follow "chaos" on the instrumented binary's command line.
	ChaosArgs []string
	// Output receives the sweep's progress and summary.
	Output io.Writer
	// Dir, when set, keeps the binary, the counters and the text profile
	// there instead of in a temporary directory removed afterwards.
	Dir string
}

// DefaultCoverPkg instruments node/ and everything under it, plus the
// command (whose counters are dropped later) so the binary emits data.
const DefaultCoverPkg = "./node/...,./cmd/replsim"

// Measurement is what a measured sweep produced.
type Measurement struct {
	Blocks []Block
	// SweepFailed is set when a seed of the sweep failed: the coverage is
	// still valid, but the caller should say so.
	SweepFailed bool
}

// Measure builds replsim with coverage, runs a chaos sweep with
// GOCOVERDIR and returns the merged profile.
func Measure(o Options) (Measurement, error) {
	var m Measurement
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "replsim-cover-")
		if err != nil {
			return m, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	bin := filepath.Join(dir, "replsim")
	counters := filepath.Join(dir, "counters")
	if err := os.RemoveAll(counters); err != nil {
		return m, err
	}
	if err := os.MkdirAll(counters, 0o755); err != nil {
		return m, err
	}
	pkgs := o.CoverPkg
	if pkgs == "" {
		pkgs = DefaultCoverPkg
	}
	if _, err := gotool.Output(o.Module.Root, "build", "-cover", "-covermode=set", "-coverpkg="+pkgs, "-o", bin, "./cmd/replsim"); err != nil {
		return m, err
	}
	cmd := exec.Command(bin, append([]string{"chaos"}, o.ChaosArgs...)...)
	cmd.Dir = o.Module.Root
	cmd.Env = append(os.Environ(), "GOCOVERDIR="+counters)
	out := o.Output
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			return m, fmt.Errorf("chaos sweep: %w", err)
		}
		m.SweepFailed = true
	}
	profile := filepath.Join(dir, "profile.txt")
	if _, err := gotool.Output(o.Module.Root, "tool", "covdata", "textfmt", "-i="+counters, "-o="+profile); err != nil {
		return m, err
	}
	f, err := os.Open(profile)
	if err != nil {
		return m, err
	}
	defer f.Close()
	if m.Blocks, err = ParseTextFmt(f); err != nil {
		return m, err
	}
	if len(m.Blocks) == 0 {
		return m, fmt.Errorf("the sweep wrote no coverage counters to %s", counters)
	}
	return m, nil
}
