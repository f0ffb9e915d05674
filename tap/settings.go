package tap

// Settings is what decides how a node answers clients' data commands and
// what it keeps on disk: whether it is a replica with its master link up,
// its replica-read-only and replica-serve-stale-data settings, and its
// persistence configuration (appendonly, appendfsync, save rules), and
// how much of the replication stream it keeps for partial resyncs. The
// values are the configuration in force, not what a faulty node does.
type Settings struct {
	Replica, LinkUp      bool
	ReadOnly, ServeStale bool
	AppendOnly           bool
	AppendFsync          string // always | everysec | no
	SaveRules            bool
	// StopWritesOnBgsaveErr is stop-writes-on-bgsave-error.
	StopWritesOnBgsaveErr bool
	// AOFTimestamps is aof-timestamp-enabled.
	AOFTimestamps bool
	// MinReplicasToWrite and MinReplicasMaxLag are min-replicas-to-write
	// and min-replicas-max-lag.
	MinReplicasToWrite, MinReplicasMaxLag int64
	// ReplBacklogSize is repl-backlog-size as Redis applies it (at least
	// 16 KB, resizeReplicationBacklog): the configured value, not what the
	// node's backlog holds, so a backlog that ignored a resize shows.
	ReplBacklogSize int64
}
