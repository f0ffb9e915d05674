package cluster

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
)

// A blocking command's client waits its timeout on top of the usual
// deadline; other commands, and a timeout of 0 (forever), add nothing.
func TestBlockForIsTheTimeout(t *testing.T) {
	for args, want := range map[string]sim.Time{
		"BLPOP l1 l2 0.5":            500 * sim.Millisecond,
		"BLMPOP 1 1 l1 LEFT":         sim.Second,
		"BRPOPLPUSH l1 l2 0.01":      10 * sim.Millisecond,
		"BLMOVE l1 l2 LEFT LEFT 0.2": 200 * sim.Millisecond,
		"BLPOP l1 0":                 0,
		"LPOP l1 1":                  0,
	} {
		op := checker.Op{Kind: checker.OpCmd, Args: strings.Fields(args)}
		assert.Equal(t, want, blockFor(&op), args)
	}
}
