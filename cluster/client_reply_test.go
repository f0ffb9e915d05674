package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
)

// Each quiet mode wraps the command in one write whose last command gives
// the request's only reply; REWRITE puts a BGREWRITEAOF right after the
// command, replies still off.
func TestQuietRequests(t *testing.T) {
	incr := resp.AppendCommandStrings(nil, "INCR", "k")
	for mode, want := range map[string][][]string{
		"OFF":     {{"CLIENT", "REPLY", "OFF"}, {"INCR", "k"}, {"CLIENT", "REPLY", "ON"}},
		"SKIP":    {{"CLIENT", "REPLY", "SKIP"}, {"INCR", "k"}, {"ECHO", checker.QuietEcho}},
		"REWRITE": {{"CLIENT", "REPLY", "OFF"}, {"INCR", "k"}, {"BGREWRITEAOF"}, {"CLIENT", "REPLY", "ON"}},
	} {
		var wire []byte
		for _, c := range want {
			wire = resp.AppendCommandStrings(wire, c...)
		}
		assert.Equal(t, string(wire), string(quietRequest(&checker.Op{Quiet: mode}, incr)), mode)
	}
	assert.Equal(t, "OK", checker.QuietWant("REWRITE"))
}
