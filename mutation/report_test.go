package mutation

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTallyAndReport(t *testing.T) {
	m := func(line int, op string) Mutant {
		return Mutant{File: "node/a.go", Line: line, Col: 2, Op: op, Desc: "d" + op}
	}
	rs := []Result{
		{Mutant: m(1, "eq-ne"), Status: Killed, Detail: "seed 3 failed"},
		{Mutant: m(2, "remove"), Status: Killed, Detail: "crash: panic: boom"},
		{Mutant: m(3, "negate"), Status: Killed, Detail: "timeout after 1m0s"},
		{Mutant: m(4, "inc"), Status: Survived, Detail: "100 seeds passed", Elapsed: 1500 * time.Millisecond},
		{Mutant: m(5, "dec"), Status: Invalid, Detail: "does not compile: x"},
		{Mutant: m(6, "lt-le"), Status: Equivalent, Detail: "same"},
	}
	s := Tally(rs)
	assert.Equal(t, Score{Killed: 3, Survived: 1, Invalid: 1, Equivalent: 1,
		KilledBy: map[string]int{"seed": 1, "crash": 1, "timeout": 1}}, s)
	assert.InDelta(t, 75.0, s.Percent(), 1e-9)
	assert.Equal(t, 0.0, Tally(nil).Percent())

	var buf bytes.Buffer
	PrintReport(&buf, rs)
	assert.Equal(t, ""+
		"mutants: 4 judged: 3 killed (1 by a failing seed, 1 crash, 1 timeout, 0 memory), 1 survived\n"+
		"not counted: 1 invalid (do not compile), 1 listed as equivalent\n"+
		"score: 3/4 = 75.0% (killed / (valid - equivalent))\n"+
		"survivors (1):\n"+
		"  node/a.go:4:2:inc  dinc\n", buf.String())

	buf.Reset()
	require.NoError(t, WriteResults(&buf, rs[3:4]))
	assert.Equal(t, "id\tstatus\tseconds\tdetail\tdescription\nnode/a.go:4:2:inc\tsurvived\t1.5\t100 seeds passed\tdinc\n", buf.String())
}
