package checker

import (
	"fmt"
	"strings"
)

// LinkReset says a replica's master link was reset at At while it had just
// been given a wrong masterauth (so that it must use it): any handshake it
// completes later began after it.
type LinkReset struct {
	At   int64
	Node string
}

// AccessInput is what the access check reads.
type AccessInput struct {
	// Ops are every client operation (to masters and replicas).
	Ops       []Op
	Roles     []RoleChange
	FullSyncs []FullSync
	// LinkResets are the resets of replicas' master links under a wrong
	// masterauth.
	LinkResets []LinkReset
	// AuthStates are every node's masterauth and requirepass over time,
	// in time order.
	AuthStates []AuthState
	// Settings are every node's settings over time (replica link,
	// replica-read-only, replica-serve-stale-data), in time order; for a
	// node they know, the rules of stale.go replace the role-based
	// read-only rule.
	Settings []SettingsChange
}

// CheckAccess checks who may change what:
//
//   - an operation sent without AUTH while a password was required
//     (Op.NoAuth) is refused with NOAUTH (that it also had no effect is
//     the linearizability and prefix checks' business: an error reply
//     means no effect there);
//   - a client write to a node that was a read-only replica for the whole
//     call is refused with READONLY (by its role, for a node without
//     recorded settings; otherwise the rules of stale.go, which also judge
//     replica-serve-stale-data);
//   - a client that authenticates badly (Op.Auth: a wrong, stale or
//     missing password) gets exactly the AUTH replies and NOAUTH refusals
//     the passwords in force allow (checkClientAuth);
//   - a replica whose masterauth is not its master's requirepass completes
//     no full resynchronisation (checkMasterAuth).
func CheckAccess(in AccessInput) []Violation {
	agg := newAggregator()
	log := newSettingsLog(in.Settings)
	for i := range in.Ops {
		op := &in.Ops[i]
		if op.Unknown {
			continue
		}
		if op.NoAuth && !strings.HasPrefix(op.Err, "NOAUTH") {
			agg.addV("noauth/"+op.Node, Violation{Detail: fmt.Sprintf(
				"client %d sent %s to %s at %s without authenticating while a password was required, and it ran: %s",
				op.Client, op.Kind, op.Node, seconds(op.Call), op.Describe()),
				At: op.Call, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
		}
		checkRoleAccess(in.Roles, log, op, op.Call, agg)
		if op.LastSent > op.Call {
			// A transaction sent one command at a time: Redis judges
			// EXEC by the flags of the commands it queued
			// (processCommand's is_write_command and
			// is_denystale_command), so a node that became a read-only
			// replica (or lost its master link with
			// replica-serve-stale-data no) after the MULTI refuses it.
			checkRoleAccess(in.Roles, log, op, op.LastSent, agg)
		}
	}
	checkMasterAuth(in, agg)
	checkClientAuth(in, agg)
	return agg.violations(PropAccess)
}

// checkRoleAccess judges op as a command that ran between from and its
// reply: a write refused or accepted by the node's role and settings
// (stale.go), or by its role alone for a node without recorded settings.
func checkRoleAccess(roles []RoleChange, log settingsLog, op *Op, from int64, agg *aggregator) {
	if _, known := log[op.Node]; known {
		at := *op
		at.Call = from
		checkSettingsAccess(log, &at, agg)
		return
	}
	if op.Writes() && op.Err == "" && replicaThroughout(roles, op.Node, from, op.Return) {
		agg.addV("readonly/"+op.Node, Violation{Detail: fmt.Sprintf(
			"read-only replica %s accepted a client write instead of answering READONLY: client %d, %s [%s..%s]",
			op.Node, op.Client, op.Describe(), seconds(from), seconds(op.Return)),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
}

// roleAt is node's role at t from the role changes (in time order).
func roleAt(roles []RoleChange, node string, t int64) string {
	role := ""
	for _, r := range roles {
		if r.At > t {
			break
		}
		if r.Node == node {
			role = r.Role
		}
	}
	return role
}

// replicaThroughout says node was a replica during all of [from, to].
func replicaThroughout(roles []RoleChange, node string, from, to int64) bool {
	if roleAt(roles, node, from) != "slave" {
		return false
	}
	for _, r := range roles {
		if r.Node == node && r.At > from && r.At <= to && r.Role != "slave" {
			return false
		}
	}
	return true
}
