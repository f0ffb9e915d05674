package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aofRewriteLog is a rewrite as the node (and Redis) logs it, from the new
// incr file to the end, at second sec.
func aofRewriteLog(sec int64) []LogLine {
	return []LogLine{
		line(sec, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"),
		line(sec, logAOFRWStarted, 7),
		line(sec+1, logAOFRWSuccess),
		line(sec+1, logRWRenamedBase, "temp-rewriteaof-bg-1.aof", "appendonly.aof.2.base.rdb"),
		line(sec+1, logHistoryRemoved, "appendonly.aof.1.base.rdb"),
		line(sec+1, logHistoryRemoved, "appendonly.aof.1.incr.aof"),
		line(sec+1, logAOFRWFinished),
	}
}

// aofStartLog is an empty dataset's AOF opened at start, a load and
// reopen, and SHUTDOWN, in incarnations 0 and 1.
func aofStartLog() []LogLine {
	g1 := func(l LogLine) LogLine { l.Gen = 1; return l }
	return []LogLine{
		line(1, logAOFBaseAtStart, "appendonly.aof.1.base.rdb"),
		line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof"),
		line(5, logAOFShutdownFsync),
		g1(line(6, logShortRead, "appendonly.aof.1.incr.aof")),
		g1(line(6, logTruncating, "appendonly.aof.1.incr.aof", 42)),
		g1(line(6, logTruncated, "appendonly.aof.1.incr.aof")),
		g1(line(6, logAOFLoaded)),
		g1(line(6, logAOFOpened, "appendonly.aof.1.incr.aof")),
	}
}

func TestAOFLogGrammarAcceptsRedisOrder(t *testing.T) {
	lines := append(aofStartLog()[:2], aofRewriteLog(3)...)
	assert.Empty(t, checkAOFLog(LogInput{Lines: lines}))
	assert.Empty(t, checkAOFLog(LogInput{Lines: aofStartLog()}))
	// A failed rename or an error ends the rewrite; a kill forgets it.
	for _, end := range [][]LogLine{
		{line(9, logAOFRWSuccess), line(9, logRenameFailed, "temp-rewriteaof-bg-1.aof", "appendonly.aof.2.base.rdb", "injected")},
		{line(9, logAOFRWErrorBare)},
		{line(9, logKillAOF)},
		{line(9, logRWKillChild, 7)},
		{line(9, logRWBySignal, 10)},
	} {
		lines := append(aofRewriteLog(3)[:2], end...)
		lines = append(lines, aofRewriteLog(10)...)
		assert.Empty(t, checkAOFLog(LogInput{Lines: lines}), "%v", end)
	}
	// A manifest write that failed after the rename ends the rewrite.
	lines = append(aofRewriteLog(3)[:4], line(4, logAOFRWManifest, "injected"))
	assert.Empty(t, checkAOFLog(LogInput{Lines: lines}))
	// An incr file created at start for a manifest listing only a base.
	lines = []LogLine{line(1, logAOFLoaded), line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof")}
	assert.Empty(t, checkAOFLog(LogInput{Lines: lines}))
	// startAppendOnly's lines after the error of an AOF turned off.
	lines = append(aofRewriteLog(3)[:1], line(3, logReopenWriteErr))
	assert.Empty(t, checkAOFLog(LogInput{Lines: lines}))
	// A rewrite with appendonly no opens no incr file.
	off := SettingsChange{At: 0, Node: "n1"}
	assert.Empty(t, checkAOFLog(LogInput{Lines: aofRewriteLog(3)[1:], Settings: []SettingsChange{off}}))
	// SHUTDOWN before the first rewrite startAppendOnly scheduled: the
	// AOF is on (AOF_WAIT_REWRITE) with no file open (seed 12032).
	on := SettingsChange{At: 2e9, Node: "n1"}
	on.AppendOnly = true
	for _, scheduled := range []LogLine{line(2, logEnabledOtherChild), line(2, logEnabledInExec)} {
		lines := []LogLine{scheduled, line(3, logAOFShutdownFsync)}
		assert.Empty(t, checkAOFLog(LogInput{Lines: lines, Settings: []SettingsChange{off, on}}), scheduled.Msg)
	}
}

// TestAOFLogGrammarCatchesMissingLines removes or misplaces one line of a
// correct log at a time: each is a mutant of the node's log calls the
// grammar must catch.
func TestAOFLogGrammarCatchesMissingLines(t *testing.T) {
	on := SettingsChange{At: 0, Node: "n1"}
	on.AppendOnly = true
	drop := func(lines []LogLine, i int) []LogLine {
		return append(append([]LogLine{}, lines[:i]...), lines[i+1:]...)
	}
	cases := map[string]struct {
		in   LogInput
		want string
	}{
		"no incr file before the rewrite starts": {LogInput{Lines: drop(aofRewriteLog(3), 0), Settings: []SettingsChange{on}},
			`not just after "Creating AOF incr file %s on background rewrite"`},
		"no start line": {LogInput{Lines: drop(aofRewriteLog(3), 1)},
			`"Background AOF rewrite terminated with success" without "Background append only file rewriting started by pid %d"`},
		"no success line": {LogInput{Lines: drop(aofRewriteLog(3), 2)},
			`without "Background AOF rewrite terminated with success" before it`},
		"no rename line": {LogInput{Lines: drop(aofRewriteLog(3), 3)},
			`"Background AOF rewrite finished successfully" without "Successfully renamed the temporary AOF base file %s into %s"`},
		"finished twice": {LogInput{Lines: append(aofRewriteLog(3), line(5, logAOFRWFinished))},
			`the log stands at: no rewrite running`},
		"error without a rewrite": {LogInput{Lines: []LogLine{line(3, logAOFRWErrorBare)}},
			`"Background AOF rewrite terminated with error" without`},
		"rename failure without success": {LogInput{Lines: append(aofRewriteLog(3)[:2],
			line(9, logRenameFailed, "t", "b", "injected"))}, `without "Background AOF rewrite terminated with success"`},
		"no end after the rename": {LogInput{Lines: aofRewriteLog(3)[:6]},
			`then neither "Background AOF rewrite finished successfully" nor a failed manifest write`},
		"no end after the rename, then another rewrite": {LogInput{Lines: append(aofRewriteLog(3)[:4], aofRewriteLog(9)...)},
			`then neither "Background AOF rewrite finished successfully"`},
		"an incr file created at start without a base": {LogInput{Lines: drop(aofStartLog(), 0)},
			`neither just after "Creating AOF base file %s on server start" nor after`},
		"a rewrite's end not logged": {LogInput{Lines: append(aofRewriteLog(3)[:2], aofRewriteLog(9)...)},
			`its end or kill was not logged`},
		"no rename outcome after the success": {LogInput{Lines: aofRewriteLog(3)[:3]},
			`then neither "Successfully renamed the temporary AOF base file %s into %s" nor "Error trying to rename`},
		"no truncation after a short read": {LogInput{Lines: drop(aofStartLog(), 4)},
			`then not "!!! Truncating the AOF %s at offset %d !!!"`},
		"no short read before a truncation": {LogInput{Lines: drop(aofStartLog(), 3)},
			`not just after "!!! Warning: short read while loading the AOF file %s!!!"`},
		"loaded anyway without a truncation": {LogInput{Lines: drop(drop(aofStartLog(), 4), 3)},
			`"AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled" not just after`},
		"no incr file after the base at start": {LogInput{Lines: drop(aofStartLog(), 1)},
			`then not "Creating AOF incr file %s on server start"`},
		"an incr file opened without a load": {LogInput{Lines: drop(aofStartLog(), 6)},
			`without "DB loaded from append only file" before it`},
		"shutdown fsync without an AOF": {LogInput{Lines: drop(drop(aofStartLog(), 1), 0)},
			`but the AOF was never opened in this incarnation`},
		"shutdown fsync with appendonly no": {LogInput{Lines: aofStartLog()[:3], Settings: []SettingsChange{on, {At: 4e9, Node: "n1"}}},
			`"Calling fsync() on the AOF file." with appendonly no`},
		"reopen line out of place": {LogInput{Lines: []LogLine{line(3, logReopenWriteErr)}},
			`not just after the AOF was enabled`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			vs := checkAOFLog(tc.in)
			require.NotEmpty(t, vs)
			found := false
			for _, v := range vs {
				found = found || strings.Contains(v.Detail, tc.want)
			}
			assert.True(t, found, "want %q in %v", tc.want, vs)
		})
	}
	// Through CheckNodeLog too.
	vs := CheckNodeLog(LogInput{Lines: drop(aofRewriteLog(3), 3)})
	require.NotEmpty(t, vs)
}

// A history file is removed once until the manifest is read from disk
// again (DEBUG LOADAOF, a restart): a rewrite that removes the previous
// rewrite's history again kept it in the manifest in memory.
func TestAOFLogHistoryRemovedOnce(t *testing.T) {
	second := func(sec int64) []LogLine {
		rw := aofRewriteLog(sec)
		rw[0] = line(sec, logAOFCreatedOnRW, "appendonly.aof.3.incr.aof")
		rw[3] = line(sec+1, logRWRenamedBase, "temp-rewriteaof-bg-2.aof", "appendonly.aof.3.base.rdb")
		rw[4] = line(sec+1, logHistoryRemoved, "appendonly.aof.2.base.rdb")
		rw[5] = line(sec+1, logHistoryRemoved, "appendonly.aof.2.incr.aof")
		return rw
	}
	ok := append(aofRewriteLog(3), second(10)...)
	assert.Empty(t, checkAOFLog(LogInput{Lines: ok}))

	// The second rewrite removes the first one's history again.
	again := append(aofRewriteLog(3), second(10)[:6]...)
	again = append(again, line(11, logHistoryRemoved, "appendonly.aof.1.incr.aof"), line(11, logAOFRWFinished))
	vs := checkAOFLog(LogInput{Lines: again})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `"Removing the history file appendonly.aof.1.incr.aof in the background", but the file was removed before`)
	// A manifest read through a bit flip may name a file twice (seed
	// 71009), and Redis then removes it twice: from that flip on, in
	// this incarnation or a later one, removals are not judged; a flip
	// in another file's read, or one after, changes nothing.
	flip := func(sec int64, p string) DiskFault {
		return DiskFault{At: sec * 1e9, Node: "n1", Op: "bitflip", Path: p}
	}
	assert.Empty(t, checkAOFLog(LogInput{Lines: again, DiskFaults: []DiskFault{flip(1, "appendonlydir/appendonly.aof.manifest")}}))
	assert.Len(t, checkAOFLog(LogInput{Lines: again, DiskFaults: []DiskFault{flip(1, "appendonlydir/appendonly.aof.1.incr.aof")}}), 1)
	assert.Len(t, checkAOFLog(LogInput{Lines: again, DiskFaults: []DiskFault{flip(12, "appendonlydir/appendonly.aof.manifest")}}), 1)
	// In another incarnation it is the disk's manifest that lists it.
	g1 := line(12, logHistoryRemoved, "appendonly.aof.1.incr.aof")
	g1.Gen = 1
	assert.Empty(t, checkAOFLog(LogInput{Lines: append(aofRewriteLog(3), g1)}))

	// DEBUG LOADAOF reads the manifest from disk, which a failed persist
	// left listing it: it removes it again (after a failed persist, and
	// before the load's lines), once.
	debug := append(aofRewriteLog(3),
		line(20, logHistoryRemoved, "appendonly.aof.1.incr.aof"),
		line(20, "Can't open the AOF manifest file %s: %s", "temp-appendonly.aof.manifest", "Input/output error"),
		line(20, logAOFLoaded), line(20, logLoadedByDebug))
	assert.Empty(t, checkAOFLog(LogInput{Lines: debug}))
	twice := append(debug, second(30)[:6]...)
	twice = append(twice, line(31, logHistoryRemoved, "appendonly.aof.1.incr.aof"), line(31, logAOFRWFinished))
	require.Len(t, checkAOFLog(LogInput{Lines: twice}), 1)
	// A rewrite's removals are not DEBUG LOADAOF's, even at its instant.
	notDebug := append(again, line(11, logLoadedByDebug))
	require.Len(t, checkAOFLog(LogInput{Lines: notDebug}), 1)
	// A DEBUG LOADAOF whose load fails exits after its removals.
	failed := append(aofRewriteLog(3), line(20, logHistoryRemoved, "appendonly.aof.1.incr.aof"),
		line(20, "%s", "Bad file format reading the append only file appendonly.aof.2.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"))
	assert.Empty(t, checkAOFLog(LogInput{Lines: failed}))

	// A start that read its incr file 1 as history (seed 18470: a bit
	// flip turned "type i" into "type h") creates incr file 1 again and
	// removes the history entry; a rewrite then makes the new one history
	// and removes it: a second removal of the same name, in Redis too.
	reborn := []LogLine{
		line(1, logAOFLoaded),
		line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof"),
		line(1, logHistoryRemoved, "appendonly.aof.1.incr.aof"),
	}
	reborn = append(reborn, aofRewriteLog(3)...)
	assert.Empty(t, checkAOFLog(LogInput{Lines: reborn}))
	require.Len(t, checkAOFLog(LogInput{Lines: append(reborn[:1:1], reborn[2:]...)}), 1, "without the creation")
	// A file created in the incarnation is still removed once: the
	// second rewrite removing the start's incr file again is flagged.
	fresh := append(aofStartLog()[:2], aofRewriteLog(3)...)
	fresh = append(fresh, second(10)[:6]...)
	fresh = append(fresh, line(11, logHistoryRemoved, "appendonly.aof.1.incr.aof"), line(11, logAOFRWFinished))
	require.Len(t, checkAOFLog(LogInput{Lines: fresh}), 1, "created at start, removed twice")
}

// A node that read its manifest through a bit flip may run on one that
// names a file twice (sweep seed 57750: a huge_seq damage duplicated the
// last incr line, a flip made one copy history): a rewrite then removes
// that file once per entry, in Redis too. Without such a read, or with
// one after the removal, or on another file, it is flagged.
func TestAOFLogHistoryRemovedTwiceAfterAFlippedManifestRead(t *testing.T) {
	lines := []LogLine{
		line(1, logAOFLoaded),
		line(1, logAOFOpened, "appendonly.aof.1.incr.aof"),
	}
	lines = append(lines, aofRewriteLog(3)...)
	lines = append(lines[:len(lines)-1], line(4, logHistoryRemoved, "appendonly.aof.1.incr.aof"), line(4, logAOFRWFinished))
	require.Len(t, checkAOFLog(LogInput{Lines: lines}), 1, "no flipped read")
	flip := DiskFault{Node: "n1", At: 1e9 - 1, Op: "bitflip", Path: "appendonlydir/appendonly.aof.manifest"}
	assert.Empty(t, checkAOFLog(LogInput{Lines: lines, DiskFaults: []DiskFault{flip}}))
	later := flip
	later.At = 5e9
	require.Len(t, checkAOFLog(LogInput{Lines: lines, DiskFaults: []DiskFault{later}}), 1, "read after")
	other := flip
	other.Path = "appendonlydir/appendonly.aof.1.incr.aof"
	require.Len(t, checkAOFLog(LogInput{Lines: lines, DiskFaults: []DiskFault{other}}), 1, "a flip in another file")
}

// A failed rename of the temp incr file (a rewrite turning the AOF on) is
// followed by the temp incr file's removal, a disk fault at that instant
// or not: the cleanup runs whatever made the rename fail.
func TestAOFLogIncrRenameFailureRemovesTempIncr(t *testing.T) {
	failed := append(aofRewriteLog(3)[:4],
		line(4, logRWRenameIncrErr, "temp-appendonly.aof.incr", "appendonly.aof.2.incr.aof", "injected"),
		line(4, logTempIncrGone, "temp-appendonly.aof.incr"))
	faults := []DiskFault{{At: 4 * sec, Node: "n1", Op: "rename"}}
	assert.Empty(t, checkAOFLog(LogInput{Lines: failed, DiskFaults: faults}))
	cut := failed[:len(failed)-1]
	v := checkAOFLog(LogInput{Lines: cut, DiskFaults: faults})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, `then not "Removing the temp incr aof file %s in the background"`)
	}
}
