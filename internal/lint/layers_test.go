package lint

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/replsim/replsim/"

// layers says, for every package of the module, which of the module's
// packages it may import: each folder is one idea and arrows point one way.
// The node knows nothing of the simulator or of the checkers that judge it;
// the checkers know only the neutral contract (tap) and the RESP codec; a
// fault kind knows the mechanisms it drives (netsim, disksim) and the
// fault.Target it acts on, never the cluster that implements it.
var layers = map[string][]string{
	"sim":                nil,
	"vfs":                nil,
	"tap":                nil,
	"node/resp":          nil,
	"node/rdb":           {"node/listpack", "node/intset"},
	"node/listpack":      nil,
	"node/intset":        nil,
	"vfs/osfs":           {"vfs"},
	"netsim":             {"sim"},
	"disksim":            {"sim", "vfs"},
	"node":               {"node/resp", "node/rdb", "node/listpack", "node/intset", "tap", "vfs"},
	"checker":            {"node/resp", "tap"},
	"fault":              {"sim", "netsim", "disksim", "vfs"},
	"cluster":            {"sim", "netsim", "disksim", "vfs", "tap", "node", "node/resp", "node/rdb", "checker", "fault"},
	"harness":            {"sim", "node", "checker", "fault", "cluster"},
	"scenario":           {"sim", "disksim", "node/resp", "checker", "fault", "cluster", "harness"},
	"shrink":             {"sim", "checker", "fault", "cluster", "harness", "scenario"},
	"server":             {"node", "node/resp", "vfs", "vfs/osfs"},
	"internal/nodetest":  {"sim", "disksim", "vfs", "node", "node/resp"},
	"internal/redisproc": {"node/resp"},
	"internal/redistest": {"node/resp", "internal/redisproc"},
	"internal/difftest":  {"node", "node/resp", "node/rdb", "node/listpack", "node/intset", "internal/nodetest"},
	"internal/gotool":    nil,
	"coverage":           {"internal/gotool"},
	"mutation":           {"coverage", "internal/gotool"},
	"internal/interop":   {"node/resp", "node/rdb"}, // a scripted master's commands and snapshot
	"internal/lint":      nil,
	"cmd/replsim":        {"sim", "node", "node/resp", "checker", "fault", "cluster", "harness", "scenario", "shrink", "server", "internal/redisproc", "coverage", "mutation", "internal/gotool"},
}

// testOnly are the module's packages any package's tests may import as
// well: helpers that drive a node in process or a real server, and the
// simulated disk and clock a node's persistence tests run on.
var testOnly = []string{"internal/nodetest", "internal/redistest", "disksim", "sim"}

// importsByPackage reads the module's import graph from the source tree:
// for each package folder, the module packages its files (tests apart)
// import, and those its tests import.
func importsByPackage(t *testing.T, root string) (code, tests map[string][]string) {
	code, tests = map[string][]string{}, map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		into := code
		if strings.HasSuffix(path, "_test.go") {
			into = tests
		}
		if _, ok := into[pkg]; !ok {
			into[pkg] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if dep, ok := strings.CutPrefix(p, module); ok && dep != pkg && !slices.Contains(into[pkg], dep) {
				into[pkg] = append(into[pkg], dep)
			}
		}
		return nil
	})
	require.NoError(t, err)
	return code, tests
}

// layerProblems lists every import that the layers table does not allow.
func layerProblems(code, tests map[string][]string) []string {
	var out []string
	check := func(pkg string, deps []string, test bool) {
		allowed, known := layers[pkg]
		if !known {
			out = append(out, pkg+": not in the layers table (internal/lint/layers_test.go): say what it may import")
			return
		}
		for _, d := range deps {
			if slices.Contains(allowed, d) || (test && (slices.Contains(testOnly, d) || d == pkg)) {
				continue
			}
			what := "imports"
			if test {
				what = "tests import"
			}
			out = append(out, pkg+": "+what+" "+d+", which the layers table does not allow")
		}
	}
	for pkg, deps := range code {
		check(pkg, deps, false)
	}
	for pkg, deps := range tests {
		check(pkg, deps, true)
	}
	slices.Sort(out)
	return out
}

// TestImportsFollowTheLayers scans the real tree: an arrow added the wrong
// way (the node importing the simulator, the checker importing the node)
// fails here.
func TestImportsFollowTheLayers(t *testing.T) {
	code, tests := importsByPackage(t, filepath.Join("..", ".."))
	assert.Greater(t, len(code), 15, "the scan found too few packages: is the tree where the test expects it?")
	for _, p := range layerProblems(code, tests) {
		t.Error(p)
	}
}

// TestLayersCatchWrongArrows proves the check bites.
func TestLayersCatchWrongArrows(t *testing.T) {
	code := map[string][]string{"checker": {"node"}, "node": {"sim"}, "newpkg": nil}
	tests := map[string][]string{"checker": {"internal/nodetest", "disksim"}, "fault": {"cluster"}}
	assert.Equal(t, []string{
		"checker: imports node, which the layers table does not allow",
		"fault: tests import cluster, which the layers table does not allow",
		"newpkg: not in the layers table (internal/lint/layers_test.go): say what it may import",
		"node: imports sim, which the layers table does not allow",
	}, layerProblems(code, tests))
}
