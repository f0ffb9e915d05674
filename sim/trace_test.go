package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A field left empty at the end of a line leaves no trailing space, in the
// kept line or in the hash.
func TestTraceLineHasNoTrailingSpace(t *testing.T) {
	a, b := newTrace(), newTrace()
	a.Keep, b.Keep = true, true
	a.Line(Second).S("c1 -> n1 GET k1 ").S("").End()
	b.Line(Second).S("c1 -> n1 GET k1").End()
	assert.Equal(t, []string{"1.000000 c1 -> n1 GET k1"}, a.Lines())
	assert.Equal(t, b.Hash(), a.Hash())

	c := newTrace()
	c.Keep = true
	c.Line(0).S("   ").End()
	assert.Equal(t, []string{"0.000000"}, c.Lines(), "the time stamp's own separator goes too")
}
