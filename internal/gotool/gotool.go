// Package gotool runs the go command for the repository's measuring tools
// (coverage, mutation): where the module is and how to call go.
package gotool

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module is the Go module a directory belongs to.
type Module struct {
	Root string // absolute directory holding go.mod
	Path string // module path, e.g. github.com/replsim/replsim
}

// FindModule asks the go command which module dir belongs to.
func FindModule(dir string) (Module, error) {
	out, err := Output(dir, "list", "-m", "-f", "{{.Dir}}\t{{.Path}}")
	if err != nil {
		return Module{}, err
	}
	root, path, ok := strings.Cut(strings.TrimSpace(out), "\t")
	if !ok || root == "" || path == "" {
		return Module{}, fmt.Errorf("go list -m in %s: unexpected output %q (not inside one module?)", dir, out)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return Module{}, err
	}
	return Module{Root: abs, Path: path}, nil
}

// Output runs `go args...` in dir and returns its standard output; a
// failure returns an error carrying the command's standard error.
func Output(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
