package redistest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Binary is a main package of this module (`replsim`, say) built once per
// test process with `go build`, for tests that run it as a server.
//
// go test caches a package's result under its test binary and the files
// the test opened. A program built through exec is neither, so after a
// change to the node a cached "ok" would be reported for tests that never
// ran the new code. Before building, Path therefore opens the directory of
// every package of this module the program is built from, and go.mod and
// go.sum: go test records their listings (names, sizes, modification
// times), and any edit there makes it run the tests again.
type Binary struct {
	// Pkg is the import path of the main package.
	Pkg string

	once sync.Once
	dir  string
	path string
	err  error
}

// Path builds the program on first use and returns the executable's path.
// A failed build fails t. Call it from a test (not from TestMain before
// m.Run, when go test does not yet record what is opened).
func (b *Binary) Path(t testing.TB) string {
	t.Helper()
	b.once.Do(b.build)
	if b.err != nil {
		t.Fatalf("building %s: %v", b.Pkg, b.err)
	}
	return b.path
}

// Remove deletes the executable, if built. Call it from TestMain after
// m.Run.
func (b *Binary) Remove() {
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}

func (b *Binary) build() {
	if b.err = recordSources(b.Pkg); b.err != nil {
		return
	}
	b.dir, b.err = os.MkdirTemp("", "redistest-bin")
	if b.err != nil {
		return
	}
	b.path = filepath.Join(b.dir, filepath.Base(b.Pkg))
	out, err := exec.Command("go", "build", "-o", b.path, b.Pkg).CombinedOutput()
	if err != nil {
		b.err = fmt.Errorf("%v\n%s", err, out)
	}
}

// recordSources opens (so go test records) the directory of every package
// of the main module that pkg is built from, and the module's go.mod and
// go.sum. It runs before the build: an edit made meanwhile then shows as a
// changed input on the next run instead of hiding behind a cached result.
func recordSources(pkg string) error {
	const format = `{{if and .Module .Module.Main}}{{.Dir}}{{"\t"}}{{.Module.GoMod}}{{end}}`
	out, err := exec.Command("go", "list", "-deps", "-f", format, pkg).Output()
	if err != nil {
		return fmt.Errorf("go list %s: %w", pkg, err)
	}
	var opened int
	gomod := ""
	for _, line := range strings.Split(string(out), "\n") {
		dir, mod, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		if _, err := os.ReadDir(dir); err != nil {
			return err
		}
		opened++
		gomod = mod
	}
	if opened == 0 || gomod == "" {
		return fmt.Errorf("go list %s: no package of the main module", pkg)
	}
	for _, f := range []string{gomod, filepath.Join(filepath.Dir(gomod), "go.sum")} {
		if _, err := os.ReadFile(f); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}
