package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNoReplicas(t *testing.T) {
	const s = int64(1e9)
	master := tap.Settings{MinReplicasToWrite: 1, MinReplicasMaxLag: 2}
	in := MinReplicasInput{
		Settings: []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: master}},
		Clocks:   Clocks{"n1": FixedClock(0, 0)},
		Crons:    []ReplCronRun{{"n1", s}, {"n1", 2 * s}, {"n1", 3 * s}, {"n1", 4 * s}, {"n1", 5 * s}},
	}
	for _, at := range []int64{s + s/2, 2*s + s/2, 3*s + s/2, 4*s + s/2} {
		in.Acks = append(in.Acks, AckReceipt{At: at, Master: "n1", Replica: "n2", Conn: "n2:40", Offset: 100})
	}
	refused := Op{ID: 7, Client: 1, Node: "n1", Kind: OpSet, Key: "k", Value: "v", Call: 3*s + s/10, Return: 3*s + s/5,
		Err: "NOREPLICAS Not enough good replicas to write."}
	in.Ops = []Op{refused}
	v := CheckNoReplicas(in)
	require.Len(t, v, 1, "n2 acked every second from before the 3 s cron to after the reply")
	assert.Equal(t, PropAccess, v[0].Check)
	assert.Contains(t, v[0].Detail, "1 replicas ([n2])")

	// The refusal may have seen the 3 s recount: n2's first ACK came after it.
	early := in
	early.Acks = in.Acks[2:]
	assert.Empty(t, CheckNoReplicas(early))

	// Nothing shows the master still had n2 at the reply.
	gone := in
	gone.Acks = in.Acks[:2]
	assert.Empty(t, CheckNoReplicas(gone))

	// A 1.5 s silence with min-replicas-max-lag 1: the ACK of 1.5 s is two
	// whole seconds behind 3.1 s.
	lag1 := in
	lag1.Settings = []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{MinReplicasToWrite: 1, MinReplicasMaxLag: 1}}}
	lag1.Acks = []AckReceipt{in.Acks[0], in.Acks[2], in.Acks[3]}
	assert.Empty(t, CheckNoReplicas(lag1))

	// min-replicas-to-write 2 with one good replica; the master a replica
	// itself; the settings changed during the window: all rightly refused
	// or not judged.
	two := in
	two.Settings = []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{MinReplicasToWrite: 2, MinReplicasMaxLag: 2}}}
	assert.Empty(t, CheckNoReplicas(two))
	replica := in
	replica.Settings = append([]SettingsChange{}, in.Settings...)
	replica.Settings = append(replica.Settings, SettingsChange{At: 3 * s, Node: "n1", Settings: tap.Settings{Replica: true, MinReplicasToWrite: 1, MinReplicasMaxLag: 2}})
	assert.Empty(t, CheckNoReplicas(replica))

	// A write probe refused at 4.5 s (an operator's, at one instant) is
	// judged the same way; one at the instant of a cron run may have come
	// before it.
	probe := in
	probe.Ops = nil
	probe.WriteProbes = []WriteProbe{{Node: "n1", At: 4*s + s/4, Reply: "NOREPLICAS Not enough good replicas to write.", Refused: true}}
	require.Len(t, CheckNoReplicas(probe), 1)
	probe.WriteProbes[0].At = 4 * s
	probe.Acks = in.Acks[2:]
	assert.Empty(t, CheckNoReplicas(probe), "the 3 s cron is the last surely before it, and n2's first ACK came after")
}
