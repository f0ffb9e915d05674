package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

// REPLICAOF NO ONE with a cached master logs its discarding first; a
// partial resync or an earlier discard leaves nothing cached.
func TestCachedMasterDiscarded(t *testing.T) {
	caching := line(5, logCachingMaster)
	promote := line(9, logMasterMode, "id=3")
	assert.Empty(t, cachedMasterDiscarded([]LogLine{caching, line(9, logDiscardCached), promote}))
	assert.Empty(t, cachedMasterDiscarded([]LogLine{caching, line(6, logPartialSuccess), promote}))
	assert.Empty(t, cachedMasterDiscarded([]LogLine{promote}))
	v := cachedMasterDiscarded([]LogLine{caching, promote})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "replicationUnsetMaster discards a cached master")
	synth := line(3, logSynthCached+": I may be able to synchronize with the new master with just a partial transfer.")
	require.Len(t, cachedMasterDiscarded([]LogLine{synth, promote}), 1)
}

// REPLICAOF on a master logs the synthesized cached master first
// (mutant repl_replica.go:59:3 drops the line).
func TestMasterTurnedReplicaSynthesizes(t *testing.T) {
	l := func(at int64, format, msg string) LogLine {
		return LogLine{Node: "n1", At: at, Format: format, Msg: msg}
	}
	synth := l(5, logSynthCached+": I may be able to synchronize with the new master with just a partial transfer.", logSynthCached+": I may be able to synchronize with the new master with just a partial transfer.")
	on := l(5, logReplicaOfOn, "REPLICAOF n2:6379 enabled (user request from '')")
	master := []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{}}}
	replica := []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{Replica: true}}}

	assert.Empty(t, masterTurnedReplicaSynthesizes([]LogLine{synth, on}, master))
	v := masterTurnedReplicaSynthesizes([]LogLine{on}, master)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "on a master")
	assert.Empty(t, masterTurnedReplicaSynthesizes([]LogLine{on}, replica), "a replica repointed")
	promoted := l(5, logMasterMode, "MASTER MODE enabled (user request from '')")
	assert.Len(t, masterTurnedReplicaSynthesizes([]LogLine{promoted, on}, replica), 1, "promoted in the same instant")
	early := synth
	early.At = 4
	assert.Len(t, masterTurnedReplicaSynthesizes([]LogLine{early, on}, master), 1, "the line comes in the same instant")
}
