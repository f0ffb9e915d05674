package lint

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deterministicDirs must replay byte for byte: no goroutines, channels, real
// clock, global randomness, os or net (tests are exempt).
var deterministicDirs = []string{"sim", "tap", "netsim", "disksim", "node", "checker", "fault", "cluster"}

var forbiddenImports = map[string]string{
	"os":        "the node and the simulator reach the OS only through Env",
	"net":       "use netsim (or Env.Dial/Send) instead",
	"math/rand": "use a seeded *sim.Rand or Env.Rand",
	"os/exec":   "no processes in deterministic code",
	"syscall":   "no system calls in deterministic code",
}

// forbiddenCalls are package-level functions that read the real clock or a
// global random source.
var forbiddenCalls = map[string]map[string]bool{
	"time":         {"Now": true, "Sleep": true, "Since": true, "Until": true, "After": true, "AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true},
	"math/rand/v2": {"Int": true, "IntN": true, "Int32": true, "Int32N": true, "Int64": true, "Int64N": true, "Uint32": true, "Uint64": true, "Uint32N": true, "Uint64N": true, "UintN": true, "N": true, "Float32": true, "Float64": true, "Perm": true, "Shuffle": true, "NormFloat64": true, "ExpFloat64": true},
	"crypto/rand":  {"Read": true, "Int": true, "Prime": true, "Text": true},
}

// checkFile reports every rule the file breaks.
func checkFile(fset *token.FileSet, f *ast.File) []string {
	var problems []string
	report := func(pos token.Pos, msg string) {
		problems = append(problems, fmt.Sprintf("%s: %s", fset.Position(pos), msg))
	}
	imported := map[string]string{} // local name -> path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if why, bad := forbiddenImports[path]; bad {
			report(imp.Pos(), fmt.Sprintf("imports %q: %s", path, why))
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if path == "math/rand/v2" {
			name = "rand"
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imported[name] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.GoStmt:
			report(x.Pos(), "starts a goroutine")
		case *ast.ChanType:
			report(x.Pos(), "uses a channel type")
		case *ast.SelectStmt:
			report(x.Pos(), "uses select")
		case *ast.SendStmt:
			report(x.Pos(), "sends on a channel")
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			if !ok || id.Obj != nil {
				return true
			}
			if calls, ok := forbiddenCalls[imported[id.Name]]; ok && calls[x.Sel.Name] {
				report(x.Pos(), fmt.Sprintf("calls %s.%s", imported[id.Name], x.Sel.Name))
			}
		}
		return true
	})
	return problems
}

func checkSource(t *testing.T, src string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	require.NoError(t, err)
	return checkFile(fset, f)
}

// TestDeterministicPackagesFollowTheRules scans the real tree.
func TestDeterministicPackagesFollowTheRules(t *testing.T) {
	files := 0
	for _, dir := range deterministicDirs {
		root := filepath.Join("..", "..", dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			files++
			for _, p := range checkFile(fset, f) {
				t.Error(p)
			}
			return nil
		})
		require.NoError(t, err)
	}
	assert.Greater(t, files, 20, "the scan found too few files: is the tree where the test expects it?")
}

// TestRulesCatchViolations proves the scanner bites.
func TestRulesCatchViolations(t *testing.T) {
	cases := map[string]string{
		"goroutine":   "package p\nfunc f() { go f() }",
		"channel":     "package p\nvar c chan int",
		"select":      "package p\nfunc f() { select {} }",
		"time.Now":    "package p\nimport \"time\"\nvar x = time.Now()",
		"time.Sleep":  "package p\nimport \"time\"\nfunc f() { time.Sleep(1) }",
		"os":          "package p\nimport \"os\"\nvar x = os.Args",
		"net":         "package p\nimport \"net\"\nvar x net.Conn",
		"rand global": "package p\nimport \"math/rand/v2\"\nvar x = rand.IntN(3)",
		"math/rand":   "package p\nimport \"math/rand\"\nvar x = rand.Intn(3)",
		"renamed":     "package p\nimport t \"time\"\nvar x = t.Now()",
	}
	for name, src := range cases {
		assert.NotEmpty(t, checkSource(t, src), name)
	}
	ok := "package p\nimport (\"time\"; \"math/rand/v2\")\nvar d time.Duration\nvar r = rand.New(rand.NewPCG(1, 2))"
	assert.Empty(t, checkSource(t, ok))
}
