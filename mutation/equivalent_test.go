package mutation

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEquivalent(t *testing.T) {
	eq, err := ParseEquivalent(strings.NewReader("# c\n\nnode/a.go:3:4:eq-ne  {== -> != in a == b}  both sides are equal here\nnode/b.go:1:1:remove\t{remove call: f(x{})}  why\n"))
	require.NoError(t, err)
	assert.Equal(t, EquivalentList{
		"node/a.go:3:4:eq-ne":  {Code: "== -> != in a == b", Reason: "both sides are equal here"},
		"node/b.go:1:1:remove": {Code: "remove call: f(x{})", Reason: "why"},
	}, eq)

	for name, in := range map[string]string{
		"no reason": "node/a.go:3:4:eq-ne  {c}\n",
		"no code":   "node/a.go:3:4:eq-ne  why\n",
		"not an ID": "node/a.go:3 {c}  why\n",
		"twice":     "node/a.go:3:4:eq-ne  {c}  a\nnode/a.go:3:4:eq-ne  {c}  b\n",
	} {
		_, err := ParseEquivalent(strings.NewReader(in))
		assert.Error(t, err, name)
	}
}

// An entry excuses only the mutant with its ID and its code: when lines
// move, another mutant can take the ID (it happened: an entry for
// "r.dialConn = 0" came to excuse "r.state = replConnecting").
func TestEquivalentEntryPinnedToItsCode(t *testing.T) {
	eq := EquivalentList{"node/a.go:3:4:remove": {Code: "remove assignment: x = 0", Reason: "r"}}
	moved := Mutant{File: "node/a.go", Line: 3, Col: 4, Op: "remove", Desc: "remove assignment: y = 1"}
	_, ok := eq.Reason(moved)
	assert.False(t, ok)
	assert.Equal(t, []string{"node/a.go:3:4:remove"}, eq.Stale([]string{"node/a.go"}, []Mutant{moved}))
	same := moved
	same.Desc = "remove assignment: x = 0"
	reason, ok := eq.Reason(same)
	assert.True(t, ok)
	assert.Equal(t, "r", reason)
	assert.Empty(t, eq.Stale([]string{"node/a.go"}, []Mutant{same}))
}

func TestStaleEntries(t *testing.T) {
	eq := EquivalentList{"node/a.go:3:4:eq-ne": {Code: "c", Reason: "r"}, "node/a.go:9:9:remove": {Code: "c", Reason: "r"}, "node/b.go:1:1:inc": {Code: "c", Reason: "r"}}
	ms := []Mutant{{File: "node/a.go", Line: 3, Col: 4, Op: "eq-ne", Desc: "c"}}
	assert.Equal(t, []string{"node/a.go:9:9:remove"}, eq.Stale([]string{"node/a.go"}, ms),
		"only entries about the files enumerated can be judged stale")
}

func TestCheckedInEquivalentListParses(t *testing.T) {
	f, err := os.Open("equivalent.txt")
	require.NoError(t, err)
	defer f.Close()
	eq, err := ParseEquivalent(f)
	require.NoError(t, err)
	files, err := SourceFiles("..", nil)
	require.NoError(t, err)
	all, err := EnumerateFiles("..", files, nil)
	require.NoError(t, err)
	assert.Empty(t, eq.Stale(files, all.Mutants), "entries whose mutant (ID and code) no longer exists")
}

// An entry whose code moved goes to the one unlisted mutant with its
// file, op and code; with several it stays for a person to place.
func TestRelocateEquivalent(t *testing.T) {
	eq := EquivalentList{
		"node/a.go:10:2:remove": {Code: "remove assignment: x = 0", Reason: "r"},
		"node/a.go:20:2:remove": {Code: "remove assignment: y = 0", Reason: "r"},
		"node/a.go:30:2:remove": {Code: "remove assignment: z = 0", Reason: "r"},
	}
	ms := []Mutant{
		{File: "node/a.go", Line: 12, Col: 2, Op: "remove", Desc: "remove assignment: x = 0"},
		{File: "node/a.go", Line: 50, Col: 2, Op: "remove", Desc: "remove assignment: x = 0"},
		{File: "node/a.go", Line: 20, Col: 2, Op: "remove", Desc: "remove assignment: y = 0"},
		{File: "node/a.go", Line: 31, Col: 2, Op: "negate", Desc: "remove assignment: z = 0"},
	}
	moves := eq.Relocate([]string{"node/a.go"}, ms)
	assert.Empty(t, moves, "two places for x; none for an entry in place or one whose op changed")
	ms = ms[:len(ms)-1]
	ms[1].Desc = "remove assignment: w = 0"
	moves = eq.Relocate([]string{"node/a.go"}, ms)
	assert.Equal(t, map[string]string{"node/a.go:10:2:remove": "node/a.go:12:2:remove"}, moves)
	// A bare return with two places goes where its neighbour's shift
	// takes it.
	eq["node/a.go:15:3:remove"] = EquivalentEntry{Code: "remove return: return", Reason: "r"}
	ms = append(ms, Mutant{File: "node/a.go", Line: 17, Col: 3, Op: "remove", Desc: "remove return: return"},
		Mutant{File: "node/a.go", Line: 16, Col: 3, Op: "remove", Desc: "remove return: return"})
	moves = eq.Relocate([]string{"node/a.go"}, ms)
	assert.Equal(t, map[string]string{"node/a.go:10:2:remove": "node/a.go:12:2:remove", "node/a.go:15:3:remove": "node/a.go:17:3:remove"}, moves)
	assert.Equal(t, "# c\nnode/a.go:12:2:remove  {remove assignment: x = 0}  r\nnode/a.go:20:2:remove  {y}  r\n",
		MoveIDs("# c\nnode/a.go:10:2:remove  {remove assignment: x = 0}  r\nnode/a.go:20:2:remove  {y}  r\n", moves))
}
