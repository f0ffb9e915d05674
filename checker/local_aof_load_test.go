package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/tap"
)

// A DEBUG LOADAOF on a writable replica makes it remember the TTLs its AOF
// sets, so it may delete those keys itself: they are not compared with its
// master's (chaos seed 30839). Not on a read-only replica, not for DEBUG
// RELOAD (an RDB load), and not keys with no TTL.
func TestLoadAOFOnWritableReplicaLeavesItsTTLKeysOut(t *testing.T) {
	writable := []SettingsChange{replicaSettings(0, true, false, true)}
	data := []tap.KeyValue{{Key: "k7", Value: "363", ExpireAt: 2839}, {DB: 1, Key: "d1:k7", Value: "683", ExpireAt: 1922}, {Key: "k1", Value: "x"}}
	loadaof := Reload{At: 100, Node: "n2", Args: []string{"DEBUG", "LOADAOF"}, Reply: "OK", Before: data, After: data}
	local := LocalWrites(LocalInput{Settings: writable, Reloads: []Reload{loadaof}})
	assert.Equal(t, []tap.KeyValue{{Key: "k7"}, {DB: 1, Key: "d1:k7"}, {DB: 1, Key: "k7"}}, LocalKeys(local, nil, "n2", 200))
	assert.Empty(t, LocalKeys(local, nil, "n2", 99), "not before the load")
	assert.Empty(t, LocalKeys(local, []FullSync{{At: 150, Node: "n2", Master: "n1"}}, "n2", 200), "a full sync forgets them")
	assert.Equal(t, []tap.KeyValue{{Key: "k7"}, {DB: 1, Key: "d1:k7"}, {DB: 1, Key: "k7"}},
		LocalKeys(local, []FullSync{{At: 150, Node: "n3", Master: "n2"}}, "n3", 200), "and hands them on")

	readOnly := []SettingsChange{replicaSettings(0, true, true, true)}
	assert.Empty(t, LocalWrites(LocalInput{Settings: readOnly, Reloads: []Reload{loadaof}}), "a read-only replica remembers nothing")
	reload := loadaof
	reload.Args = []string{"DEBUG", "RELOAD"}
	assert.Empty(t, LocalWrites(LocalInput{Settings: writable, Reloads: []Reload{reload}}), "an RDB load sets TTLs with no client")

	// The convergence check then passes where the replica deleted them, and
	// still fails on a key with no TTL.
	master := NodeState{Name: "n2", Repl: tap.ReplStatus{Role: "master", ReplID: "r", Offset: 10}, Data: data[2:], Digest: "a",
		Local: LocalKeys(local, nil, "n2", 200)}
	replica := NodeState{Name: "n1", Repl: tap.ReplStatus{Role: "slave", MasterHost: "n2", LinkUp: true, ReplID: "r", Offset: 10}, Data: data, Digest: "b"}
	assert.Empty(t, CheckConvergence(master, replica))
	replica.Data = append(replica.Data, tap.KeyValue{Key: "k2", Value: "y"})
	tap.SortKeyValues(replica.Data)
	assert.Len(t, CheckConvergence(master, replica), 1)
	master.Local = nil
	replica.Data = data
	assert.Len(t, CheckConvergence(master, replica), 1, "without the load the keys are compared")
}

// A writable replica restarted from its AOF remembers the TTLs it loaded
// (redis-server 7.0.15: with its master out of reach it expired them); a
// restart from an RDB file, or as a master, does not.
func TestRestartFromAOFOnWritableReplicaLeavesItsTTLKeysOut(t *testing.T) {
	loaded := []tap.KeyValue{{Key: "k7", Value: "1", ExpireAt: 50}, {Key: "k1", Value: "x"}}
	start := func(aof bool) []SettingsChange {
		return []SettingsChange{replicaSettings(0, true, false, true), {At: 10, Node: "n2", Down: true},
			{At: 20, Node: "n2", Start: true, Settings: tap.Settings{Replica: true, AppendOnly: aof}}}
	}
	restart := Restart{Node: "n2", CrashAt: 10, RestartAt: 20, Persistence: Persistence{AppendOnly: true}, Loaded: loaded,
		Repl: tap.ReplStatus{Role: "slave", MasterHost: "n1"}}
	local := LocalWrites(LocalInput{Settings: start(true), Restarts: []Restart{restart}})
	assert.Equal(t, []tap.KeyValue{{Key: "k7"}}, LocalKeys(local, nil, "n2", 30))
	assert.Empty(t, LocalWrites(LocalInput{Settings: start(false), Restarts: []Restart{restart}}), "an RDB start")
	restart.Repl.Role = "master"
	assert.Empty(t, LocalWrites(LocalInput{Settings: start(true), Restarts: []Restart{restart}}), "a master")
}

// A key given a TTL before the load, by any client, may have had it at
// some command of the AOF's replay though not before or after it (seed
// 61847): the writable replica remembers it too. One given a TTL only
// after the load is not.
func TestLoadAOFRemembersKeysGivenATTLDuringTheReplay(t *testing.T) {
	writable := []SettingsChange{replicaSettings(0, true, false, true)}
	loadaof := Reload{At: 100, Node: "n2", Args: []string{"DEBUG", "LOADAOF"}, Reply: "OK"}
	ops := []Op{
		{Node: "n1", Kind: OpExpire, Key: "k5", TTL: 500, Call: 40, Return: 41},
		{Node: "n1", Kind: OpDel, Key: "k5", Call: 50, Return: 51},
		{Node: "n1", Kind: OpSet, Key: "k6", Value: "x", TTL: 500, Call: 150, Return: 151},
	}
	local := LocalWrites(LocalInput{Ops: ops, Settings: writable, Reloads: []Reload{loadaof}})
	assert.Equal(t, []tap.KeyValue{{Key: "k5"}}, LocalKeys(local, nil, "n2", 200))
}
