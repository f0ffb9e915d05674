package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFUpgradeLines(t *testing.T) {
	migrated := line(3, logAOFMigrated, "appendonly.aof", "appendonlydir")
	move := AOFMove{Node: "n1", At: 3e9}
	assert.Empty(t, CheckAOFUpgradeLines([]AOFMove{move}, []LogLine{migrated}))

	v := CheckAOFUpgradeLines(nil, []LogLine{migrated})
	require.Len(t, v, 1, "the line after a failed rename (mutant aof_upgrade.go:55:3)")
	assert.Contains(t, v[0].Detail, "with no rename of the old file")

	v = CheckAOFUpgradeLines([]AOFMove{move}, nil)
	require.Len(t, v, 1, "a move without its line (mutant aof_upgrade.go:60:2)")
	assert.Contains(t, v[0].Detail, "without logging")

	assert.Len(t, CheckAOFUpgradeLines([]AOFMove{{Node: "n1", At: 2e9}}, []LogLine{migrated}), 2, "another instant")
}
