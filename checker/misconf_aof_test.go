package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aofMisconfInput is a master with appendonly yes whose AOF write failed
// at 10s and recovered at 20s, and the client operations ops.
func aofMisconfInput(ops ...Op) (AccessInput, []LogLine) {
	settings := []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{AppendOnly: true, AppendFsync: "everysec"}}}
	lines := []LogLine{line(0, "Server initialized"), line(10, logAOFWriteError, "No space left on device"), line(20, logAOFWriteSolved)}
	return AccessInput{Ops: ops, Settings: settings}, lines
}

func secs(op Op, call, ret float64) Op {
	op.Call, op.Return = int64(call*1e9), int64(ret*1e9)
	return op
}

const aofMisconfReply = aofMisconf + ": No space left on device"

// A master refuses writes and PING while its AOF write error is in force.
func TestAOFMisconfRefusesWhileWriteErrorInForce(t *testing.T) {
	refused := set(1, "k1", "x", 0, 0)
	refused.Err = aofMisconfReply
	in, lines := aofMisconfInput(
		secs(set(1, "k1", "a", 0, 0), 9, 9.5),       // before the error
		secs(refused, 12, 13),                       // refused during it
		secs(set(1, "k1", "b", 0, 0), 19, 21),       // answered after the recovery
		secs(set(1, "k1", "c", 0, 0), 21, 22),       // after it
		secs(get(2, "k1", "a", true, 0, 0), 14, 15), // reads run
	)
	assert.Empty(t, CheckAOFMisconf(in, lines))

	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	v := CheckAOFMisconf(in, lines)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "writeCommandsDeniedByDiskError")

	ping := Op{Client: 2, Node: "n1", Kind: OpRead, Mode: "ADMIN", Args: []string{"PING"}}
	in, lines = aofMisconfInput(secs(ping, 12, 13))
	assert.Len(t, CheckAOFMisconf(in, lines), 1, "PING is refused too")

	tx := Op{Client: 3, Node: "n1", Kind: OpTx, Args: []string{"MULTI"}, Sub: []Op{{Kind: OpSet, Key: "k1", Args: []string{"SET", "k1", "2"}}}}
	in, lines = aofMisconfInput(secs(tx, 12, 13))
	assert.Len(t, CheckAOFMisconf(in, lines), 1, "a queued write is refused, and EXEC then aborts")
	readTx := Op{Client: 3, Node: "n1", Kind: OpTx, Args: []string{"MULTI"}, Sub: []Op{{Kind: OpGet, Key: "k1", Args: []string{"GET", "k1"}}}}
	in, lines = aofMisconfInput(secs(readTx, 12, 13))
	assert.Empty(t, CheckAOFMisconf(in, lines), "a transaction of reads runs")

	// The error's end, however it comes.
	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	lines[2] = line(11, logReopenWriteErr)
	assert.Empty(t, CheckAOFMisconf(in, lines), "startAppendOnly forgets the error")
	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	restart := line(11, "Server initialized")
	restart.Gen = 1
	lines[2] = restart
	assert.Empty(t, CheckAOFMisconf(in, lines), "a new process starts with aof_last_write_status ok")
	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	in.Settings = append(in.Settings, SettingsChange{At: 11e9, Node: "n1", Settings: tap.Settings{AppendOnly: false}})
	assert.Empty(t, CheckAOFMisconf(in, lines), "appendonly no turns the AOF off (stopAppendOnly)")
	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	in.Settings[0].Replica = true
	assert.Len(t, CheckAOFMisconf(in, lines), 1, "a replica refuses its clients' writes too")
	in, lines = aofMisconfInput(secs(set(1, "k1", "a", 0, 0), 12, 13))
	in.Settings[0].Replica = true
	lines[2] = line(11, logLoadingDB)
	assert.Empty(t, CheckAOFMisconf(in, lines), "a replica's sync turned its AOF off (stopAppendOnly)")
}

// An AOF MISCONF needs the AOF on and an AOF error logged by the process.
func TestAOFMisconfNeedsAnAOFError(t *testing.T) {
	refused := func(call, ret float64) Op {
		op := secs(set(1, "k1", "x", 0, 0), call, ret)
		op.Err = aofMisconfReply
		return op
	}
	in, lines := aofMisconfInput(refused(5, 6))
	v := CheckAOFMisconf(in, lines)
	require.Len(t, v, 1, "no AOF error logged yet")
	assert.Contains(t, v[0].Detail, "logged no AOF write or fsync error")

	in, lines = aofMisconfInput(refused(5, 6))
	lines = append(lines[:1], line(4, logAOFFsyncErr, "Input/output error"))
	assert.Empty(t, CheckAOFMisconf(in, lines), "a failed fsync refuses writes until one succeeds, unlogged")

	in, lines = aofMisconfInput(refused(12, 13))
	in.Settings = append(in.Settings, SettingsChange{At: 11e9, Node: "n1", Settings: tap.Settings{AppendOnly: false}})
	v = CheckAOFMisconf(in, lines)
	require.Len(t, v, 1, "appendonly no")
	assert.Contains(t, v[0].Detail, "appendonly was no for the whole call")
}
