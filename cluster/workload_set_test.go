package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/stretchr/testify/assert"
)

// TestSameKeyTwiceGetsItsDBPrefixTwice: SMOVE k k and SDIFF k k name their
// key once for the model but twice in the command: a client of db 1 sends
// its prefix on both (else SMOVE would move the member to another key).
func TestSameKeyTwiceGetsItsDBPrefixTwice(t *testing.T) {
	for _, c := range []struct{ args, want []string }{
		{[]string{"SMOVE", "s1", "s1", "m"}, []string{"SMOVE", "d1:s1", "d1:s1", "m"}},
		{[]string{"SDIFF", "s1", "s2", "s1"}, []string{"SDIFF", "d1:s1", "d1:s2", "d1:s1"}},
	} {
		op := checker.Op{Kind: checker.OpCmd, Args: c.args}
		cmdKeys(&op, 1)
		assert.Equal(t, c.want, op.Args)
		assert.Equal(t, "d1:s1", op.Key)
	}
}
