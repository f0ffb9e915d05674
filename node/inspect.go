package node

import "github.com/replsim/replsim/tap"

// Dataset returns every key (including logically expired ones still held),
// sorted by db and key.
func (n *Node) Dataset() []tap.KeyValue {
	var out []tap.KeyValue
	for i, ks := range n.dbs {
		for j := range ks.entries {
			out = append(out, ks.entries[j].keyValue(i))
		}
	}
	tap.SortKeyValues(out)
	return out
}

// Encodings returns every key's value with its OBJECT ENCODING, db by db
// in the order the node keeps them.
func (n *Node) Encodings() []tap.KeyEncoding {
	var out []tap.KeyEncoding
	for i, ks := range n.dbs {
		for j := range ks.entries {
			e := &ks.entries[j]
			out = append(out, tap.KeyEncoding{KeyValue: e.keyValue(i), Encoding: e.encoding()})
		}
	}
	return out
}

// Repl returns the node's replication state.
func (n *Node) Repl() tap.ReplStatus {
	r := &n.repl
	role := "master"
	if r.isReplica() {
		role = "slave"
	}
	return tap.ReplStatus{
		Role: role, MasterHost: r.masterHost, MasterPort: r.masterPort,
		LinkUp: r.linkUp(), LinkState: r.state.String(),
		ReplID: r.replid, ReplID2: r.replid2, Offset: r.offset, SecondOffset: r.secondOffset,
		Replicas: len(r.replicas), Backlog: r.backlog != nil, CachedMaster: r.isReplica() && (r.linkUp() || r.cachedValid), SyncFull: n.stats.syncFull, SyncPartialOK: n.stats.syncPartialOK,
	}
}

// LinkState is the replica link's state as Repl reports it ("none" on a
// master), without building the whole status: drivers ask after every event.
func (n *Node) LinkState() (replica bool, state string) {
	return n.repl.isReplica(), n.repl.state.String()
}

// ReplOffset is INFO's master_repl_offset, without building the whole
// replication status: the log recorder asks at every line.
func (n *Node) ReplOffset() int64 { return n.repl.offset }

// StatResets counts the CONFIG RESETSTATs the process ran: INFO's
// counters count from the latest one.
func (n *Node) StatResets() int { return n.statResets }

// Hz is the configured hz, without copying the Config.
func (n *Node) Hz() int { return n.cfg.Hz }

// ReplPingPeriodSec is the repl-ping-replica-period in force, without
// copying the Config.
func (n *Node) ReplPingPeriodSec() int64 { return n.cfg.ReplPingPeriodSec }

// ShutdownTimeoutMs is the shutdown-timeout in force, in milliseconds.
func (n *Node) ShutdownTimeoutMs() int64 { return n.cfg.ShutdownTimeoutSec * 1000 }

// ServerCronRuns counts the serverCron runs since the node started (the
// Ticks it was neither down nor busy for): Redis's server.cronloops.
func (n *Node) ServerCronRuns() int64 { return n.cronCount }

// ReplCronRuns counts the replicationCron runs since the node started: a
// driver that sees it change across a Tick knows the node just compared
// its clock with its replication links' last I/O.
func (n *Node) ReplCronRuns() int64 { return n.repl.cronLoops }

// MasterLinkConn is the connection of a replica's link to its master, or
// 0 when it has none.
func (n *Node) MasterLinkConn() ConnID {
	if n.repl.link == nil {
		return 0
	}
	return n.repl.link.conn
}

// MasterClientInfo is the master link's line in CLIENT LIST TYPE master
// ("" without a link), built without running the command.
func (n *Node) MasterClientInfo() string {
	if n.repl.link == nil || !n.repl.linkUp() {
		return ""
	}
	return n.clientInfo(n.repl.link)
}

// VolatileKeysFrom counts the keys, in every db, whose TTL ends at or
// after nowMs (Unix ms): those an expire cycle at nowMs keeps.
func (n *Node) VolatileKeysFrom(nowMs int64) int {
	count := 0
	for _, ks := range n.dbs {
		if ks.expires == 0 {
			continue
		}
		for i := range ks.entries {
			if e := &ks.entries[i]; e.expireAt != 0 && e.expireAt >= nowMs {
				count++
			}
		}
	}
	return count
}
