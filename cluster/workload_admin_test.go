package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableCommandsRoundTrip: every command of the admin and errors tables,
// with a key of db 0 or db 1, reads back from an operation list as drawn.
func TestTableCommandsRoundTrip(t *testing.T) {
	for _, table := range [][]tableCmd{adminReads, errorCmds} {
		for _, tc := range table {
			for _, k := range []string{"k3", "d1:k5"} {
				op := tableOp(tc, k, "ADMIN")
				if tc.reply != "" {
					op = tableOp(tc, k, "EXPECT")
				}
				got, err := parseCommand(CommandWords(&op), false)
				require.NoError(t, err, "%v", tc.words)
				assert.Equal(t, op, got)
			}
		}
	}
}

// TestTableArgsFollowTheKeysDB: a table command's key gets its database
// prefix in Args as well.
func TestTableArgsFollowTheKeysDB(t *testing.T) {
	op := tableOp(cmd("OBJECT ENCODING $k"), "k2", "ADMIN")
	op.Key = "d1:k2"
	tableArgs(&op, "k2")
	assert.Equal(t, []string{"OBJECT", "ENCODING", "d1:k2"}, op.Args)
}
