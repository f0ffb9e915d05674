package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFinalRDBRepl(t *testing.T) {
	id := strings.Repeat("a", 40)
	good := FinalRDBRepl{Node: "n1", At: 5e9, Backlog: true, ReplID: id, Offset: 120, FileReplID: id, FileOffset: 120, FileHasRepl: true}
	alone := FinalRDBRepl{Node: "n1", At: 5e9, ReplID: id, Offset: 0}
	assert.Empty(t, CheckFinalRDBRepl([]FinalRDBRepl{good, alone}))

	noInfo := good
	noInfo.FileHasRepl, noInfo.FileReplID, noInfo.FileOffset = false, "", 0
	v := CheckFinalRDBRepl([]FinalRDBRepl{noInfo})
	require.Len(t, v, 1, "a master with a backlog saved without its history (mutant persist_rdb.go:26:16)")
	assert.Contains(t, v[0].Detail, "no repl-id or repl-offset")

	stale := good
	stale.FileOffset = 100
	require.Len(t, CheckFinalRDBRepl([]FinalRDBRepl{stale}), 1, "an offset other than the one it exited with")

	extra := alone
	extra.FileHasRepl, extra.FileReplID = true, id
	require.Len(t, CheckFinalRDBRepl([]FinalRDBRepl{extra}), 1, "history saved by a master with no backlog")
}

func TestFinalRDBReplOfAReplica(t *testing.T) {
	id := strings.Repeat("b", 40)
	synced := FinalRDBRepl{Node: "n2", At: 5e9, Replica: true, CachedMaster: true, ReplID: id, Offset: 80, FileReplID: id, FileOffset: 80, FileHasRepl: true}
	fresh := FinalRDBRepl{Node: "n2", At: 5e9, Replica: true, ReplID: id}
	assert.Empty(t, CheckFinalRDBRepl([]FinalRDBRepl{synced, fresh}))
	withInfo := fresh
	withInfo.FileHasRepl, withInfo.FileReplID = true, id
	v := CheckFinalRDBRepl([]FinalRDBRepl{withInfo})
	require.Len(t, v, 1, "history saved by a replica in its handshake with no cached master (mutant persist_rdb.go:34:19)")
	assert.Contains(t, v[0].Detail, "no master's history")
}
