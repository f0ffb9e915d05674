package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
)

// A writable replica answers DEL of a key whose TTL passed with 1 (it kept
// the key for its master's DEL; redis-server 7.0.15), a master with 0
// (chaos seed 4022: the master clients' node, demoted to a writable
// replica, deleted their expired k2 and answered 1). A DEL that left a
// live key stays illegal there.
func TestLinearizableDelOnReplicaCountsExpiredKey(t *testing.T) {
	const ms = int64(time.Millisecond)
	ops := ids([]Op{
		{Client: 0, Node: "n1", Kind: OpSet, Key: "k", Value: "v", TTL: 100, Call: 0, Return: ms},
		{Client: 0, Node: "n1", Kind: OpDel, Key: "k", Int: 1, Call: 300 * ms, Return: 301 * ms},
	})
	asMaster := LinOptions{Timeout: time.Second}
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, asMaster).Result, "a master expires the key first")

	onReplica := asMaster
	onReplica.Settings = []SettingsChange{{At: 0, Node: "n1", Settings: tap.Settings{Replica: true}}}
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(ops, onReplica).Result)
	onReplica.Settings[0].At = 302 * ms
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, onReplica).Result, "a replica only after the DEL")

	onReplica.Settings[0].At = 0
	ops[1].Int, ops[1].Call, ops[1].Return = 0, 10*ms, 11*ms
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, onReplica).Result, "the key was live: DEL must count it")
}
