package node

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/tap"
)

// Settings returns what decides how the node answers clients' data
// commands and what it keeps on disk (see tap.Settings). It is cheap
// enough to call after every event.
func (n *Node) Settings() tap.Settings {
	return tap.Settings{
		Replica: n.repl.isReplica(), LinkUp: n.repl.linkUp(),
		ReadOnly: n.cfg.ReplicaReadOnly, ServeStale: n.cfg.ReplicaServeStaleData,
		AppendOnly: n.cfg.AppendOnly, AppendFsync: n.cfg.AppendFsync, SaveRules: len(n.cfg.Save) > 0, StopWritesOnBgsaveErr: n.cfg.StopWritesOnBgsaveErr,
		AOFTimestamps:      n.cfg.AofTimestampEnabled,
		MinReplicasToWrite: n.cfg.MinReplicasToWrite, MinReplicasMaxLag: n.cfg.MinReplicasMaxLag,
		ReplBacklogSize: max(n.cfg.ReplBacklogSize, minBacklog), // CONFIG_REPL_BACKLOG_MIN_SIZE
	}
}

// CopyDirective sets directive name (or an alias) in dst to its value in
// src, as CONFIG REWRITE carries a value set at runtime into the config
// file the next start reads.
func CopyDirective(dst *Config, src *Config, name string) error {
	d := lookupConf(name)
	if d == nil {
		return fmt.Errorf("unknown directive %q", name)
	}
	v := d.get(src)
	args := []string{v}
	if d.flags&confMultiArg != 0 {
		args = strings.Split(v, " ")
	}
	return d.set(&confSetter{cfg: dst}, args)
}

// SetDirective sets directive name (or an alias) in cfg from the words of
// its value, as a config file line "name args..." does: what a harness
// gives a node before it starts.
func SetDirective(cfg *Config, name string, args ...string) error {
	d := lookupConf(name)
	if d == nil {
		return fmt.Errorf("unknown directive %q", name)
	}
	if d.flags&confMultiArg == 0 && len(args) != 1 {
		return fmt.Errorf("%s takes one argument, got %d", name, len(args))
	}
	return d.set(&confSetter{cfg: cfg, loading: true}, args)
}

// LastBgsaveFailed reports whether the node's last background save failed
// (INFO's rdb_last_bgsave_status:err): with save rules and
// stop-writes-on-bgsave-error it then refuses writes and PING (MISCONF)
// until a save succeeds, which nothing retries unless the save rules fire.
func (n *Node) LastBgsaveFailed() bool { return !n.persist().lastBgsaveOK }

// readOnly is replica-read-only as the node applies it (the planted bug
// readonly-ignored-on-config applies the value it started with).
func (n *Node) readOnly() bool {
	if n.bug(BugReadOnlyOnRestart) {
		return n.boot.ReplicaReadOnly
	}
	return n.cfg.ReplicaReadOnly
}

// fsyncPolicy is appendfsync as the AOF applies it (the planted bug
// appendfsync-set-ignored applies the value it started with).
func (n *Node) fsyncPolicy() string {
	if n.bug(BugFsyncSetIgnored) {
		return n.boot.AppendFsync
	}
	return n.cfg.AppendFsync
}
