package node

import "sort"

// Planted bugs: known faults that can be switched on by name (Config.Bugs)
// so tests can prove that the checkers catch them. Each is a slip that real
// replication code has made (see REDIS-NOTES, "Known replication hazards").
const (
	BugReplicaAcceptsWrites  = "replica-accepts-writes"
	BugFullSyncNoFlush       = "fullsync-no-flush"
	BugBacklogRangeBySize    = "backlog-range-by-size"
	BugOffsetInsideMulti     = "offset-inside-multi"
	BugNoSelectAfterFullSync = "no-select-after-fullsync"
	BugNoReplidShift         = "no-replid-shift"
	BugPromoteFlushes        = "promote-flushes"
	BugReplicaExpires        = "replica-expires"
	BugIgnoreMasterAuth      = "ignore-masterauth"
	BugCRLFAfterRDB          = "crlf-after-rdb"
	BugNoMultiWrap           = "no-multi-wrap"
	BugStaleRead             = "stale-read"
	BugDropPropagation       = "drop-propagation"
	BugWaitCountsLagging     = "wait-counts-lagging"
	BugAlwaysAcksBeforeFsync = "always-acks-before-fsync"
	BugSlowDisklessHandoff   = "slow-diskless-handoff"
	BugServeStaleIgnored     = "serve-stale-ignored"
	BugReadOnlyOnRestart     = "readonly-ignored-on-config"
	BugFsyncSetIgnored       = "appendfsync-set-ignored"
	BugSpopVerbatim          = "spop-propagates-spop"
	BugHincrbyfloatVerbatim  = "hincrbyfloat-propagated-verbatim"
	BugSremLastNotPropagated = "srem-not-propagated-when-last"
	BugStalePassAccepted     = "stale-password-accepted"
	BugBlockingPopVerbatim   = "blocking-pop-propagated-blocking"
	BugListTrimWrongEnd      = "list-trim-wrong-end"
	BugLmpopCountDropped     = "lmpop-count-dropped"
	BugUnblockReasonSwapped  = "unblock-reason-swapped"
	BugBzpopLaterBlocking    = "bzpop-later-propagated-blocking"
	BugZmpopMaxAsMin         = "zmpop-max-propagated-as-zpopmin"
	BugZincrAsZadd           = "zincr-propagated-as-zadd"
	BugObufIgnoresBacklog    = "obuf-limit-ignores-backlog"
	BugResyncAttached        = "psync-on-attached-link"
	BugAckOnlyOnGetack       = "replica-acks-only-on-getack"
	BugCachesCorruptMaster   = "replica-caches-corrupt-master"
	BugPingPeriodOffByOne    = "ping-period-off-by-one"
	// evict.go, db_watch.go
	BugEvictionNotPropagated    = "eviction-not-propagated"
	BugVolatileEvictsPersistent = "volatile-evicts-persistent-key"
	BugWatchMissesIncr          = "watch-misses-incr"
	BugWatchDirtiesAll          = "watch-dirties-every-watcher"
	BugReplicaEvicts            = "replica-evicts"
	BugBitopEmptyNotPropagated  = "bitop-empty-dest-not-propagated"
	BugRestoreTTLRelative       = "restore-ttl-propagated-relative"
	BugRestoreExpiredNoDel      = "restore-expired-del-not-propagated"
	BugHincrbyRefusesNegative   = "hincrby-refuses-negative"
	BugZaddRefusesNegative      = "zadd-refuses-negative-score"
	BugZiplistZsetScoresSwapped = "ziplist-zset-scores-swapped"
	BugAofBaseOneSelect         = "aof-base-commands-one-select"
	BugAofUpgradeNoMove         = "aof-upgrade-no-move"
	BugReloadDropsExpires       = "reload-drops-expires"
	BugClientReplySkipIgnored   = "client-reply-skip-ignored"
	BugMonitorSkipsMulti        = "monitor-skips-multi"
	// shutdown_wait.go
	BugShutdownSkipsReplicaWait  = "shutdown-skips-replica-wait"
	BugShutdownAbortKeepsWaiting = "shutdown-abort-keeps-waiting"
	// cmd_config.go
	BugConfigNoEffectDropped = "config-set-inert-dropped"
	BugConfigSetPartial      = "config-set-partial"
	// node.go
	BugBusyServesClients = "busy-serves-clients"
	// cmd_string.go
	BugGetexPersistNotPropagated = "getex-persist-not-propagated"
	// input.go
	BugProtocolErrorKeepsConn = "protocol-error-keeps-connection"
	// aof_manifest.go
	BugManifestPathAccepted = "manifest-path-accepted"
	// aof_open.go
	BugManifestHandleLeak = "manifest-handle-leak"
	// cmd_expire.go
	BugExpireConflictUnanswered = "expire-conflict-unanswered"
	// repl_master.go
	BugForkPerReplica = "fork-per-replica"
	// aof.go
	BugAOFWriteErrorSticks = "aof-write-error-sticks"
	BugEverysecIdleNoFsync = "everysec-idle-no-fsync"
	// cmd_wait.go
	BugWaitOnReplicaAnswersTwice = "wait-on-replica-answers-twice"
	// backlog_ttl.go
	BugBacklogTTLInMinutes = "backlog-ttl-in-minutes"
	// cmd_conn.go
	BugQuitClosesSilently = "quit-closes-silently"
	// persist_types.go
	BugLoadKeepsListpack = "load-keeps-listpack-hash"
	// persist_rdb.go, bug_lax_writes.go
	BugSaveIgnoresWriteError = "save-ignores-write-error"
)

// BugInfo describes one planted bug: its name and what it does.
type BugInfo struct {
	Name        string
	Description string
}

var bugList = []BugInfo{
	{BugReplicaAcceptsWrites, "a read-only replica applies client writes instead of answering READONLY"},
	{BugFullSyncNoFlush, "a replica loads a full-resync RDB on top of its old data without flushing it"},
	{BugCachesCorruptMaster, "a replica that drops its master for a protocol error (inline text on the stream) caches it and resumes the stream it called corrupt with PSYNC, where Redis discards it and asks PSYNC ? -1"},
	{BugAckOnlyOnGetack, "a replica sends REPLCONF ACK only when its master asks (GETACK), not once a second: the master's lag for it grows, min-replicas-to-write stops counting it and repl-timeout drops an idle one"},
	{BugPingPeriodOffByOne, "the master pings its replicas every repl-ping-replica-period + 1 runs of replicationCron, not every repl-ping-replica-period"},
	{BugResyncAttached, "a PSYNC or SYNC on a replica's link that already streams starts another sync instead of being ignored: its +FULLRESYNC and snapshot land in the middle of the stream"},
	{BugBacklogRangeBySize, "PSYNC checks the requested offset against the backlog size, not the history it holds, so a replica behind the backlog continues with a gap (redis#1271)"},
	{BugOffsetInsideMulti, "a replica advances its applied offset inside MULTI, so a cut link resumes mid-transaction"},
	{BugNoSelectAfterFullSync, "the master does not force SELECT after a full resync, so writes land in the wrong db"},
	{BugNoReplidShift, "SLAVEOF NO ONE keeps the old replication ID, so diverged histories look identical"},
	{BugPromoteFlushes, "SLAVEOF NO ONE flushes the dataset instead of keeping it"},
	{BugReplicaExpires, "a replica expires keys on its own clock instead of waiting for the master's DEL"},
	{BugIgnoreMasterAuth, "the replica never sends AUTH masterauth, so a password-protected master refuses it"},
	{BugCRLFAfterRDB, "the master sends CRLF after a disk-framed RDB payload, shifting the stream by two bytes"},
	{BugNoMultiWrap, "EXEC propagates its writes without MULTI/EXEC, so replicas can expose half a transaction"},
	{BugStaleRead, "the master answers GET from a stale copy of a key"},
	{BugWaitCountsLagging, "WAIT counts every online replica, whether or not it acknowledged the offset"},
	{BugDropPropagation, "the master fails to propagate about one write in 40 to its replicas (those whose bytes hash to 0 mod 40)"},
	{BugAlwaysAcksBeforeFsync, "under appendfsync always the reply goes out before the AOF fsync, which waits for the next cron tick; a failed fsync then loses an acknowledged write"},
	{BugSlowDisklessHandoff, "a master waits repl-timeout instead of repl-diskless-sync-delay before every diskless transfer, so replicas converge, but a minute late"},
	{BugServeStaleIgnored, "a replica with replica-serve-stale-data no serves its stale data while its master link is down instead of answering MASTERDOWN"},
	{BugReadOnlyOnRestart, "CONFIG SET replica-read-only takes effect only at the next restart: the replica keeps refusing (or accepting) writes as it started"},
	{BugSpopVerbatim, "SPOP (without a count) propagates as SPOP instead of SREM of the member it popped, so each replica pops a member of its own choosing"},
	{BugHincrbyfloatVerbatim, "HINCRBYFLOAT propagates as sent instead of as HSET of its result, so a replica whose float arithmetic differs stores another value"},
	{BugSremLastNotPropagated, "an SREM that removes a set's last member (deleting the key) is not propagated, so replicas keep the key"},
	{BugStalePassAccepted, "after CONFIG SET requirepass, AUTH still accepts the password it replaced, so a client holding the old password keeps getting in"},
	{BugEvictionNotPropagated, "a key evicted under maxmemory is deleted on the master only: its DEL is not propagated to replicas or the AOF"},
	{BugVolatileEvictsPersistent, "a volatile-* maxmemory-policy samples every key, so it evicts keys without a TTL"},
	{BugWatchDirtiesAll, "a write that changes a key dirties every client watching any key of its db, so a WATCH-guarded EXEC answers nil though none of its keys changed"},
	{BugReplicaEvicts, "a replica over maxmemory evicts keys itself instead of ignoring maxmemory (replica-ignore-maxmemory yes) and waiting for its master's DELs"},
	{BugWatchMissesIncr, "INCR, DECR, INCRBY and DECRBY do not dirty the clients watching the key they change, so a WATCH-guarded EXEC runs on a value that changed under it"},
	{BugFsyncSetIgnored, "CONFIG SET appendfsync is not applied to the AOF: it keeps fsyncing with the policy it started with (e.g. everysec after CONFIG SET appendfsync always)"},
	{BugBlockingPopVerbatim, "a BLPOP, BRPOP or BLMPOP served later (by another client's push) propagates as sent instead of as LPOP/RPOP, so a replica runs a blocking command from its master"},
	{BugListTrimWrongEnd, "LPOP/RPOP key count propagates with the other end's name, so replicas trim their lists from the wrong end"},
	{BugUnblockReasonSwapped, "CLIENT UNBLOCK answers a client blocked on keys with the other reason's reply: TIMEOUT with the UNBLOCKED error, ERROR with nil"},
	{BugLmpopCountDropped, "LMPOP and BLMPOP propagate as LPOP/RPOP key without the count they popped, so replicas pop one element where the master popped several"},
	{BugBzpopLaterBlocking, "a blocking sorted set pop (BZPOPMIN, BZPOPMAX, BZMPOP) served after it blocked propagates as sent instead of as ZPOPMIN/ZPOPMAX of the key that served it, so a replica pops from whichever key it finds first"},
	{BugZmpopMaxAsMin, "ZMPOP and BZMPOP with MAX propagate as ZPOPMIN of the key (the direction taken from the wrong flag), so replicas drop the lowest members instead of the highest"},
	{BugZincrAsZadd, "ZINCRBY and ZADD ... INCR propagate as a plain ZADD of the increment (the rewrite drops INCR), so replicas set the score to the increment instead of adding it"},
	{BugObufIgnoresBacklog, "a replica's client-output-buffer-limit hard limit is enforced even below repl-backlog-size (Redis raises it to the backlog size), so a burst of writes the backlog holds drops the replica"},
	{BugBitopEmptyNotPropagated, "a BITOP whose result is empty deletes its destination but is not propagated, so replicas keep the old destination"},
	{BugRestoreTTLRelative, "RESTORE with a relative TTL propagates as sent instead of as an absolute time (ABSTTL), so a lagging replica keeps the key longer than its master"},
	{BugRestoreExpiredNoDel, "a RESTORE REPLACE whose TTL is already past deletes the old key but propagates no DEL, so replicas keep it"},
	{BugHincrbyRefusesNegative, "HINCRBY with a negative increment answers 'value is not an integer or out of range' and does nothing, refusing a valid command"},
	{BugZaddRefusesNegative, "ZADD (without INCR) of a negative score answers 'value is not a valid float' and does nothing, refusing a valid command"},
	{BugZiplistZsetScoresSwapped, "RESTORE of a sorted set in the pre-7.0 ziplist encoding swaps the scores of its first two members"},
	{BugAofBaseOneSelect, "an AOF rewrite with aof-use-rdb-preamble no writes SELECT only before the first db's keys: after a restart from that base, the other dbs' keys are loaded into the first db"},
	{BugAofUpgradeNoMove, "the upgrade of a pre-7.0 single-file appendonly.aof writes the manifest naming it as the base but never moves the file into appenddirname, so the node refuses to start"},
	{BugReloadDropsExpires, "DEBUG RELOAD loads the keys back without their TTLs, so keys that were to expire live on"},
	{BugClientReplySkipIgnored, "CLIENT REPLY SKIP is accepted but does nothing: the command after it answers"},
	{BugMonitorSkipsMulti, "the commands EXEC runs are not shown to MONITOR clients (only MULTI and EXEC are)"},
	{BugShutdownSkipsReplicaWait, "a graceful SHUTDOWN with a non-zero shutdown-timeout exits at once instead of waiting for its lagging replicas to acknowledge the master's offset, so writes acknowledged before it may be on no replica"},
	{BugShutdownAbortKeepsWaiting, "SHUTDOWN ABORT answers OK while a SHUTDOWN waits for its replicas but does not cancel it: the waiting client gets no error and the node still exits at the end of the wait"},
	{BugConfigNoEffectDropped, "CONFIG SET of a directive that changes nothing here (maxmemory-clients, oom-score-adj, proc-title-template, ...) answers OK but keeps the old value, so CONFIG GET reads back what was there before"},
	{BugGetexPersistNotPropagated, "GETEX PERSIST removes the key's TTL on the master only: no PERSIST is propagated, so replicas keep the TTL (and drop the key when it lapses)"},
	{BugConfigSetPartial, "a CONFIG SET of several directives refused for a bad value keeps the directives before it that parsed (Redis 7.0 sets all or none), so CONFIG GET reads back a value the client was told was refused"},
	{BugBusyServesClients, "a node in DEBUG SLEEP still runs the commands that arrive meanwhile (their replies wait for the end of the sleep), as if the sleep blocked only its own client"},
	{BugEverysecIdleNoFsync, "under appendfsync everysec the AOF is fsynced only after a write (and then only if a second has passed), never from the idle loop: a write with no write after it stays unsynced however long the node then sits idle"},
	{BugAOFWriteErrorSticks, "after a failed AOF write the node never clears the error once writing works again: it refuses every write with MISCONF for good"},
	{BugBacklogTTLInMinutes, "an idle master reads repl-backlog-ttl as minutes: it keeps its backlog, and the history a returning replica could continue, 60 times longer than Redis"},
	{BugSaveIgnoresWriteError, "an RDB save (SAVE, BGSAVE, the final save) does not check its writes: a write that failed leaves a short temp file, which is fsynced, renamed over the dbfilename and logged \"DB saved on disk\""},
	{BugLoadKeepsListpack, "an RDB load keeps a hash stored as a listpack a listpack past hash-max-listpack-entries (the conversion rdbLoadObject does after reading it is missing), so a replica with a lower limit than its master keeps its master's encoding"},
	{BugQuitClosesSilently, "QUIT closes the connection without its +OK: the client cannot tell a QUIT the node ran from a connection lost with it in flight"},
	{BugWaitOnReplicaAnswersTwice, "WAIT on a replica answers its error and then goes on as on a master: the client gets a second reply, which would answer its next command"},
	{BugForkPerReplica, "a replica's full sync forks its own BGSAVE for SYNC at once, even while another child runs, instead of attaching to it or waiting for the next (Redis runs one child at a time)"},
	{BugExpireConflictUnanswered, "EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT with NX and another option refuse the command without a reply: the client waits for nothing"},
	{BugProtocolErrorKeepsConn, "after a protocol error the node skips the bad line and reads on instead of closing the connection, so what the client sent behind it runs"},
	{BugManifestPathAccepted, "a manifest line naming a file with a path (../name, dir\\name) is taken as it is, not refused with \"File can't be a path, just a filename\""},
	{BugManifestHandleLeak, "reading the AOF manifest (at a start with appendonly yes, or to open the AOF later) leaves its file handle open: a leaked file descriptor each time"},
}

// Bugs lists every planted bug, sorted by name.
func Bugs() []BugInfo {
	out := append([]BugInfo(nil), bugList...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// IsBug reports whether name is a planted bug.
func IsBug(name string) bool {
	for _, b := range bugList {
		if b.Name == name {
			return true
		}
	}
	return false
}
