package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// COMMAND GETKEYS, GETKEYSANDFLAGS, LIST and INFO answer from Redis's
// command metadata for the implemented commands (replies as redis-server
// 7.0.15 gives them; TestCommandMetaMatchesRedis compares with a live one).
func TestCommandIntrospection(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	for _, tc := range []struct{ cmd, want string }{
		{"COMMAND GETKEYS get k", "*1\r\n$1\r\nk\r\n"},
		{"COMMAND GETKEYS mset a 1 b 2", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{"COMMAND GETKEYS memory usage k", "*1\r\n$1\r\nk\r\n"},
		{"COMMAND GETKEYS sintercard 2 a b", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{"COMMAND GETKEYS sintercard 3 a b", "-ERR Invalid arguments specified for command\r\n"},
		{"COMMAND GETKEYS get", "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
		{"COMMAND GETKEYS get a b", "-ERR Invalid number of arguments specified for command\r\n"},
		{"COMMAND GETKEYS ping x", "-ERR The command has no key arguments\r\n"},
		{"COMMAND GETKEYS nosuch x", "-ERR Invalid command specified\r\n"},
		{"COMMAND GETKEYS config nosuch x", "-ERR Invalid command specified\r\n"},
		{"COMMAND GETKEYSANDFLAGS set k v", "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
		{"COMMAND GETKEYSANDFLAGS set k v get", "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
		{"COMMAND GETKEYSANDFLAGS rename a b", "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
		{"COMMAND LIST FILTERBY PATTERN set", "*1\r\n$3\r\nset\r\n"},
		{"COMMAND LIST FILTERBY PATTERN CONFIG|RE*", "*2\r\n$14\r\nconfig|rewrite\r\n$16\r\nconfig|resetstat\r\n"},
		{"COMMAND LIST FILTERBY ACLCAT nosuch", "*0\r\n"},
		{"COMMAND LIST FILTERBY MODULE m", "*0\r\n"},
		{"COMMAND LIST bad", "-ERR syntax error\r\n"},
		{"COMMAND INFO get|key config|nosuch", "*2\r\n$-1\r\n$-1\r\n"},
		{"COMMAND DOCS nosuch", "*0\r\n"},
	} {
		got := h.DoString(c, strings.Fields(tc.cmd)...)
		if strings.HasPrefix(tc.cmd, "COMMAND LIST FILTERBY PATTERN CONFIG") {
			// Order is the node's (Redis's is its hash table's).
			assert.ElementsMatch(t, strings.Split(tc.want, "\r\n"), strings.Split(got, "\r\n"), tc.cmd)
			continue
		}
		assert.Equal(t, tc.want, got, tc.cmd)
	}
	list := h.DoString(c, "COMMAND", "LIST")
	assert.Contains(t, list, "\r\nconfig|get\r\n", "subcommands are listed")
	assert.Contains(t, h.DoString(c, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"), "\r\nappend\r\n")
	assert.NotContains(t, h.DoString(c, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"), "\r\nsadd\r\n")
	// INFO of a subcommand is its own entry.
	assert.True(t, strings.HasPrefix(h.DoString(c, "COMMAND", "INFO", "config|get"), "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n"))
	// DOCS lists only implemented subcommands.
	docs := h.DoString(c, "COMMAND", "DOCS", "object")
	assert.Contains(t, docs, "object|encoding")
}
