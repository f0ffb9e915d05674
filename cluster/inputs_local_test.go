package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
)

// A replica reader's write on a writable replica and the master clients'
// command that moves its key (or a flush that removes the master's keys)
// are in two histories: the local keys come from both together (seed
// 3115: a reader's BRPOP l0 on writable n4 emptied its l0, then the
// master's BRPOPLPUSH l0 l5 pushed nothing into n4's l5).
func TestLocalWritesSpanBothHistories(t *testing.T) {
	h := New(sim.NewWorld(7), Options{})
	h.rec.settings = []checker.SettingsChange{{Node: "n4", Settings: tap.Settings{Replica: true, LinkUp: true}}}
	h.replicaOps = []checker.Op{
		{ID: 1, Client: 7, Node: "n4", Kind: checker.OpCmd, Key: "l0", Args: []string{"BRPOP", "l0", "0.2"}, Call: 10, Return: 20},
		{ID: 2, Client: 7, Node: "n4", DB: 1, Kind: checker.OpFlush, Call: 50, Return: 60},
	}
	h.masterOps = []checker.Op{
		{ID: 3, Client: 1, Node: "n2", Kind: checker.OpCmd, Key: "l0", Args: []string{"BRPOPLPUSH", "l0", "l5", "0.2"}, Call: 30, Return: 40},
		{ID: 4, Client: 1, Node: "n2", DB: 1, Kind: checker.OpSet, Key: "k1", Value: "v", Call: 1, Return: 2},
	}
	local := h.localWrites()
	assert.Contains(t, checker.LocalKeys(local, nil, "n4", 45), tap.KeyValue{Key: "l5"}, "the master's move from a local key")
	assert.Contains(t, checker.LocalKeys(local, nil, "n4", 70), tap.KeyValue{DB: 1, Key: "k1"}, "the local flush of the master's key")
	assert.Empty(t, checker.LocalKeys(local, nil, "n2", 70), "the master holds no local value")
}
