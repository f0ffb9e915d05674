package checker

import (
	"fmt"
	"strings"
)

// A node loads what it wrote: a restart may fail on its files only if an
// injected disk fault could have damaged them (a bit flip, a failed write
// or fsync, bytes lost in a crash). Otherwise Redis would have started, so
// a refusal is a persistence bug (an AOF or RDB written or read wrongly)
// that the other checks excuse as a failed restart.

// NodeEvent is one timeline event that concerns a node.
type NodeEvent struct {
	At         int64
	Kind, Node string
	Detail     string
}

// Timeline event kinds this check reads: a failed restart; a manifest the
// operator broke (CheckManifestDamages judges the refusal) until it is put
// back.
const (
	EventRestartFailed    = "proc_restart_failed"
	EventManifestDamage   = "disk_manifest_damage"
	EventManifestRepaired = "manifest_repaired"
	// EventAOFBadFormat: the harness put an argument count below 1
	// ("*-1") at the head of the node's last incr AOF before a restart.
	EventAOFBadFormat = "aof_bad_format"
	EventRestart      = "proc_restart"
	EventRestartWiped = "proc_restart_wiped"
	// EventAOFTornHead: the harness left a proper prefix of the first
	// command in the node's empty last incr AOF (a power loss during the
	// process's first write). With aof-load-truncated no Redis refuses
	// the file ("Unexpected end of file ..."); CheckAOFTails judges that
	// refusal against the setting.
	EventAOFTornHead = "aof_torn_head"
)

// diskDamage are the fault kinds that may damage a node's files.
var diskDamage = map[string]bool{
	"disk_write_error": true, "disk_fsync_error": true, "disk_bitflip": true, "disk_tail_flip": true, "disk_crash_loss": true,
	"disk_meta_error": true, "disk_aof_error": true, "disk_rdb_error": true,
}

// CheckRestartLoads checks every failed restart had its node's files hit
// by a disk fault before it, and that no restart after the harness made an
// incr AOF start with "*-1" succeeded before the node's files were wiped: Redis 7.0.15's loadSingleAppendOnlyFile
// reads an argument count below 1 as a bad format and exits ("Bad file
// format reading the append only file"), whatever aof-load-truncated
// says, unless a disk fault may have changed the files or their reading.
func CheckRestartLoads(events []NodeEvent) []Violation {
	agg := newAggregator()
	damaged, broken, bad, torn := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range events {
		if diskDamage[e.Kind] {
			damaged[e.Node] = true
		}
		switch e.Kind {
		case EventManifestDamage:
			broken[e.Node] = true
		case EventManifestRepaired:
			broken[e.Node] = false
		case EventAOFBadFormat:
			bad[e.Node] = true
			continue
		case EventAOFTornHead:
			torn[e.Node] = true
			continue
		case EventRestart:
			if bad[e.Node] && !damaged[e.Node] && !broken[e.Node] {
				agg.addV("restart-load-bad-aof/"+e.Node, Violation{Detail: fmt.Sprintf(
					"%s started at %s from an incr AOF whose first command has argument count -1: Redis exits with \"Bad file format reading the append only file\"",
					e.Node, seconds(e.At)), At: e.At, Nodes: []string{e.Node}})
			}
		}
		if e.Kind == EventRestart || e.Kind == EventRestartWiped {
			delete(bad, e.Node) // loaded (judged above), or wiped
			delete(torn, e.Node)
		}
		if e.Kind == EventRestartFailed && torn[e.Node] && strings.HasPrefix(e.Detail, "Unexpected end of file reading the append only file ") {
			continue
		}
		if e.Kind == EventRestartFailed && !damaged[e.Node] && !broken[e.Node] && !bad[e.Node] {
			agg.addV("restart-load/"+e.Node, Violation{Detail: fmt.Sprintf(
				"%s refused to load its own files at %s though no disk fault had touched them: %s",
				e.Node, seconds(e.At), e.Detail), At: e.At, Nodes: []string{e.Node}})
		}
	}
	return agg.violations(PropDurability)
}
