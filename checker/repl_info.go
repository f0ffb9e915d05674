package checker

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ReplInfoNode is what one node answered, at the end of a healed run, to
// INFO replication and ROLE (a master's ROLE lists its online replicas).
type ReplInfoNode struct {
	Name string
	Port int
	Up   bool
	// Info is INFO replication's text; empty when the node is down.
	Info string
	// RoleReplicas are the replicas a master's ROLE lists.
	RoleReplicas []RoleReplica
	// ReplTimeoutSec is the node's repl-timeout.
	ReplTimeoutSec int64
	// Clock is the node's clock over the run, and ReplCronAt the virtual
	// time (ns) of its latest replicationCron run: the only moment a link
	// times out (Redis's replicationCron, once a second).
	Clock      NodeClock
	ReplCronAt int64
	// MasterClosed says the master end of this replica's link has closed
	// (the master freed its replica client) and the close has not reached
	// this node yet: its INFO still says the link is up.
	MasterClosed bool
	// MasterClient is the replica's CLIENT LIST TYPE master line ("" with
	// no link up); MasterInFlight says its master has sent bytes that have
	// not arrived yet (the rest of a split command).
	MasterClient   string
	MasterInFlight bool
	// BySYNC says the replica's last full sync came through SYNC (its
	// PSYNC refused): its master flags it CLIENT_PRE_PSYNC, expects no
	// REPLCONF ACK from it and never times it out (replicationCron), so
	// the lag INFO shows for it has no bound.
	BySYNC bool
}

// RoleReplica is one replica in a master's ROLE reply.
type RoleReplica struct {
	IP, Port string
	Offset   int64
}

// ReplInfoInput is every node's INFO replication and ROLE at the end of
// the run; Healed says the heal phase converged, so every replica link
// is settled.
type ReplInfoInput struct {
	Healed bool
	// At is the virtual time (ns) of the read.
	At    int64
	Nodes []ReplInfoNode
}

// replIDForm is a replication ID as INFO shows it.
var replIDForm = regexp.MustCompile(`^[0-9a-f]{40}$`)

// timeoutBound is the most seconds of silence (a replica's
// master_last_io_seconds_ago, a master's lag for a replica) INFO can show
// on a link that is still up: Redis drops such a link only in
// replicationCron, when its clock is more than repl-timeout past the last
// I/O (ACK), so at the node's latest run the I/O was at most repl-timeout
// old, and any I/O since was at or after the lowest reading its clock
// took since. Silence grows past repl-timeout by as much as its clock has
// risen above that lowest reading: up to a second between two runs, and
// a forward clock jump until the next run (seeds 2002504, 2004306). An
// unknown clock allows repl-timeout + 1 (the second between runs).
func timeoutBound(n *ReplInfoNode, at int64) int64 {
	if !n.Clock.Known() || n.ReplCronAt > at {
		return n.ReplTimeoutSec + 1
	}
	lo, _ := n.Clock.Range(n.ReplCronAt, at)
	_, now := n.Clock.Range(at, at)
	rise := max(now-lo, 0)
	return n.ReplTimeoutSec + (rise+999_999_999)/1_000_000_000
}

// infoReplica is one slaveN line of INFO replication.
type infoReplica struct {
	ip, port, state string
	offset, lag     int64
}

// parseInfo splits INFO text into fields and its slaveN lines.
func parseInfo(text string) (map[string]string, []infoReplica) {
	fields := map[string]string{}
	var reps []infoReplica
	for _, line := range strings.Split(text, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(k, "slave") && strings.HasPrefix(v, "ip=") {
			var r infoReplica
			for _, kv := range strings.Split(v, ",") {
				name, val, _ := strings.Cut(kv, "=")
				switch name {
				case "ip":
					r.ip = val
				case "port":
					r.port = val
				case "state":
					r.state = val
				case "offset":
					r.offset, _ = strconv.ParseInt(val, 10, 64)
				case "lag":
					r.lag, _ = strconv.ParseInt(val, 10, 64)
				}
			}
			reps = append(reps, r)
			continue
		}
		fields[k] = v
	}
	return fields, reps
}

// CheckReplInfo judges what a client reads of replication once a run has
// healed: a node's INFO replication (and a master's ROLE) lists every replica whose
// link to it is up, by the replica's host and listening port, online,
// with an acknowledged offset no greater than the master's and a lag
// within repl-timeout; a replica's INFO names its master, says its link is
// up, and its last I/O is within repl-timeout (it may be negative: a
// clock set back). "Within repl-timeout" allows what the node's clock rose
// since its latest replicationCron (timeoutBound). A replica whose master
// has closed its link, the close still on its way, need not be listed.
func CheckReplInfo(in ReplInfoInput) []Violation {
	if !in.Healed {
		return nil
	}
	var out []Violation
	bad := func(node, format string, args ...any) {
		out = append(out, Violation{Check: "repl_info", Nodes: []string{node}, Detail: node + ": " + fmt.Sprintf(format, args...)})
	}
	byName := map[string]*ReplInfoNode{}
	fields := map[string]map[string]string{}
	reps := map[string][]infoReplica{}
	for i := range in.Nodes {
		n := &in.Nodes[i]
		byName[n.Name] = n
		if n.Up {
			fields[n.Name], reps[n.Name] = parseInfo(n.Info)
		}
	}
	for _, r := range in.Nodes {
		f := fields[r.Name]
		if !r.Up {
			continue
		}
		// Redis's replication IDs are 40 hex digits (changeReplicationId;
		// replid2 is 40 zeros until a shift, clearReplicationId2), or
		// blank after a full sync that took a blank master_replid (a SYNC
		// fallback: CheckReplIDs judges when a blank one may show).
		for _, id := range []string{"master_replid", "master_replid2"} {
			if v, ok := f[id]; ok && v != "" && !replIDForm.MatchString(v) {
				bad(r.Name, "%s is %q: Redis's replication IDs are 40 hex digits", id, v)
			}
		}
		// The secondary ID and its offset are set together: 40 zeros and
		// -1 (clearReplicationId2, and at startup), or an ID and the
		// offset after the last byte it covers, at least 1
		// (shiftReplicationId, a master's restart from its RDB, a
		// cached master's new ID).
		id2, ok1 := f["master_replid2"]
		secondText, ok2 := f["second_repl_offset"]
		if ok1 && ok2 {
			second, err := strconv.ParseInt(secondText, 10, 64)
			if zero := id2 == strings.Repeat("0", 40); err != nil || zero != (second == -1) || !zero && second < 1 {
				bad(r.Name, "master_replid2 is %q with second_repl_offset %q: Redis sets them together, 40 zeros with -1 or an ID with an offset of at least 1", id2, f["second_repl_offset"])
			}
			// Every way an ID becomes the second gives the node another
			// first: shiftReplicationId draws a new one, a replica's
			// +CONTINUE with a new ID takes that one, and a master's
			// restart keeps its RDB's ID as the second beside the one
			// it drew. A replica's restart takes its RDB's ID as the
			// first and leaves the second cleared.
			if id2 != zeroReplID && id2 == f["master_replid"] {
				bad(r.Name, "master_replid2 equals master_replid (%s): in Redis an ID becomes the second only beside a new first (shiftReplicationId, a new master's +CONTINUE, a master's restart from its RDB)", id2)
			}
		}
		if f["role"] != "slave" || f["master_link_status"] != "up" {
			continue
		}
		if q := clientField(r.MasterClient, "qbuf"); q != "" && q != "0" && !r.MasterInFlight && !r.MasterClosed &&
			!strings.Contains(clientField(r.MasterClient, "flags"), "x") {
			bad(r.Name, "its master client holds qbuf=%s with nothing of its master's still on the way and no MULTI open (%s): Redis trims the master's query buffer to the unapplied part after each read (processInputBuffer), and no whole command waits", q, r.MasterClient)
		}
		if io, err := strconv.ParseInt(f["master_last_io_seconds_ago"], 10, 64); err != nil || io > timeoutBound(&r, in.At) {
			bad(r.Name, "link up, but master_last_io_seconds_ago is %q (repl-timeout %d, at most %d since its last replicationCron)",
				f["master_last_io_seconds_ago"], r.ReplTimeoutSec, timeoutBound(&r, in.At))
		}
		m := byName[f["master_host"]]
		if m == nil || !m.Up {
			continue
		}
		if f["master_port"] != strconv.Itoa(m.Port) {
			bad(r.Name, "master_port %s, but its master %s listens on %d", f["master_port"], m.Name, m.Port)
		}
		moff, _ := strconv.ParseInt(fields[m.Name]["master_repl_offset"], 10, 64)
		port := strconv.Itoa(r.Port)
		var mine []infoReplica
		for _, x := range reps[m.Name] {
			if x.ip == r.Name && x.port == port {
				mine = append(mine, x)
			}
		}
		found := len(mine) > 0
		problems := func(x infoReplica) []string {
			var p []string
			if x.state != "online" {
				p = append(p, fmt.Sprintf("INFO lists replica %s:%s in state %q though its link is up", x.ip, x.port, x.state))
			}
			if x.offset > moff || x.offset < 0 {
				p = append(p, fmt.Sprintf("INFO lists replica %s:%s at offset %d, master_repl_offset is %d", x.ip, x.port, x.offset, moff))
			}
			// A negative lag is a clock set back since the last ACK
			// (Redis subtracts the two clock readings; seed 7232).
			if x.lag > timeoutBound(m, in.At) && !r.BySYNC {
				p = append(p, fmt.Sprintf("INFO lists replica %s:%s with lag %d (repl-timeout %d, at most %d since its last replicationCron)",
					x.ip, x.port, x.lag, m.ReplTimeoutSec, timeoutBound(m, in.At)))
			}
			return p
		}
		// A replica has one link to its master; further entries of its
		// name are older links whose close the master has not seen (the
		// process crashed behind a partition): Redis lists them, in
		// whatever state they were left (a waiting full sync is never
		// timed out, seed 2600493). One entry must be the live link.
		var first []string
		for i, x := range mine {
			p := problems(x)
			if len(p) == 0 {
				first = nil
				break
			}
			if i == 0 {
				first = p
			}
		}
		for _, p := range first {
			bad(m.Name, "%s", p)
		}
		if !found && !r.MasterClosed {
			bad(m.Name, "INFO replication does not list replica %s:%s, whose link to it is up (lists %v)", r.Name, port, reps[m.Name])
		}
		if fields[m.Name]["role"] != "master" {
			continue // a replica's ROLE names its own master, not its replicas
		}
		found = false
		for _, x := range m.RoleReplicas {
			if x.IP == r.Name && x.Port == port {
				found = true
				if x.Offset > moff || x.Offset < 0 {
					bad(m.Name, "ROLE lists replica %s:%s at offset %d, master_repl_offset is %d", x.IP, x.Port, x.Offset, moff)
				}
			}
		}
		if !found && !r.MasterClosed {
			bad(m.Name, "ROLE does not list replica %s:%s, whose link to it is up (lists %v)", r.Name, port, m.RoleReplicas)
		}
	}
	return out
}

// clientField is field name's value in a CLIENT LIST line ("" if absent).
func clientField(line, name string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, name+"="); ok {
			return v
		}
	}
	return ""
}
