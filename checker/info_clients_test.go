package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// INFO's blocked_clients is never negative; mutant
// cmd_wait.go:109:45 subtracted the clients blocked in a list command from
// those blocked in WAIT.
func TestInfoClientsBlockedWithinConnected(t *testing.T) {
	info := func(connected, blocked string) Op {
		return Op{Kind: OpRead, Node: "n1", Client: 2, Call: 1e9, Return: 2e9, Args: []string{"INFO"},
			Reply: `# Clients\r\nconnected_clients:` + connected + `\r\nblocked_clients:` + blocked + `\r\n`}
	}
	assert.Empty(t, CheckInfoClients([]Op{info("4", "0"), info("4", "4"), {Kind: OpRead, Args: []string{"INFO"}, Reply: "# Server\r\n"}}))
	assert.Empty(t, CheckInfoClients([]Op{info("1", "2")}), "operator consoles block without counting as connected")
	for _, bad := range [][2]string{{"4", "-1"}, {"0", "0"}, {"4", "x"}} {
		v := CheckInfoClients([]Op{info(bad[0], bad[1])})
		require.Len(t, v, 1, "%v", bad)
		assert.Equal(t, PropInfoClients, v[0].Check)
	}
}
