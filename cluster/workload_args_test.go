package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"

	"github.com/stretchr/testify/assert"
)

// TestFamiliesDrawNoTableForm: no family draws, as a command of its own,
// the words of a fixed-reply table command (an operation list reads the
// tables first, so it would replay as another operation).
func TestFamiliesDrawNoTableForm(t *testing.T) {
	r := sim.NewWorld(1).Rand("collide")
	for _, f := range families {
		for i := 0; i < 20000; i++ {
			op := checker.Op{Key: "k" + itoa(r.IntN(4))}
			if f.ns != "" {
				op.Key = f.ns + op.Key[1:]
			}
			f.draw(r, &op, 4)
			ops := append([]checker.Op{op}, op.Sub...)
			for _, o := range ops {
				if isTableMode(&o) || o.Args == nil {
					continue
				}
				if got, ok := parseTable(o.Args); ok {
					assert.Fail(t, "a family draws a table form", "%s draws %v, read back as %s", f.name, o.Args, got.Mode)
				}
			}
		}
	}
}
