package cluster

// The kinds of event the cluster records in its timeline for what it did
// itself: operator actions, crashes, exits and restarts. A fault step that
// asks for one of these (op_promote, proc_crash, ...) records it under the
// same name; other fault kinds record their own names (fault.Kind.Name).
const (
	EventPromote       = "op_promote"
	EventDemote        = "op_demote"
	EventRepoint       = "op_repoint"
	EventAddReplica    = "op_add_replica"
	EventShutdown      = "op_shutdown"       // SHUTDOWN; the node's exit follows as proc_exit
	EventShutdownAbort = "op_shutdown_abort" // SHUTDOWN ABORT from another client; its reply
	EventRepair        = "op_repair"         // the heal made a node master again, or re-pointed it
	EventHealSave      = "op_heal_bgsave"    // the heal ran BGSAVE on a node whose last one failed
	EventCrash         = "proc_crash"
	EventExit          = "proc_exit" // the node shut itself down (SHUTDOWN, a fatal persistence error)
	EventRestart       = "proc_restart"
	EventRestartWiped  = "proc_restart_wiped"
	EventRestartFailed = "proc_restart_failed" // the node refused its files
	// EventManifestRepaired: the operator put back a manifest a fault broke.
	EventManifestRepaired = "manifest_repaired"
	EventCrashLoss        = "disk_crash_loss" // a crash lost bytes the node had written
	// EventAOFBadFormat: the harness put a line Redis refuses at the head
	// of the node's last incr AOF before a restart (plantBadAOF).
	EventAOFBadFormat = "aof_bad_format"
	// EventAOFTornHead: the harness left part of a first SELECT in the
	// node's empty last incr AOF before a restart (plantTornHead).
	EventAOFTornHead = "aof_torn_head"
	// EventAOFRefusedCommand: the harness appended a command Redis
	// refuses to the node's last incr AOF before a restart
	// (plantRefusedCommand).
	EventAOFRefusedCommand = "aof_refused_command"
	// EventMasterResync: the node the master clients are sent to (a
	// demoted master, or one restarted as a replica) loaded another
	// node's snapshot in a full sync. It starts a master epoch.
	EventMasterResync = "master_full_sync"
	EventPartition    = "net_partition"
	EventFollowPass   = "auth_follow" // every node and client took the new password
)
