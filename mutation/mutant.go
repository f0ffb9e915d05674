package mutation

import (
	"fmt"
	"sort"
)

// Mutant is one small fault planted in a source file.
type Mutant struct {
	File string // slash path from the module root, e.g. "node/repl.go"
	Line int    // 1-based position of the mutated code
	Col  int    // 1-based byte column
	Op   string // what was done, e.g. "eq-ne", "negate", "remove", "inc"
	Desc string // a short human description, e.g. "== -> != in a == b"

	edits []edit // applied to the file's source as enumerated
}

// edit replaces src[from:to] by text.
type edit struct {
	from, to int
	text     string
}

// ID names the mutant: file:line:col:op. It is unique within a file's
// enumeration and stable as long as the code before it does not move.
func (m Mutant) ID() string {
	return fmt.Sprintf("%s:%d:%d:%s", m.File, m.Line, m.Col, m.Op)
}

// Apply returns src with the mutation applied. src must be the source the
// mutant was enumerated from.
func (m Mutant) Apply(src []byte) []byte {
	edits := append([]edit(nil), m.edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	out := make([]byte, 0, len(src)+16)
	at := 0
	for _, e := range edits {
		out = append(out, src[at:e.from]...)
		out = append(out, e.text...)
		at = e.to
	}
	return append(out, src[at:]...)
}
