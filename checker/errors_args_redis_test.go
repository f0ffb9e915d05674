package checker

import (
	"os/exec"
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
	{"ZADD", "z", "1", "a", "2", "b"}, {"ZADD", "y", "1", "a"}, {"ZADD", "z:lex", "0", "a", "0", "b", "0", "c"},
}

// argErrorCases holds what a real redis-server answers. Without one the
// test fails: the strict rules are only as right as these cases.
func TestArgErrorsOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server 7.0.15 is needed to check the strict argument errors: %v", err)
	}
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
