package checker

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
)

// argErrorsSetup gives each key of argErrorCases a value of the type its
// commands work on.
var argErrorsSetup = [][]string{
	{"FLUSHALL"}, {"HSET", "h", "f", "1"}, {"SADD", "s", "a"}, {"SADD", "t", "a"},
	{"RPUSH", "l", "a", "b", "c"}, {"RPUSH", "m", "a"}, {"SET", "f", "1.5"},
}

// argErrorCases holds what a real redis-server answers (skipped where it
// is not installed).
func TestArgErrorsOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
	c := srv.Dial(t)
	for line, want := range argErrorCases {
		for _, cmd := range argErrorsSetup {
			c.Do(t, cmd...)
		}
		got := c.Do(t, strings.Fields(line)...)
		if got.Kind != resp.Error {
			assert.Empty(t, want, "%s: Redis answered %s", line, got.String())
			continue
		}
		assert.Equal(t, want, string(got.Str), line)
	}
}
