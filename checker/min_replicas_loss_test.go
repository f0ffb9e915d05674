package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A master that lost its only replica takes no write, with
// min-replicas-to-write 1, until something recounts its good replicas.
func TestWritesAfterReplicaLoss(t *testing.T) {
	const s = int64(1e9)
	master := tap.Settings{MinReplicasToWrite: 1, MinReplicasMaxLag: 10}
	in := MinReplicasInput{
		Settings: []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: master}},
		Crons:    []ReplCronRun{{"n1", s}, {"n1", 2 * s}},
		Losses:   []ReplicaLoss{{Node: "n1", At: s + s/10, Msg: "Connection with replica n2:6379 lost.", Left: 0}},
	}
	taken := Op{ID: 7, Client: 1, Node: "n1", Kind: OpSet, Key: "k", Value: "v", Call: s + s/5, Return: s + s/4}
	in.Ops = []Op{taken}
	v := CheckWritesAfterReplicaLoss(in)
	require.Len(t, v, 1, "taken between the loss and the 2 s cron")
	assert.Equal(t, PropAccess, v[0].Check)
	assert.Contains(t, v[0].Detail, `after "Connection with replica n2:6379 lost." at 1.100000s left it 0 replicas, with min-replicas-to-write 1`)

	for name, change := range map[string]func(*MinReplicasInput){
		"refused":               func(in *MinReplicasInput) { in.Ops[0].Err = "NOREPLICAS Not enough good replicas to write." },
		"a read":                func(in *MinReplicasInput) { in.Ops[0].Kind = OpGet },
		"sent before the loss":  func(in *MinReplicasInput) { in.Ops[0].Call = s },
		"answered after a cron": func(in *MinReplicasInput) { in.Crons = []ReplCronRun{{"n1", s}, {"n1", s + s/5 + 1}} },
		"a cron in its instant": func(in *MinReplicasInput) { in.Crons = []ReplCronRun{{"n1", s + s/10}} },
		"a replica went online": func(in *MinReplicasInput) { in.Lines = []LogLine{{Node: "n1", At: s + s/5, Format: logSyncSucceeded}} },
		"enough replicas left":  func(in *MinReplicasInput) { in.Losses[0].Left = 1 },
		"min-replicas off":      func(in *MinReplicasInput) { in.Settings[0].Settings.MinReplicasMaxLag = 0 },
		"another node's write":  func(in *MinReplicasInput) { in.Ops[0].Node = "n3" },
		"settings changed since": func(in *MinReplicasInput) {
			in.Settings = append(in.Settings, SettingsChange{At: s + s/5, Node: "n1", Settings: master})
		},
	} {
		c := in
		c.Ops = []Op{taken}
		c.Crons = append([]ReplCronRun(nil), in.Crons...)
		c.Losses = append([]ReplicaLoss(nil), in.Losses...)
		c.Settings = append([]SettingsChange(nil), in.Settings...)
		change(&c)
		assert.Empty(t, CheckWritesAfterReplicaLoss(c), name)
	}
}
