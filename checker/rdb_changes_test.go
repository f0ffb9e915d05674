package checker

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// infoReading is client 9's INFO persistence on n1, answered with
// rdb_changes_since_last_save:changes (as the recorder shows a reply).
func infoReading(changes int64, call, ret int64) Op {
	return Op{Client: 9, Node: "n1", Kind: OpRead, Mode: "ADMIN", Args: []string{"INFO", "persistence"}, Call: call * 1e9, Return: ret * 1e9,
		Reply: `"# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_changes_since_last_save:` + strconv.FormatInt(changes, 10) + `\r\nrdb_bgsave_in_progress:0\r\n"`}
}

var n1Master = []RoleChange{{At: 0, Node: "n1", Role: "master"}}

// bgsaveLines is a BGSAVE of n1 from start to end (seconds) that succeeds.
func bgsaveLines(start, end int64) []LogLine {
	return []LogLine{line(start, logSaveStarted, 11), line(end, logDBSaved), line(end, logSaveDone)}
}

// A BGSAVE that ends with success takes off the changes its fork saw
// (backgroundSaveDoneHandlerDisk): with no write since the fork, a save
// point cannot fire and INFO says 0 changes.
func TestRDBChangesAfterBgsave(t *testing.T) {
	lines := append([]LogLine{line(0, "Server initialized")}, bgsaveLines(2, 3)...)
	lines = append(lines, line(9, logSavePoint, 1, 5))
	writes := []Op{set(1, "k1", "a", 1e9, 1.5e9)}
	v := CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: writes, Roles: n1Master})
	require.Len(t, v, 1, "the write came before the fork: the save covered it")
	assert.Equal(t, PropRDBChanges, v[0].Check)
	assert.Contains(t, v[0].Detail, `"1 changes in 5 seconds. Saving..." fired, which needs server.dirty >= 1`)

	during := []Op{set(1, "k1", "a", 2.5e9, 2.6e9)}
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: during, Roles: n1Master}),
		"a write while the child ran is still a change after its end (the child's \"DB saved on disk\" zeroes nothing)")
	after := []Op{set(1, "k1", "a", 5e9, 5.1e9)}
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: after, Roles: n1Master}))
	probe := []NodeCall{{Node: "n1", Call: 5e9, Return: -1}}
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: writes, ProbeWrites: probe, Roles: n1Master}),
		"a probe's SET with no reply may have run")
	replica := append(n1Master, RoleChange{At: 4e9, Node: "n1", Role: "slave"}, RoleChange{At: 6e9, Node: "n1", Role: "master"})
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: writes, Roles: replica}), "a replica applies its master's writes")

	// INFO in the quiet stretch, and at the end.
	ok := []Op{writes[0], infoReading(0, 5, 6)}
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines[:4], Ops: ok, Roles: n1Master,
		Ends: []InfoCountersNode{{Node: "n1", Info: "rdb_changes_since_last_save:0\r\n"}}}))
	v = CheckRDBChanges(RDBChangesInput{Lines: lines[:4], Ops: []Op{writes[0], infoReading(1, 5, 6)}, Roles: n1Master,
		Ends: []InfoCountersNode{{Node: "n1", Info: "rdb_changes_since_last_save:1\r\n"}}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "client 9's INFO (5.000000s..6.000000s) says rdb_changes_since_last_save:1")
	assert.Contains(t, v[0].Detail, "(and 1 more like it)", "the INFO at the end")
	v = CheckRDBChanges(RDBChangesInput{Lines: lines[:4], Ops: writes, Roles: n1Master,
		Ends: []InfoCountersNode{{Node: "n1", Info: "rdb_changes_since_last_save:1\r\n"}}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "INFO at the end of the run (incarnation 0) says rdb_changes_since_last_save:1")
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines[:4], Ops: []Op{writes[0], infoReading(1, 2, 4)}, Roles: n1Master}),
		"a reply that may have come before the save's end")
}

// rdbSave zeroes the count (SAVE, FLUSHALL, DEBUG RELOAD); before any
// save the process may count what its AOF replayed, and a write whose
// reply never came may run any time in the process it was sent to.
func TestRDBChangesAfterSave(t *testing.T) {
	lines := []LogLine{line(0, "Server initialized"), line(2, logDBSaved), line(9, logSavePoint, 1, 5)}
	require.Len(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Roles: n1Master}), 1)
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: []LogLine{lines[0], lines[2]}, Roles: n1Master}), "no save yet")

	lost := set(1, "k1", "a", 1e9, 1.5e9)
	lost.Unknown = true
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: []Op{lost}, Roles: n1Master}))
	restarted := []LogLine{line(0, "Server initialized"), line(1, "Server initialized"), line(2, logDBSaved), line(9, logSavePoint, 1, 5)}
	for i := 1; i < len(restarted); i++ {
		restarted[i].Gen, restarted[i].Proc = 1, 1
	}
	lost.Call, lost.Return = 0.5e9, 0.6e9
	require.Len(t, CheckRDBChanges(RDBChangesInput{Lines: restarted, Ops: []Op{lost}, Roles: n1Master}), 1,
		"a write lost by the process before cannot run in this one")
}

// A process that saves while its BGSAVE runs (DEBUG RELOAD) ends that
// BGSAVE at 0 - dirty_before_bgsave, below zero; the next BGSAVE then
// takes off a negative count, and what it leaves is not bounded: here
// dirty is 1 at the first fork, -1 after its end, and the second BGSAVE,
// with a DEBUG RELOAD of its own, ends at 0 - (-1) = 1 with no write
// (redis-server 7.0.15, rdb-key-save-delay slowing the child: SET a 1,
// BGSAVE, DEBUG RELOAD, then INFO says -1; BGSAVE, DEBUG RELOAD, then 1).
func TestRDBChangesAfterNegativeCount(t *testing.T) {
	reloadDuring := func(start int64) []LogLine {
		return []LogLine{line(start, logSaveStarted, 11), line(start+1, logDBSaved), line(start+1, "DB reloaded by DEBUG RELOAD"),
			line(start+2, logDBSaved), line(start+2, logSaveDone)}
	}
	lines := []LogLine{line(0, "Server initialized"), line(1, logDBSaved)}
	lines = append(append(lines, reloadDuring(3)...), reloadDuring(7)...)
	writes := []Op{set(1, "k1", "a", 2e9, 2.1e9)}
	assert.Empty(t, CheckRDBChanges(RDBChangesInput{Lines: lines, Ops: append(writes, infoReading(1, 10, 11)), Roles: n1Master}))
	require.Len(t, CheckRDBChanges(RDBChangesInput{Lines: lines[:7], Ops: append(writes, infoReading(1, 6, 6)), Roles: n1Master}), 1,
		"the first BGSAVE's end leaves at most the changes since its fork")
}

// The count is at least the changes clients' replies show since it was
// last zeroed (or since a successful BGSAVE's fork), on a node that stayed
// a master: a write that left server.dirty alone (mutant
// cmd_expire.go:197:2, PERSIST's) reads below it.
func TestRDBChangesLowerBound(t *testing.T) {
	lines := []LogLine{line(0, "Server initialized"), line(1, logDBSaved)}
	persist := Op{Client: 2, Node: "n1", Kind: OpPersist, Key: "k1", Int: 1, Call: 3e9, Return: 3.1e9}
	writes := []Op{set(1, "k0", "a", 0.5e9, 0.6e9), set(1, "k1", "a", 2e9, 2.1e9), persist}
	in := RDBChangesInput{Lines: lines, Ops: append(writes, infoReading(1, 4, 5)), Roles: n1Master}
	v := CheckRDBChanges(in)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "rdb_changes_since_last_save:1, but 2 changes were made on it since 1.000000s")

	in.Ops = append(writes, infoReading(2, 4, 5))
	assert.Empty(t, CheckRDBChanges(in), "the SET and the PERSIST after the save")
	unchanged := persist
	unchanged.Int = 0
	in.Ops = []Op{set(1, "k1", "a", 2e9, 2.1e9), unchanged, infoReading(1, 4, 5)}
	assert.Empty(t, CheckRDBChanges(in), "a PERSIST that removed no TTL adds nothing")
	in.Ops = append(writes, infoReading(1, 4, 5))
	in.Roles = append(n1Master, RoleChange{At: 2.5e9, Node: "n1", Role: "slave"})
	assert.Empty(t, CheckRDBChanges(in), "not a master all along")

	// A BGSAVE's end keeps only the changes after its fork.
	in.Roles = n1Master
	in.Lines = append([]LogLine{line(0, "Server initialized")}, bgsaveLines(1, 3)...)
	in.Ops = append(writes, infoReading(2, 4, 5))
	assert.Empty(t, CheckRDBChanges(in))
	in.Ops = append(writes, infoReading(1, 4, 5))
	assert.Len(t, CheckRDBChanges(in), 1)
}
