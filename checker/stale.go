package checker

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The access rules that depend on a replica's settings over time
// (SettingsChange): replica-read-only and replica-serve-stale-data.
//
//   - readonly: a client write to a replica with replica-read-only yes
//     for the whole call is refused with READONLY; a write refused with
//     READONLY was sent while, at some instant of the call, the node was
//     a replica with replica-read-only yes (a writable replica, or a
//     master, takes writes);
//   - serve-stale: a replica with replica-serve-stale-data no whose
//     master link is down answers data commands (every command the
//     workload sends) with MASTERDOWN, so a reply with data while that
//     held for the whole call is a violation; MASTERDOWN while it held
//     at no instant of the call is one too.
//
//   - min-replicas: NOREPLICAS comes only from a master with both
//     min-replicas-to-write and min-replicas-max-lag above 0 (Redis's
//     processCommand tests all three), at some instant of the call.
//
// Commands are checked in Redis's order: a write to a read-only replica
// gets READONLY before the link is looked at.

// runsStale are the commands (and "command|subcommand"s) Redis 7.0.15
// flags "stale" (COMMAND's flags): a replica answers them even with its
// link down and replica-serve-stale-data no. MULTI, EXEC, DISCARD, WATCH
// and UNWATCH are left out: what a transaction runs is judged by what it
// queued.
var runsStale = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`auth client|caching client|getname client|getredir client|help
		client|id client|info client|kill client|list client|no-evict client|pause client|reply
		client|setname client|tracking client|trackinginfo client|unblock client|unpause command
		command|count command|docs command|getkeys command|getkeysandflags command|help command|info
		command|list config|get config|help config|resetstat config|rewrite config|set debug echo
		failover hello info lastsave latency|doctor latency|graph latency|help latency|histogram
		latency|history latency|latest latency|reset memory|help monitor object|help psubscribe
		publish pubsub|channels pubsub|help pubsub|numpat pubsub|numsub punsubscribe quit readonly
		readwrite replconf replicaof reset role select shutdown slaveof slowlog|get slowlog|help
		slowlog|len slowlog|reset subscribe time unsubscribe`) {
		runsStale[c] = true
	}
}

// protoRunsStale are the raw requests of the protocol family
// (cluster/workload_protocol.go, Mode "PROTOX", Args "PROTO name") that
// parse into a command a stale replica runs: an ECHO, or QUIT; the others
// run PING (not "stale") or fail before a command is looked up.
var protoRunsStale = map[string]bool{"inline-hex": true, "bulk-empty-arg": true, "quit": true, "quit-inline": true}

// answersStale reports whether op is a command a stale replica runs.
func answersStale(op *Op) bool {
	if op.Kind == OpTx && op.Discard {
		return true // DISCARD runs stale; its queued refusals go unread
	}
	if len(op.Args) == 0 {
		return false
	}
	if op.Mode == "PROTOX" {
		return len(op.Args) == 2 && protoRunsStale[op.Args[1]]
	}
	name := strings.ToLower(op.Args[0])
	return runsStale[name] || (len(op.Args) > 1 && runsStale[name+"|"+strings.ToLower(op.Args[1])])
}

func readOnlyReplica(s tap.Settings) bool { return s.Replica && s.ReadOnly }

func staleRefusing(s tap.Settings) bool { return s.Replica && !s.LinkUp && !s.ServeStale }

func minReplicasChecked(s tap.Settings) bool {
	return !s.Replica && s.MinReplicasToWrite > 0 && s.MinReplicasMaxLag > 0
}

// checkSettingsAccess applies the rules above to op, which was sent to a
// node whose settings log knows it.
func checkSettingsAccess(log settingsLog, op *Op, agg *aggregator) {
	from, to := op.Call, op.Return
	write := op.Writes()
	reason := strings.TrimPrefix(op.Err, "EXECABORT Transaction discarded because of: ")
	switch {
	case surelyReads(op) && (strings.HasPrefix(reason, "READONLY") || strings.HasPrefix(reason, "NOREPLICAS") || strings.HasPrefix(reason, "MISCONF")):
		agg.add("read-refused/"+op.Node, fmt.Sprintf(
			"%s refused a command that writes nothing with a write's refusal (%q): client %d, %s [%s..%s]: Redis refuses only write commands so (processCommand's is_write_command; EXEC by the flags of the commands it queued)",
			op.Node, op.Err, op.Client, op.Describe(), seconds(from), seconds(to)))
	case write && op.Err == "" && log.throughout(op.Node, from, to, readOnlyReplica):
		agg.add("readonly/"+op.Node, fmt.Sprintf(
			"read-only replica %s accepted a client write instead of answering READONLY (replica-read-only yes throughout): client %d, %s [%s..%s]",
			op.Node, op.Client, op.Describe(), seconds(from), seconds(to)))
	case strings.HasPrefix(op.Err, "READONLY") && !log.ever(op.Node, from, to, readOnlyReplica):
		agg.add("writable/"+op.Node, fmt.Sprintf(
			"%s refused a client write with READONLY while it was no read-only replica (a master, or replica-read-only no): client %d, %s [%s..%s]",
			op.Node, op.Client, op.Describe(), seconds(from), seconds(to)))
	case op.Err == "" && log.throughout(op.Node, from, to, staleRefusing) &&
		!(write && log.ever(op.Node, from, to, readOnlyReplica)) && !op.IsAdmin() && !answersStale(op):
		agg.add("serve-stale/"+op.Node, fmt.Sprintf(
			"replica %s answered %s with its data while its master link was down and replica-serve-stale-data was no, instead of MASTERDOWN: client %d, %s [%s..%s]",
			op.Node, op.Kind, op.Client, op.Describe(), seconds(from), seconds(to)))
	case strings.HasPrefix(op.Err, "NOREPLICAS") && !log.ever(op.Node, from, to, minReplicasChecked):
		agg.add("min-replicas/"+op.Node, fmt.Sprintf(
			"%s answered NOREPLICAS though at no instant of the call was it a master with min-replicas-to-write and min-replicas-max-lag both above 0: client %d, %s [%s..%s]",
			op.Node, op.Client, op.Describe(), seconds(from), seconds(to)))
	case strings.HasPrefix(op.Err, "MASTERDOWN") && !log.ever(op.Node, from, to, staleRefusing):
		agg.add("serve-stale/"+op.Node, fmt.Sprintf(
			"%s answered MASTERDOWN though at no instant of the call was it a replica with its master link down and replica-serve-stale-data no: client %d, %s [%s..%s]",
			op.Node, op.Client, op.Describe(), seconds(from), seconds(to)))
	}
}

// surelyReads says op writes nothing by the command table: a read of the
// string model, a registered command not flagged write, or a transaction
// (not aborted, not discarded) of only those.
func surelyReads(op *Op) bool {
	switch op.Kind {
	case OpGet, OpPTTL, OpExists, OpStrlen, OpGetRange, OpMGet:
		return true
	case OpCmd:
		c := lookupCmd(op.Args)
		return c != nil && !c.write
	case OpTx:
		if op.Discard || len(op.Sub) == 0 {
			return false
		}
		for i := range op.Sub {
			if !surelyReads(&op.Sub[i]) {
				return false
			}
		}
		return true
	}
	return false
}
