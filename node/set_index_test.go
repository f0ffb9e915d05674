package node

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// A table set indexed by keyIndex agrees with a map model through any
// sequence of adds and removes (swap-removal moves the last member), and
// its clone too.
func TestTableSetIndexMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newTableSet(rapid.IntRange(0, 20).Draw(t, "cap"))
		model := map[string]bool{}
		for _, op := range rapid.SliceOf(rapid.IntRange(-60, 60)).Draw(t, "ops") {
			m := "m" + strconv.Itoa(op/2)
			if op >= 0 {
				if s.tableAdd(m) == model[m] {
					t.Fatalf("add %s: model has it %v", m, model[m])
				}
				model[m] = true
			} else {
				if s.remove(m) != model[m] {
					t.Fatalf("remove %s: model has it %v", m, model[m])
				}
				delete(model, m)
			}
			if s.len() != len(model) {
				t.Fatalf("len %d, model %d", s.len(), len(model))
			}
		}
		c := s.clone()
		for i := -30; i <= 30; i++ {
			m := "m" + strconv.Itoa(i)
			if s.has(m) != model[m] || c.has(m) != model[m] {
				t.Fatalf("has %s: %v / clone %v, model %v", m, s.has(m), c.has(m), model[m])
			}
		}
		for i, m := range s.members {
			if s.index.find(m) != int32(i) {
				t.Fatalf("member %s at %d, index says %d", m, i, s.index.find(m))
			}
		}
	})
}
