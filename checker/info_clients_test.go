package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// INFO's blocked_clients lies within connected_clients; mutant
// cmd_wait.go:109:45 subtracted the clients blocked in a list command from
// those blocked in WAIT.
func TestInfoClientsBlockedWithinConnected(t *testing.T) {
	info := func(connected, blocked string) Op {
		return Op{Kind: OpRead, Node: "n1", Client: 2, Call: 1e9, Return: 2e9, Args: []string{"INFO"},
			Reply: `# Clients\r\nconnected_clients:` + connected + `\r\nblocked_clients:` + blocked + `\r\n`}
	}
	assert.Empty(t, CheckInfoClients([]Op{info("4", "0"), info("4", "4"), {Kind: OpRead, Args: []string{"INFO"}, Reply: "# Server\r\n"}}))
	for _, bad := range [][2]string{{"4", "-1"}, {"4", "5"}, {"0", "0"}, {"4", "x"}} {
		v := CheckInfoClients([]Op{info(bad[0], bad[1])})
		require.Len(t, v, 1, "%v", bad)
		assert.Equal(t, PropInfoClients, v[0].Check)
	}
}
