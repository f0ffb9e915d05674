package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replicaSettings is n2, a replica, from at on.
func replicaSettings(at int64, linkUp, readOnly, serveStale bool) SettingsChange {
	return SettingsChange{At: at, Node: "n2", Settings: tap.Settings{Replica: true, LinkUp: linkUp, ReadOnly: readOnly, ServeStale: serveStale}}
}

func onN2(op Op, err string) Op { op.Node, op.Err = "n2", err; return op }

const (
	readOnlyErr   = "READONLY You can't write against a read only replica."
	masterDownErr = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
)

// TestAccessReadOnlySetting: the read-only rule follows the replica's
// replica-read-only setting over time, both ways.
func TestAccessReadOnlySetting(t *testing.T) {
	writable := []SettingsChange{replicaSettings(0, true, true, true), replicaSettings(100, true, false, true), replicaSettings(200, true, true, true)}
	in := func(ops ...Op) AccessInput { return AccessInput{Ops: ops, Roles: twoNodes, Settings: writable} }

	// Accepted while writable: fine; refused then: a violation.
	assert.Empty(t, CheckAccess(in(onN2(set(5, "k1", "x", 110, 120), ""))))
	vs := CheckAccess(in(onN2(set(5, "k1", "x", 110, 120), readOnlyErr)))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "n2 refused a client write with READONLY while it was no read-only replica")

	// Accepted while read-only throughout: the violation as before.
	vs = CheckAccess(in(onN2(set(5, "k1", "x", 10, 20), "")))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "read-only replica n2 accepted a client write instead of answering READONLY (replica-read-only yes throughout)")
	vs = CheckAccess(in(onN2(set(5, "k1", "x", 210, 220), "")))
	require.Len(t, vs, 1, "read-only again after CONFIG SET replica-read-only yes")

	// A call that straddles a change may go either way.
	assert.Empty(t, CheckAccess(in(onN2(set(5, "k1", "x", 90, 110), ""), onN2(set(6, "k1", "x", 190, 210), readOnlyErr),
		onN2(set(7, "k1", "x", 190, 210), ""))))

	// A master refuses nothing.
	master := []SettingsChange{{At: 0, Node: "n1", Settings: tap.Settings{ReadOnly: true, ServeStale: true}}}
	op := set(5, "k1", "x", 10, 20)
	op.Err = readOnlyErr
	vs = CheckAccess(AccessInput{Ops: []Op{op}, Roles: twoNodes, Settings: master})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "n1 refused a client write with READONLY")
}

// TestAccessServeStale: with replica-serve-stale-data no and the link down
// for the whole call, a replica answers MASTERDOWN; data then, or
// MASTERDOWN when it never held, is a violation.
func TestAccessServeStale(t *testing.T) {
	settings := []SettingsChange{
		replicaSettings(0, true, true, false),    // stale reads off, link up
		replicaSettings(100, false, true, false), // link down
		replicaSettings(200, true, true, false),  // link up again
		replicaSettings(300, false, true, true),  // link down, stale reads on
	}
	in := func(ops ...Op) AccessInput { return AccessInput{Ops: ops, Roles: twoNodes, Settings: settings} }
	assert.Empty(t, CheckAccess(in(
		onN2(get(1, "k1", "v", true, 10, 20), ""),              // link up
		onN2(get(1, "k1", "", false, 110, 120), masterDownErr), // down: refused
		onN2(get(1, "k1", "v", true, 90, 110), ""),             // straddles the drop
		onN2(get(1, "k1", "", false, 190, 210), masterDownErr), // straddles the return
		onN2(get(1, "k1", "v", true, 310, 320), ""),            // stale reads allowed
		onN2(set(5, "k1", "x", 110, 120), readOnlyErr),         // READONLY comes first
		// QUIT runs stale (CMD_STALE): gate seed 3221.
		onN2(Op{Kind: OpRead, Mode: "PROTOX", Args: []string{"PROTO", "quit-inline"}, Value: "OK", Reply: "OK", Call: 110, Return: 120}, ""),
	)))

	vs := CheckAccess(in(onN2(get(1, "k1", "v", true, 110, 120), "")))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "replica n2 answered GET with its data while its master link was down and replica-serve-stale-data was no, instead of MASTERDOWN")

	vs = CheckAccess(in(onN2(get(1, "k1", "", false, 210, 220), masterDownErr)))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "n2 answered MASTERDOWN though at no instant of the call")
	vs = CheckAccess(in(onN2(get(1, "k1", "", false, 310, 320), masterDownErr)))
	require.Len(t, vs, 1, "stale reads were allowed")

	// A writable replica with its link down refuses writes with MASTERDOWN.
	settings[1].ReadOnly = false
	assert.Empty(t, CheckAccess(in(onN2(set(5, "k1", "x", 110, 120), masterDownErr))))
	vs = CheckAccess(in(onN2(set(5, "k1", "x", 110, 120), "")))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "answered SET with its data")
}

// COMMAND, CLIENT, INFO and the other commands Redis flags "stale" run on
// a stale replica (seed 1804: COMMAND GETKEYS); a data command in the
// same form does not.
func TestAccessServeStaleLetsStaleCommandsRun(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, false, true, false)} // link down, stale reads off
	in := func(ops ...Op) AccessInput { return AccessInput{Ops: ops, Roles: twoNodes, Settings: settings} }
	getkeys := onN2(Op{Client: 1, Kind: OpRead, Mode: "EXPECT", Args: []string{"COMMAND", "GETKEYS", "MSET", "a", "1"}, Call: 10, Return: 20}, "")
	assert.Empty(t, CheckAccess(in(getkeys)))
	lrange := onN2(Op{Client: 1, Kind: OpCmd, Key: "l", Args: []string{"LRANGE", "l", "0", "-1"}, Call: 10, Return: 20}, "")
	assert.Len(t, CheckAccess(in(lrange)), 1)
	// A raw request of the protocol family runs ECHO (stale) or PING
	// (not stale) by its name (seed 2402432).
	echo := onN2(Op{Client: 1, Kind: OpRead, Mode: "PROTOX", Args: []string{"PROTO", "inline-hex"}, Result: `"JJx4G"`, Call: 10, Return: 20}, "")
	assert.Empty(t, CheckAccess(in(echo)))
	ping := onN2(Op{Client: 1, Kind: OpRead, Mode: "PROTOX", Args: []string{"PROTO", "mbulk-neg"}, Result: "PONG", Call: 10, Return: 20}, "")
	assert.Len(t, CheckAccess(in(ping)), 1)
}

// TestAccessMinReplicas: NOREPLICAS needs a master with both
// min-replicas settings above 0 at some instant of the call.
func TestAccessMinReplicas(t *testing.T) {
	master := func(at, toWrite, maxLag int64) SettingsChange {
		return SettingsChange{At: at, Node: "n1", Settings: tap.Settings{MinReplicasToWrite: toWrite, MinReplicasMaxLag: maxLag}}
	}
	changes := []SettingsChange{master(0, 1, 0), master(100, 1, 10), master(200, 0, 10)}
	refused := func(call, ret int64) AccessInput {
		op := set(5, "k1", "x", call, ret)
		op.Err = "NOREPLICAS Not enough good replicas to write."
		return AccessInput{Ops: []Op{op}, Roles: twoNodes, Settings: changes}
	}
	assert.Empty(t, CheckAccess(refused(110, 120)))
	assert.Empty(t, CheckAccess(refused(90, 110)), "a call that straddles the change")
	for _, call := range []int64{10, 210} {
		vs := CheckAccess(refused(call, call+10))
		require.Len(t, vs, 1)
		assert.Contains(t, vs[0].Detail, "n1 answered NOREPLICAS though at no instant of the call was it a master with min-replicas-to-write and min-replicas-max-lag both above 0")
	}
}

// A transaction of reads refused with a write's refusal (mutant
// cmd_conn.go:97:2 kept the flags of an earlier transaction's writes).
func TestAccessReadsNeverRefusedAsWrites(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, true, true)}
	get := Op{Kind: OpGet, Key: "k1", Client: 5, Call: 10, Return: 20}
	tx := Op{Kind: OpTx, Client: 5, Node: "n2", Call: 10, Return: 20, Sub: []Op{get},
		Err: "EXECABORT Transaction discarded because of: " + readOnlyErr}
	vs := CheckAccess(AccessInput{Ops: []Op{tx}, Roles: twoNodes, Settings: settings})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "refused a command that writes nothing with a write's refusal")
	withWrite := tx
	withWrite.Sub = []Op{get, set(5, "k1", "x", 10, 20)}
	assert.Empty(t, CheckAccess(AccessInput{Ops: []Op{withWrite}, Roles: twoNodes, Settings: settings}))
}
