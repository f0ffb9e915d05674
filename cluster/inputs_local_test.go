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

// The same across histories for a RENAME (seed 1033220 on eb62315, before
// the one-call fix above: reader r2's INCR k3 on writable replica n3 made
// its k3 137 where the master's was 136, the master's INCRBY k3 -1 and
// RENAME k3 k1 reached n3, and r2's GET k1 read "136" where the master had
// "135"; prefix flagged it because the RENAME was in the master clients'
// history and the INCR in the readers').
func TestLocalWritesFollowAMasterRenameOfAReadersKey(t *testing.T) {
	h := New(sim.NewWorld(7), Options{})
	h.rec.settings = []checker.SettingsChange{{Node: "n3", Settings: tap.Settings{Replica: true, LinkUp: true}}}
	h.replicaOps = []checker.Op{
		{ID: 1, Client: 7, Node: "n3", Kind: checker.OpIncr, Key: "k3", Int: 1, Call: 10, Return: 20},
	}
	h.masterOps = []checker.Op{
		{ID: 2, Client: 1, Node: "n1", Kind: checker.OpIncr, Key: "k3", Int: -1, Call: 25, Return: 28},
		{ID: 3, Client: 1, Node: "n1", Kind: checker.OpRename, Key: "k3", Key2: "k1", Call: 30, Return: 40},
	}
	local := h.localWrites()
	assert.Contains(t, checker.LocalKeys(local, nil, "n3", 45), tap.KeyValue{Key: "k1"}, "the master's RENAME of the reader's local key")
	assert.Empty(t, checker.LocalKeys(local, nil, "n1", 45), "the master holds no local value")
}
