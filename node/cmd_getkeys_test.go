package node_test

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
)

// SORT's STORE key has no key spec Redis can follow: COMMAND GETKEYS uses
// SORT's own key finder. The replies are redis-server 7.0.15's.
func TestCommandGetkeysSort(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	for _, tc := range []struct{ cmd, want string }{
		{"COMMAND GETKEYS sort mylist", "*1\r\n$6\r\nmylist\r\n"},
		{"COMMAND GETKEYS sort mylist store dst", "*2\r\n$6\r\nmylist\r\n$3\r\ndst\r\n"},
		{"COMMAND GETKEYS sort mylist by foo get bar store dst limit 0 1", "*2\r\n$6\r\nmylist\r\n$3\r\ndst\r\n"},
		{"COMMAND GETKEYS sort mylist store", "*1\r\n$6\r\nmylist\r\n"},
		{"COMMAND GETKEYS sort mylist store a store b", "*2\r\n$6\r\nmylist\r\n$1\r\nb\r\n"},
		{"COMMAND GETKEYS sort mylist store get x", "*2\r\n$6\r\nmylist\r\n$3\r\nget\r\n"},
		{"COMMAND GETKEYS sort mylist limit 0", "*1\r\n$6\r\nmylist\r\n"},
		{"COMMAND GETKEYSANDFLAGS sort mylist store dst", "*2\r\n*2\r\n$6\r\nmylist\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$3\r\ndst\r\n*2\r\n+OW\r\n+update\r\n"},
	} {
		assert.Equal(t, tc.want, h.DoString(c, strings.Fields(tc.cmd)...), tc.cmd)
	}
}
