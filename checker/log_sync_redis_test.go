package checker

import (
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncFormats are the formats a real server's line is read back with: the
// grammar's, and the other lines of CheckNodeLog.
var syncFormats = func() []*regexp.Regexp {
	fs := []string{
		logConnecting, logReconnecting, logReconnectFailed, logConnectFired, logPingReplied, logTryPartial, logNoCached,
		logFullFromMaster, logBadFullResync, logNoPsyncSupport, logUnexpectedPsync, logRetrySync, logReceivingEOF,
		logReceivingBytes, logDiscardCached, logFlushingOld, logLoadingDB, logPartialSuccess, logReplidChanged,
		logNotAcceptedID, logNotAcceptedOff, logOffsetAhead, logBacklogCreated, logDelayDiskless, logSyncToSockets,
		logSyncToDisk, logWaitBgsaveEnd, logCantAttach, logSocketBgsave, logOtherChild, logForkFailed,
		logReplInfoMissing, logReplBgsaveFailed, logReadFailed, logNoPsyncReply, logNoHandshakeRepl, logIOErrorSync,
		logPsyncLater, logMasterMode, logReplicaOfOn,
		logAsksSync, logAsksWrong, logReplicaLost, logPartialOK, logFullRequested, logStreamedRDB, logSyncSucceeded,
		logNoBacklog, logSyncStarted, logSaveStarted, logSaveDone, logSendStarted, logSendDone, logSendPipeDone,
		logMasterLost, logFullSyncDone, logPartialDone, LogDialError, logCachingMaster, logRDBLoaded,
	}
	verb := regexp.MustCompile(`%(s|d|v)`)
	var out []*regexp.Regexp
	for _, f := range fs {
		q := regexp.QuoteMeta(f)
		q = verb.ReplaceAllStringFunc(q, func(v string) string {
			if v == "%d" {
				return `(-?\d+)`
			}
			return `(.*?)`
		})
		re := regexp.MustCompile("^" + q + "$")
		out = append(out, regexp.MustCompile("(?s)"+re.String()))
		syncFormatOf[out[len(out)-1]] = f
	}
	return out
}()

var syncFormatOf = map[*regexp.Regexp]string{}

// parseSyncRedisLog reads a real server's log as node's lines: its own (role
// M or S, not a child's C), with the format the grammar knows it by ("" for
// others).
func parseSyncRedisLog(t *testing.T, node, log string) []LogLine {
	var out []LogLine
	for _, raw := range strings.Split(log, "\n") {
		m := redisLogLine.FindStringSubmatch(raw)
		if m == nil || m[2] == "C" || m[2] == "X" {
			continue
		}
		at, err := time.Parse("02 Jan 2006 15:04:05.000", m[3])
		require.NoError(t, err)
		l := LogLine{Node: node, At: at.UnixNano(), ClockMs: at.UnixMilli(), Msg: m[5]}
		for _, re := range syncFormats {
			if g := re.FindStringSubmatch(m[5]); g != nil {
				l.Format, l.Args = syncFormatOf[re], g[1:]
				break
			}
		}
		out = append(out, l)
	}
	return out
}

// TestSyncLogGrammarOfRealRedis runs a real redis-server 7.0 master and
// replica through an attempt the master kills while it delays its
// diskless sync, a full sync to disk, a partial resync after the replica
// kills its master link, a partial resync after the master kills the
// replica's, and a diskless full sync after REPLICAOF NO ONE and back, and
// judges their logs with the sync grammar: the grammar must hold for
// Redis itself. Without redis-server the test fails.
// realGoSlack is how long a real redis-server may take over lines it
// writes in one go (the fork between "Starting BGSAVE for SYNC" and
// "Background saving started" took a millisecond on this machine): far
// less than the replication cron's second, which a reconnect left to the
// cron would take.
const realGoSlack = int64(100 * time.Millisecond)

func TestSyncLogGrammarOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two redis-servers")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server 7.0.15 is needed to check the sync log grammar: %v", err)
	}
	common := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"}
	m := redistest.Start(t, bin, append(common, "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "5")...)
	r := redistest.Start(t, bin, common...)
	mc, rc := m.Dial(t), r.Dial(t)
	mc.Do(t, "SET", "k", "v")
	replicaOf := func() {
		rc.Do(t, "REPLICAOF", "127.0.0.1", strconv.Itoa(m.Port))
	}
	logged := func(s *redistest.Server, msg string) {
		redistest.Eventually(t, 20*time.Second, func() string {
			if !strings.Contains(s.Log(), msg) {
				return redistest.Describe("no %q in:\n%s", msg, s.Log())
			}
			return ""
		})
	}
	// An attempt the master ends while the replica waits for PSYNC's
	// reply (the master delays its diskless BGSAVE).
	replicaOf()
	logged(m, logDelayDiskless)
	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	logged(r, logNoPsyncReply)
	mc.Do(t, "CONFIG", "SET", "repl-diskless-sync", "no")
	mc.Do(t, "CONFIG", "SET", "repl-diskless-sync-delay", "0")
	synced := func(n int) {
		redistest.Eventually(t, 20*time.Second, func() string {
			if got := strings.Count(r.Log(), logFullSyncDone) + strings.Count(r.Log(), logPartialDone); got < n {
				return redistest.Describe("%d syncs done, want %d; replica log:\n%s", got, n, r.Log())
			}
			if s := rc.InfoField(t, "replication", "master_link_status"); s != "up" {
				return "master link " + s
			}
			return ""
		})
	}
	synced(1) // full, to disk, the cron's next attempt
	mc.Do(t, "SET", "k", "v2")
	rc.Do(t, "CLIENT", "KILL", "TYPE", "master")
	synced(2) // partial
	mc.Do(t, "SET", "k", "v3")
	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	synced(3) // partial
	mc.Do(t, "CONFIG", "SET", "repl-diskless-sync", "yes")
	mc.Do(t, "CONFIG", "SET", "repl-diskless-sync-delay", "0")
	rc.Do(t, "REPLICAOF", "NO", "ONE")
	rc.Do(t, "SET", "local", "1") // a history of its own: the master cannot continue it
	replicaOf()
	synced(4) // full, to the replica's socket
	// The master logs the online replica after the transfer (a
	// diskless one at once): wait for its fourth sync line.
	redistest.Eventually(t, 10*time.Second, func() string {
		if got := strings.Count(m.Log(), "Synchronization with replica") + strings.Count(m.Log(), "Partial resynchronization request from"); got < 4 {
			return redistest.Describe("master logged %d syncs; log:\n%s", got, m.Log())
		}
		return ""
	})

	ml, rl := parseSyncRedisLog(t, "m", m.Log()), parseSyncRedisLog(t, "r", r.Log())
	// Two processes: the master logs an accepted PSYNC after it wrote
	// +CONTINUE, and the replica may log its side a millisecond before
	// (CI's run of this test). In a simulation the master's event is one
	// instant, before the network delivers; here its lines are read as
	// written up to causalSlack earlier, which only orders it first.
	const causalSlack = 20 * time.Millisecond
	for i := range ml {
		ml[i].At -= int64(causalSlack)
		ml[i].ClockMs -= causalSlack.Milliseconds()
	}
	lines := append(append([]LogLine{}, ml...), rl...)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].At < lines[j].At }) // the master's first on a tie: it causes
	addrs := map[string]string{"127.0.0.1:" + strconv.Itoa(m.Port): "m", "127.0.0.1:" + strconv.Itoa(r.Port): "r"}
	assert.Empty(t, checkSyncLines(lines, addrs, realGoSlack), "master log:\n%s\nreplica log:\n%s", m.Log(), r.Log())
	// The lines the grammar judges are there: it read the real logs.
	formats := map[string]int{}
	for _, l := range lines {
		formats[l.Format]++
	}
	for _, f := range []string{logReadFailed, logNoPsyncReply, logReplicaOfOn, logMasterMode, logFullSyncDone, logPartialDone, logPartialOK, logNotAcceptedID, logSyncToDisk,
		logSyncToSockets, logStreamedRDB, logConnectFired, logFlushingOld, logReceivingEOF, logReceivingBytes} {
		assert.NotZero(t, formats[f], "no line %q in the real logs", f)
	}
	// The corrupted logs of the real run are caught: the last line of a
	// format a success needs, removed.
	for _, f := range []string{logPingReplied, logFlushingOld, logSaveStarted, logPartialOK, logSyncSucceeded} {
		last := -1
		for i, l := range lines {
			if l.Format == f {
				last = i
			}
		}
		require.GreaterOrEqual(t, last, 0, f)
		cut := append(append([]LogLine{}, lines[:last]...), lines[last+1:]...)
		assert.NotEmpty(t, checkSyncLines(cut, addrs, realGoSlack), "the last %q removed", f)
	}
	// The failed attempt's lines removed: the next attempt began while it
	// was open.
	var silent []LogLine
	for _, l := range lines {
		if l.Format != logReadFailed && l.Format != logNoPsyncReply {
			silent = append(silent, l)
		}
	}
	assert.Contains(t, fmt.Sprint(checkSyncLines(silent, addrs, realGoSlack)), "was open: neither its success nor its failure logged")
}
