package harness

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bugSeeds is how many seeds a planted bug may take to be caught.
const bugSeeds = 300

// bugCase says what a planted bug needs from the run before its property
// can see it. needs lists timeline event kinds (faults, operator actions)
// at least one run must contain; until the fault schedule produces them
// the case is skipped with the reason. blocked is a reason no run can
// expose the bug at all yet.
type bugCase struct {
	bug     string
	needs   []string
	blocked string
}

var bugCases = []bugCase{
	{bug: node.BugStaleRead},
	{bug: node.BugDropPropagation},
	{bug: node.BugCRLFAfterRDB},
	{bug: node.BugNoMultiWrap},
	{bug: node.BugOffsetInsideMulti},
	{bug: node.BugReplicaAcceptsWrites},
	{bug: node.BugPromoteFlushes, needs: []string{"op_promote"}},
	{bug: node.BugNoReplidShift, needs: []string{"op_promote"}},
	// A full resync onto a replica that holds data: after a failover the
	// old master rejoins, a master restarts, or a partition outlasts the
	// backlog.
	{bug: node.BugFullSyncNoFlush, needs: []string{"op_promote", "proc_restart", "net_partition"}},
	// A replica whose clock runs ahead deletes a key with a TTL the master
	// still holds (and may INCR); the datasets then differ.
	{bug: node.BugReplicaExpires, needs: []string{"clock_jump"}},
	// A password-protected master and replicas configured with masterauth.
	{bug: node.BugIgnoreMasterAuth, needs: []string{"auth_requirepass_change"}},
	// A replica behind the first byte of its master's backlog (after a
	// promotion or a restart) is let continue with a gap.
	{bug: node.BugBacklogRangeBySize, needs: []string{"op_promote", "proc_restart"}},
	// The replication client (a third of the seeds) sends a second sync
	// request on an attached link in some sessions.
	{bug: node.BugResyncAttached},
	// Any converged run with a replica shows it in the steady tail.
	{bug: node.BugAckOnlyOnGetack},
	// Any run whose master keeps a replica past its tenth replicationCron
	// run (or a seed that draws a shorter repl-ping-replica-period).
	{bug: node.BugPingPeriodOffByOne},
	{bug: node.BugCachesCorruptMaster},
	// One client works in db 1, so a full resync can start while the stream
	// is on db 1.
	{bug: node.BugNoSelectAfterFullSync},
	// WAIT returns before a lagging replica has the write; that replica is
	// promoted without it.
	{bug: node.BugWaitCountsLagging, needs: []string{"op_promote"}},
	// Under appendfsync always an fsync fails after the reply went out
	// (and drops the unsynced pages): the node exits, and restarts without
	// the acknowledged write.
	{bug: node.BugAlwaysAcksBeforeFsync, needs: []string{"disk_fsync_error"}},
	// A replica that needs a diskless full sync after the heal waits a
	// repl-timeout for it, far over its bounded-liveness budget.
	{bug: node.BugSlowDisklessHandoff},
	// CONFIG SET replica-serve-stale-data no on a replica whose link then
	// goes down while its reader still reads (readers finish early: 3 of
	// the first 300 seeds).
	{bug: node.BugServeStaleIgnored, needs: []string{"op_config"}},
	// CONFIG SET replica-read-only no on a replica its reader writes to.
	{bug: node.BugReadOnlyOnRestart, needs: []string{"op_config"}},
	// CONFIG SET appendfsync always on the master (op_config turns the AOF
	// on first if it is off), then the power loss op_config follows it
	// with when the seed crashes nodes (4 of the first 300 seeds).
	{bug: node.BugFsyncSetIgnored, needs: []string{"op_config"}},
	// The set and hash families: a replication stream the replay models
	// (after a full sync) that holds SPOP or HINCRBYFLOAT as sent; an
	// SREM that empties a set, not propagated, leaves replicas with it,
	// which the next full-resync snapshot shows the stream never removed.
	{bug: node.BugSpopVerbatim},
	{bug: node.BugHincrbyfloatVerbatim},
	{bug: node.BugSremLastNotPropagated},
	// A stale client (clients_auth.go) sends the password a requirepass
	// change replaced; its AUTH must be WRONGPASS, its commands NOAUTH.
	{bug: node.BugStalePassAccepted, needs: []string{"auth_requirepass_change"}},
	// The list family: a blocking pop served later by another client's
	// push goes out as sent, which the stream replay refuses; an RPOP
	// count replicated as LPOP count, or an LMPOP COUNT as a single pop,
	// leaves replicas with other lists than their master's.
	{bug: node.BugBlockingPopVerbatim},
	{bug: node.BugListTrimWrongEnd},
	{bug: node.BugLmpopCountDropped},
	// CLIENT UNBLOCK of a client blocked in BLPOP and friends answers it
	// with the other reason's reply (checker.CheckClientUnblocks).
	{bug: node.BugUnblockReasonSwapped},
	// The sorted set family: a blocking pop served after it blocked, in
	// the stream as sent; ZMPOP MAX or an INCR propagated so that the
	// replicas' sets differ from the master's.
	{bug: node.BugBzpopLaterBlocking},
	{bug: node.BugZmpopMaxAsMin},
	{bug: node.BugZincrAsZadd},
	// op_config sets a replica hard limit under the backlog size on a
	// master whose replica then gets a burst (a partial resync's backlog,
	// big values): the drop is flagged, the replica being fewer bytes
	// behind than the limit Redis enforces.
	{bug: node.BugObufIgnoresBacklog, needs: []string{"op_config"}},
	// Seeds with maxmemory (cluster/build_maxmemory.go) evict; a replica
	// that never got the DEL serves (or syncs) a key its master lost.
	{bug: node.BugEvictionNotPropagated},
	// A volatile-* policy evicts a key the model knows has no TTL.
	{bug: node.BugVolatileEvictsPersistent},
	// A WATCH-guarded compare-and-set (the watch family) commits over a
	// concurrent INCR of its key.
	{bug: node.BugWatchMissesIncr},
	// A compare-and-set answers nil though only other keys changed:
	// nothing explains it (checker/watch_nil.go).
	{bug: node.BugWatchDirtiesAll},
	// A replica of a maxmemory seed whose reader's GET finds it over the
	// limit evicts on its own: DELs its master never wrote.
	{bug: node.BugReplicaEvicts},
	// The bits and keys families: a BITOP of missing sources onto an
	// existing key, a RESTORE REPLACE with a TTL already past, deletes on
	// the master alone; a RESTORE with a relative TTL reaches the stream
	// the replay models as sent.
	{bug: node.BugBitopEmptyNotPropagated},
	{bug: node.BugRestoreTTLRelative},
	{bug: node.BugRestoreExpiredNoDel},
	// The hash family: a valid HINCRBY refused with an argument error
	// only the strict error rule (checker/errors_args.go) rejects.
	{bug: node.BugHincrbyRefusesNegative},
	{bug: node.BugZaddRefusesNegative},
	{bug: node.BugZiplistZsetScoresSwapped},
	{bug: node.BugAofBaseOneSelect},
	{bug: node.BugAofUpgradeNoMove},
	{bug: node.BugReloadDropsExpires},
	{bug: node.BugClientReplySkipIgnored},
	{bug: node.BugMonitorSkipsMulti},
	// A master's graceful SHUTDOWN under shutdown-timeout that does not
	// wait for its replicas (checker/shutdown_wait.go).
	{bug: node.BugShutdownSkipsReplicaWait},
	// SHUTDOWN ABORT answering OK without cancelling the wait
	// (checker.CheckShutdownCalls).
	{bug: node.BugShutdownAbortKeepsWaiting, needs: []string{"op_shutdown"}},
	// The knobs family: an inert directive's CONFIG SET that CONFIG GET
	// does not read back (checker/config_get.go).
	{bug: node.BugConfigNoEffectDropped},
	// A refused CONFIG SET of several directives that keeps the ones
	// before the bad value (checker/config_get.go).
	{bug: node.BugConfigSetPartial},
	// DEBUG SLEEP that blocks only its own client (checker/busy.go).
	{bug: node.BugBusyServesClients},
	// The strings family: a GETEX PERSIST whose PERSIST never reaches
	// the replicas, which keep the TTL.
	{bug: node.BugGetexPersistNotPropagated},
	// The protocol family: a node that reads on after a protocol error
	// answers the PING behind the bad bytes (checker/fixed_replies.go).
	{bug: node.BugProtocolErrorKeepsConn},
	// A broken manifest naming a file with a path: the node then fails
	// on the missing file, not with Redis's report
	// (checker/manifest_damage.go).
	{bug: node.BugManifestPathAccepted, needs: []string{"disk_manifest_damage"}},
	// A manifest read that leaves its handle open (checker/open_files.go).
	{bug: node.BugManifestHandleLeak},
	// EXPIRE NX XX (the expiry family sends conflicting options) left
	// without a reply on a healthy connection (checker/unanswered.go).
	{bug: node.BugExpireConflictUnanswered},
	// Two replicas syncing at once (the first heal, a restart) get a
	// child each.
	{bug: node.BugForkPerReplica},
	// A master whose AOF write failed refuses writes for good: the write
	// probe after the heal sees it (checker/write_probe.go).
	{bug: node.BugAOFWriteErrorSticks, needs: []string{"disk_write_error"}},
	// An everysec AOF left unsynced while the node idles
	// (checker/aof_fsync_idle.go).
	{bug: node.BugEverysecIdleNoFsync},
	// WAIT refused on a replica that goes on to count its replicas: a
	// second reply (checker/client_extra.go).
	{bug: node.BugWaitOnReplicaAnswersTwice},
	// An idle master that keeps its backlog past repl-backlog-ttl
	// (checker/backlog_ttl.go).
	{bug: node.BugBacklogTTLInMinutes},
	// QUIT without its +OK: a graceful close with a request unanswered
	// (checker/client_closed.go).
	{bug: node.BugQuitClosesSilently},
	// A loaded listpack hash past the limit kept a listpack
	// (checker/load_encoding.go).
	{bug: node.BugLoadKeepsListpack},
	// A save over a failed write: its short file is renamed into place
	// and logged saved (checker/saves_whole.go).
	{bug: node.BugSaveIgnoresWriteError, needs: []string{"disk_write_error"}},
}

// TestPlantedBugsHaveCases: every planted bug is in the table above.
func TestPlantedBugsHaveCases(t *testing.T) {
	have := map[string]bool{}
	for _, c := range bugCases {
		have[c.bug] = true
	}
	for _, b := range node.Bugs() {
		assert.True(t, have[b.Name], "planted bug %s has no case in bugCases", b.Name)
		assert.NotEmpty(t, BugProperty(b.Name), "planted bug %s names no property that catches it (bugs.go)", b.Name)
	}
}

// TestPlantedBugsAreCaught: each planted bug is caught by its own property
// within bugSeeds seeds (TestNoBugSeedsPass runs the same seeds clean).
func TestPlantedBugsAreCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("sweeps up to 300 seeds per bug")
	}
	for _, c := range bugCases {
		t.Run(c.bug, func(t *testing.T) {
			t.Parallel()
			if c.blocked != "" {
				t.Skip(c.blocked)
			}
			needed := len(c.needs) == 0
			for start := uint64(1); start <= bugSeeds; start += 25 {
				for _, res := range sweep(seedRange(start, 25), c.options()) {
					needed = needed || hasEvent(res, c.needs)
					for _, v := range res.Violations {
						if v.Check == BugProperty(c.bug) {
							t.Logf("caught by %s at seed %d: %s", v.Check, res.Seed, v.Detail)
							assert.NotEmpty(t, v.Detail)
							return
						}
					}
				}
				if !needed {
					t.Skipf("needs %s in the fault schedule; none of the first %d seeds had it", strings.Join(c.needs, " or "), start+24)
				}
			}
			t.Fatalf("%d seeds with %s and no %s violation", bugSeeds, c.bug, BugProperty(c.bug))
		})
	}
}

// options are the run options of the case's sweep.
func (c bugCase) options() Options {
	return FocusOnBug(Options{Bugs: []string{c.bug}}, c.bug)
}

func hasEvent(res *Result, kinds []string) bool {
	for _, ev := range res.Timeline {
		for _, k := range kinds {
			if ev.Kind == k {
				return true
			}
		}
	}
	return false
}

// TestNoBugSeedsPass: with no planted bug the same seeds all pass.
func TestNoBugSeedsPass(t *testing.T) {
	if testing.Short() {
		t.Skip("sweeps 300 seeds")
	}
	for _, res := range sweep(seedRange(1, bugSeeds), Options{}) {
		require.True(t, res.Passed(), "seed %d without bugs:\n%s", res.Seed, res.Summary())
	}
}
