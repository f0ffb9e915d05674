package node

import (
	"strconv"
	"strings"
)

func init() {
	register(&command{name: "info", arity: -1, flags: flagStale, fn: infoCommand})
}

// infoSections lists INFO's sections in Redis's order, with whether they are
// part of the default set.
var infoSections = []infoSection{
	{"server", true, infoServer},
	{"clients", true, infoClients},
	{"persistence", true, infoPersistence},
	{"stats", true, infoStats},
	{"replication", true, infoReplication},
	{"keyspace", true, infoKeyspace},
}

type infoSection struct {
	name    string
	deflt   bool
	produce func(n *Node, b *strings.Builder)
}

func infoCommand(n *Node, c *client, args [][]byte) {
	want := map[string]bool{}
	deflt, all := len(args) == 1, false
	for _, a := range args[1:] {
		s := strings.ToLower(string(a))
		switch s {
		case "all", "everything":
			all = true
		case "default":
			deflt = true
		default:
			want[s] = true
		}
	}
	c.addBulk(n.info(deflt, all, want))
}

// Info renders INFO's text: every default section when all is set, else
// the sections named in want.
func (n *Node) Info(all bool, want map[string]bool) string { return n.info(all, false, want) }

// info renders the default sections when deflt is set, every section when
// all is set, and the sections named in want, each once, in Redis's order.
func (n *Node) info(deflt, all bool, want map[string]bool) string {
	var b strings.Builder
	for _, s := range infoSections {
		if !all && !(deflt && s.deflt) && !want[s.name] {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		title := strings.ToUpper(s.name[:1]) + s.name[1:]
		if s.name == "cpu" {
			title = "CPU"
		}
		b.WriteString("# " + title + "\r\n")
		s.produce(n, &b)
	}
	return b.String()
}

func field(b *strings.Builder, name string, v any) {
	b.WriteString(name)
	b.WriteByte(':')
	switch x := v.(type) {
	case string:
		b.WriteString(x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case bool:
		if x {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	b.WriteString("\r\n")
}

func infoServer(n *Node, b *strings.Builder) {
	now := n.nowMs()
	field(b, "redis_version", "7.0.15")
	field(b, "redis_mode", "standalone")
	field(b, "replsim", "1")
	field(b, "arch_bits", 64)
	field(b, "tcp_port", n.cfg.Port)
	field(b, "server_time_usec", n.env.Now()/1000)
	// Redis counts in whole seconds of its clock: server.unixtime less
	// the second it started (stat_starttime), or last read (lastinteraction,
	// repl_transfer_lastio).
	uptime := wholeSeconds(n.startTime, now)
	field(b, "uptime_in_seconds", uptime)
	field(b, "uptime_in_days", uptime/86400)
	field(b, "hz", n.cfg.Hz)
	field(b, "configured_hz", n.cfg.Hz)
	if n.shutdownInProgress() {
		field(b, "shutdown_in_milliseconds", n.shut.deadline-now)
	}
}

func infoClients(n *Node, b *strings.Builder) {
	count := 0
	for _, c := range n.clients {
		if !c.isMasterLink && !c.isReplica() {
			count++
		}
	}
	field(b, "connected_clients", count)
	field(b, "blocked_clients", n.blockedCount())
}

func infoPersistence(n *Node, b *strings.Builder) {
	p := n.persist()
	a := &p.aof
	now := n.nowSec()
	status := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "err"
	}
	field(b, "loading", p.loading)
	field(b, "async_loading", 0)
	field(b, "rdb_changes_since_last_save", n.dirty)
	field(b, "rdb_bgsave_in_progress", p.child == childRDB)
	field(b, "rdb_last_save_time", p.lastSave)
	field(b, "rdb_last_bgsave_status", status(p.lastBgsaveOK))
	field(b, "rdb_last_bgsave_time_sec", p.lastBgsaveTimeSec)
	if p.child == childRDB {
		field(b, "rdb_current_bgsave_time_sec", now-p.childStart)
	} else {
		field(b, "rdb_current_bgsave_time_sec", -1)
	}
	field(b, "rdb_saves", p.rdbSaves)
	field(b, "rdb_last_load_keys_expired", p.loadKeysExpired)
	field(b, "rdb_last_load_keys_loaded", p.loadKeysLoaded)
	// aof_state != AOF_OFF: appendonly yes with the AOF stopped (a
	// replica's full sync until restartAOFAfterSYNC turns it on again) is 0.
	field(b, "aof_enabled", a.enabled())
	field(b, "aof_rewrite_in_progress", p.child == childAOF)
	field(b, "aof_rewrite_scheduled", a.rewriteScheduled)
	field(b, "aof_last_rewrite_time_sec", a.lastRewriteSec)
	if p.child == childAOF {
		field(b, "aof_current_rewrite_time_sec", now-p.childStart)
	} else {
		field(b, "aof_current_rewrite_time_sec", -1)
	}
	field(b, "aof_last_bgrewrite_status", status(a.rewriteOK))
	field(b, "aof_rewrites", a.rewrites)
	field(b, "aof_rewrites_consecutive_failures", a.rwFailures)
	field(b, "aof_last_write_status", status(a.writeErr == nil && a.fsyncErr == nil))
	if n.cfg.AppendOnly {
		field(b, "aof_current_size", a.currentSize)
		field(b, "aof_base_size", a.rewriteBaseSize)
		field(b, "aof_pending_rewrite", a.rewriteScheduled)
		field(b, "aof_buffer_length", len(a.buf))
		field(b, "aof_pending_bio_fsync", 0)
		field(b, "aof_delayed_fsync", 0)
	}
}

func infoStats(n *Node, b *strings.Builder) {
	field(b, "total_connections_received", n.stats.connectionsReceived)
	field(b, "total_commands_processed", n.stats.commandsProcessed)
	field(b, "rejected_connections", n.stats.rejectedConns)
	field(b, "expired_keys", n.stats.expiredKeys)
	field(b, "evicted_keys", n.stats.evictedKeys)
	field(b, "sync_full", n.stats.syncFull)
	field(b, "sync_partial_ok", n.stats.syncPartialOK)
	field(b, "sync_partial_err", n.stats.syncPartialErr)
	field(b, "slave_expires_tracked_keys", len(n.replExp.keys))
	field(b, "unexpected_error_replies", n.stats.unexpectedErrors)
	field(b, "total_error_replies", n.stats.cmd.errorReplies)
}

func infoReplication(n *Node, b *strings.Builder) {
	r := &n.repl
	now := n.nowMs()
	if !r.isReplica() {
		field(b, "role", "master")
	} else {
		field(b, "role", "slave")
		field(b, "master_host", r.masterHost)
		field(b, "master_port", r.masterPort)
		if r.linkUp() {
			field(b, "master_link_status", "up")
			field(b, "master_last_io_seconds_ago", wholeSeconds(r.lastIO, now))
		} else {
			field(b, "master_link_status", "down")
			field(b, "master_last_io_seconds_ago", -1)
		}
		field(b, "master_sync_in_progress", r.state == replTransfer)
		if r.state == replTransfer {
			read := r.transferRead()
			field(b, "master_sync_total_bytes", r.rdbLen)
			field(b, "master_sync_read_bytes", read)
			field(b, "master_sync_left_bytes", r.rdbLen-read)
			perc := "0.00"
			if r.rdbLen != 0 {
				perc = strconv.FormatFloat(float64(read)/float64(r.rdbLen)*100, 'f', 2, 64)
			}
			field(b, "master_sync_perc", perc)
			field(b, "master_sync_last_io_seconds_ago", wholeSeconds(r.lastIO, now))
		}
		readOff := r.offset
		if r.link != nil && r.linkUp() {
			readOff += int64(len(r.link.in) - r.appliedPos)
		}
		field(b, "slave_read_repl_offset", readOff)
		field(b, "slave_repl_offset", r.offset)
		if !r.linkUp() {
			if r.downSince == 0 {
				field(b, "master_link_down_since_seconds", -1)
			} else {
				field(b, "master_link_down_since_seconds", n.nowSec()-r.downSince)
			}
		}
		field(b, "slave_priority", 100)
		field(b, "slave_read_only", n.cfg.ReplicaReadOnly)
		field(b, "replica_announced", 1)
	}
	field(b, "connected_slaves", len(r.replicas))
	if n.minReplicasOn() {
		field(b, "min_slaves_good_slaves", r.goodReplicas)
	}
	for i, c := range r.replicas {
		rs := c.replica
		ip := rs.addr
		if j := strings.LastIndexByte(ip, ':'); j >= 0 {
			ip = ip[:j]
		}
		b.WriteString("slave" + strconv.Itoa(i) + ":ip=" + ip + ",port=" + strconv.Itoa(rs.listeningPort) +
			",state=" + rs.state + ",offset=" + strconv.FormatInt(rs.ackOffset, 10) +
			",lag=" + strconv.FormatInt(replicaLag(rs, now), 10) + "\r\n")
	}
	field(b, "master_failover_state", "no-failover")
	field(b, "master_replid", r.replid)
	field(b, "master_replid2", r.replid2)
	field(b, "master_repl_offset", r.offset)
	field(b, "second_repl_offset", r.secondOffset)
	field(b, "repl_backlog_active", r.backlog != nil)
	field(b, "repl_backlog_size", n.cfg.ReplBacklogSize)
	if r.backlog != nil {
		field(b, "repl_backlog_first_byte_offset", r.backlog.first)
		field(b, "repl_backlog_histlen", r.backlog.histlen)
	} else {
		field(b, "repl_backlog_first_byte_offset", 0)
		field(b, "repl_backlog_histlen", 0)
	}
}

func infoKeyspace(n *Node, b *strings.Builder) {
	for i, ks := range n.dbs {
		if ks.len() == 0 {
			continue
		}
		b.WriteString("db" + strconv.Itoa(i) + ":keys=" + strconv.Itoa(ks.len()) +
			",expires=" + strconv.Itoa(ks.expires) + ",avg_ttl=0\r\n")
	}
}

// wholeSeconds is how many seconds INFO shows from fromMs to toMs (Unix
// ms): the difference of their whole seconds, as Redis subtracts two
// time_t values.
func wholeSeconds(fromMs, toMs int64) int64 { return toMs/1000 - fromMs/1000 }

// replicaLag is INFO's lag= for a replica: the whole seconds since its last
// ACK once it is online, 0 before (Redis computes it only for
// SLAVE_STATE_ONLINE).
func replicaLag(rs *replicaState, nowMs int64) int64 {
	if rs.state != slaveOnline {
		return 0
	}
	return wholeSeconds(rs.ackTime, nowMs)
}
