package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCleanRestartLoadsTheExitDataset(t *testing.T) {
	data := []tap.KeyValue{{Key: "k", Value: "1"}, {Key: "l", Type: tap.TypeList, Value: tap.EncodeList([]string{"a", "b"})},
		{Key: "t", Value: "x", ExpireAt: 5}}
	exits := []CleanExit{{Node: "n1", At: 100, AOF: true, Data: data}}
	aof := Persistence{AppendOnly: true, AppendFsync: "everysec"}
	same := []Restart{{Node: "n1", CrashAt: 100, RestartAt: 200, Persistence: aof, Loaded: data[:2]}}
	assert.Empty(t, CheckCleanRestarts(exits, same, nil, nil, nil), "a key with a TTL may expire across the restart")

	// A commands-format base that drops lists (mutant aof_base_commands.go:85:3).
	lost := []Restart{{Node: "n1", CrashAt: 100, RestartAt: 200, Persistence: aof, Loaded: data[:1]}}
	v := CheckCleanRestarts(exits, lost, nil, nil, nil)
	require.Len(t, v, 1)
	assert.Equal(t, PropDurability, v[0].Check)
	assert.Contains(t, v[0].Detail, "exited by SHUTDOWN")

	// Not judged: a disk fault that may desync files and memory (a bit
	// flip, a failed fsync, any fault at the exit or the restart), no AOF
	// at exit or at the restart (a wiped disk restarts with no
	// persistence), or a crash.
	assert.Empty(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 150, Node: "n1", Op: "bitflip"}}, nil, nil))
	assert.Empty(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 50, Node: "n1", Op: "sync"}}, nil, nil))
	assert.Empty(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 100, Node: "n1", Op: "write"}}, nil, nil))
	assert.Empty(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 200, Node: "n1", Op: "read"}}, nil, nil))
	// A write that failed before the exit stays in aof_buf and SHUTDOWN
	// writes it (mutant aof.go:296:2 skipped that flush).
	require.Len(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 50, Node: "n1", Op: "write"}}, nil, nil), 1)
	require.Len(t, CheckCleanRestarts(exits, lost, []DiskFault{{At: 50, Node: "n2", Op: "sync"}}, nil, nil), 1, "another node's fault")
	assert.Empty(t, CheckCleanRestarts([]CleanExit{{Node: "n1", At: 100, Data: data}}, lost, nil, nil, nil))
	wiped := lost[0]
	wiped.Persistence = Persistence{}
	assert.Empty(t, CheckCleanRestarts(exits, []Restart{wiped}, nil, nil, nil))
	crashed := lost[0]
	crashed.CrashAt = 90
	assert.Empty(t, CheckCleanRestarts(exits, []Restart{crashed}, nil, nil, nil))
}

// With the AOF off at both ends, a SHUTDOWN that saved its final RDB
// promises that dataset (mutant persist.go:217:5, a start that skipped the
// RDB after reading the manifest).
func TestCleanRestartLoadsTheFinalRDB(t *testing.T) {
	data := []tap.KeyValue{{Key: "k", Value: "1"}}
	rdbOnly := Persistence{AppendFsync: "everysec", SaveRules: true}
	exits := []CleanExit{{Node: "n1", At: 100, RDBSaved: true, Data: data}}
	same := []Restart{{Node: "n1", CrashAt: 100, RestartAt: 200, Persistence: rdbOnly, Loaded: data}}
	assert.Empty(t, CheckCleanRestarts(exits, same, nil, nil, nil))
	empty := []Restart{{Node: "n1", CrashAt: 100, RestartAt: 200, Persistence: rdbOnly}}
	v := CheckCleanRestarts(exits, empty, nil, nil, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with the AOF off and its final RDB saved")

	// Not judged: no final save (SHUTDOWN NOSAVE, no save rules), a
	// wiped disk, the AOF on at the restart.
	assert.Empty(t, CheckCleanRestarts([]CleanExit{{Node: "n1", At: 100, Data: data}}, empty, nil, nil, nil))
	wiped := empty[0]
	wiped.Persistence = Persistence{}
	assert.Empty(t, CheckCleanRestarts(exits, []Restart{wiped}, nil, nil, nil))
	aof := empty[0]
	aof.Persistence.AppendOnly = true
	assert.Empty(t, CheckCleanRestarts(exits, []Restart{aof}, nil, nil, nil))
}

func TestAOFOpenedAtStart(t *testing.T) {
	line := func(at int64, gen int, format string) LogLine {
		return LogLine{Node: "n1", Gen: gen, At: at, Format: format, Msg: format}
	}
	ok := []LogLine{line(10, 1, logAOFLoaded), line(10, 1, logAOFOpened), line(50, 1, logAOFLoaded)} // DEBUG LOADAOF later
	assert.Empty(t, aofOpenedAtStart(ok, nil))
	late := []LogLine{line(10, 1, logAOFLoaded), line(20, 1, logAOFOpened)}
	v := aofOpenedAtStart(late, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "before it serves anything")
	assert.Empty(t, aofOpenedAtStart(late, map[[2]any]bool{{"n1", int64(10)}: true}), "a disk fault at the start excuses it")
}

// A writable replica's ZRANGESTORE from a source its master gave a TTL
// may replay from its AOF otherwise than it ran (sweep seed 45348): its
// destination is left out; other keys, or a source with no TTL, are not.
func TestCleanRestartLeavesOutReplayedReadsOfExpiredSources(t *testing.T) {
	aof := Persistence{AppendOnly: true, AppendFsync: "everysec"}
	exits := []CleanExit{{Node: "n3", At: 100, AOF: true, Data: []tap.KeyValue{{Key: "k", Value: "1"}}}}
	loaded := []tap.KeyValue{{Key: "k", Value: "1"}, {Key: "z7", Type: tap.TypeZset, Value: "a"}}
	restarts := []Restart{{Node: "n3", CrashAt: 100, RestartAt: 200, Persistence: aof, Loaded: loaded}}
	store := Op{Node: "n3", Kind: OpCmd, Key: "z7", Args: []string{"ZRANGESTORE", "z7", "z0", "-1", "-1"}, Int: 0, Call: 50, Return: 60}
	expire := Op{Node: "n1", Kind: OpExpire, Key: "z0", TTL: 1000, Int: 1, Call: 10, Return: 20}
	all := []Op{expire, store}
	assert.Empty(t, CheckCleanRestarts(exits, restarts, nil, []Op{store}, all))
	require.Len(t, CheckCleanRestarts(exits, restarts, nil, nil, all), 1, "not a local write")
	require.Len(t, CheckCleanRestarts(exits, restarts, nil, []Op{store}, []Op{store}), 1, "its source never had a TTL")
	other := restarts[0]
	other.Loaded = append([]tap.KeyValue{{Key: "j", Value: "2"}}, loaded...)
	require.Len(t, CheckCleanRestarts(exits, []Restart{other}, nil, []Op{store}, all), 1, "another key")
}
