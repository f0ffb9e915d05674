package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShutdownSaveAnnounced(t *testing.T) {
	other := line(5, "Calling fsync() on the AOF file.")
	other.Node = "n2"
	good := []LogLine{line(5, "User requested shutdown..."), line(5, logFinalSave), other, line(5, logDBSaved), line(5, logReadyToExit)}
	assert.Empty(t, checkShutdownSave(good))
	// A SAVE's own line, then an exit without a save, is no final save.
	assert.Empty(t, checkShutdownSave([]LogLine{line(4, logDBSaved), line(5, "User requested shutdown..."), line(5, logReadyToExit)}))
	// A SAVE while the shutdown waits, then a NOSAVE exit at a later tick.
	assert.Empty(t, checkShutdownSave([]LogLine{line(5, "User requested shutdown..."), line(6, logDBSaved), line(7, logReadyToExit)}))
	cut := []LogLine{good[0], good[2], good[3], good[4]}
	v := checkShutdownSave(cut)
	if assert.Len(t, v, 1) {
		assert.Contains(t, fmt.Sprint(v), `"DB saved on disk" then "Redis is now ready to exit, bye bye...", after "User requested shutdown...": finishShutdown logs "Saving the final RDB snapshot before exiting." before its save`)
	}
}

func TestSaveOutcomesLogged(t *testing.T) {
	saved := []LogLine{line(5, logFinalSave), line(5, logDBSaved), line(5, logReadyToExit)}
	failed := []LogLine{line(5, logFinalSave), line(5, logSaveWriteError+"injected"), line(5, "Error trying to save the DB, can't exit.")}
	bg := []LogLine{line(6, logSaveStarted, 7), line(7, logSaveWriteError+"injected"), line(7, logBgsaveError)}
	assert.Empty(t, checkSaveOutcomes(append(append(saved, failed...), bg...)))
	v := checkSaveOutcomes([]LogLine{bg[0], bg[2]})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, `"Background saving error" with no failure line of rdbSave`)
	}
}

func TestShutdownLagLines(t *testing.T) {
	// The master's offset is 100 in every line.
	checkShutdownLagLines := func(lines []LogLine) []Violation {
		for i := range lines {
			lines[i].ReplOffset = 100
		}
		return checkShutdownLagLines(lines)
	}
	good := []LogLine{
		line(5, logLaggingReplica, "n2:6380", 10, 3, "online"),
		line(5, logLaggingReplica, "n3:6381", 10, 0, "wait_bgsave"),
		line(5, logInSyncAtShutdown, 0, 2),
	}
	assert.Empty(t, checkShutdownLagLines(good))
	bad := []LogLine{line(5, logLaggingReplica, "n3:6381", 10, 7, "wait_bgsave"), line(6, logInSyncAtShutdown, 0, 0)}
	v := checkShutdownLagLines(bad)
	if assert.Len(t, v, 2) {
		assert.Contains(t, v[0].Detail, "a replica in state wait_bgsave has lag 0 in Redis")
		assert.Contains(t, v[1].Detail, "Redis logs the count only when it has replicas")
	}
	caughtUp := []LogLine{line(5, logLaggingReplica, "n2:6380", 0, 1, "online"), line(5, logInSyncAtShutdown, 0, 1)}
	v = checkShutdownLagLines(caughtUp)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "reports only a replica whose acknowledged offset differs")
	}
	miscounted := []LogLine{line(5, logLaggingReplica, "n2:6380", 10, 1, "online"), line(5, logInSyncAtShutdown, 2, 2),
		line(7, logInSyncAtShutdown, 2, 2)}
	v = checkShutdownLagLines(miscounted)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "1 lagging replica lines came before it in that instant, so 1 of 2 are in sync")
	}
	// The lagging lines end with the count (mutant shutdown_wait.go:138:36
	// logs it only with more than one replica).
	uncounted := []LogLine{line(5, logLaggingReplica, "n2:6380", 10, 1, "online"), line(5, logFinalSave)}
	v = checkShutdownLagLines(uncounted)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "finishShutdown follows them with")
	}
	// The offset plus the acknowledged one (mutant shutdown_wait.go:136:33).
	sum := []LogLine{line(5, logLaggingReplica, "n2:6380", 190, 1, "online"), line(5, logInSyncAtShutdown, 0, 1)}
	v = checkShutdownLagLines(sum)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "190 bytes behind a master_repl_offset of 100")
	}
}

// A SHUTDOWN NOSAVE logs no final save until the next SHUTDOWN call of
// the incarnation; another SHUTDOWN may save.
func TestShutdownNoSave(t *testing.T) {
	calls := []ShutdownCall{{Node: "n1", At: 5e9, Args: []string{"SHUTDOWN", "nosave"}}, {Node: "n1", At: 7e9, Args: []string{"SHUTDOWN", "SAVE"}}}
	assert.Empty(t, CheckShutdownNoSave(calls, []LogLine{line(5, "User requested shutdown..."), line(7, logFinalSave)}))
	v := CheckShutdownNoSave(calls, []LogLine{line(5, "User requested shutdown..."), line(6, logFinalSave)})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "a SHUTDOWN NOSAVE does not save")
	}
	// A NOSAVE that joins a SHUTDOWN SAVE waiting for replicas (gate seed
	// 2002374): the first one's flags decide.
	joined := []ShutdownCall{{Node: "n1", At: 1e9, Args: []string{"SHUTDOWN", "SAVE"}}, {Node: "n1", At: 5e9, Args: []string{"SHUTDOWN", "NOSAVE"}}}
	assert.Empty(t, CheckShutdownNoSave(joined, []LogLine{line(6, logFinalSave)}))
}
