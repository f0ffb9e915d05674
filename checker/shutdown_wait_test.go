package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShutdownWaits(t *testing.T) {
	exit := GracefulExit{Node: "n1", Call: 100, At: 200, ClockCall: 1000, ClockAt: 1050, TimeoutMs: 2000,
		ReplID: "r1", Offset: 50, Replicas: []string{"n2", "n3"}}
	chunks := []StreamChunk{
		{Node: "n2", ReplID: "r1", Start: 10, Data: make([]byte, 40), Replica: true, At: 150},
		{Node: "n3", ReplID: "r1", Start: 30, Data: make([]byte, 20), Replica: true, At: 190},
	}
	syncs := []FullSync{{Node: "n3", ReplID: "r1", Offset: 30, At: 120}}
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, chunks, syncs, nil), "both replicas applied offset 50 by the exit")

	late := append([]StreamChunk(nil), chunks...)
	late[1].At = 201 // n3 applies its last chunk after the master is gone
	v := CheckShutdownWaits([]GracefulExit{exit}, late, syncs, nil)
	require.Len(t, v, 1)
	assert.Equal(t, PropDurability, v[0].Check)
	assert.Contains(t, v[0].Detail, "n3 at offset 30")
	assert.NotContains(t, v[0].Detail, "n2 at")

	other := append([]StreamChunk(nil), chunks...)
	other[0].ReplID = "r0" // another history's bytes do not place n2: not judged
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, other, syncs, nil))
	otherLate := append([]StreamChunk(nil), other...)
	otherLate[1].At = 201 // but n3, placed, still is
	v = CheckShutdownWaits([]GracefulExit{exit}, otherLate, syncs, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "n3 at offset 30")

	restarted := []Restart{{Node: "n2", RestartAt: 50, Repl: tap.ReplStatus{ReplID: "r1", Offset: 50}}}
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, other, syncs, restarted), "n2 restarted from files holding offset 50")

	timedOut := exit
	timedOut.ClockAt = timedOut.ClockCall + timedOut.TimeoutMs
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{timedOut}, late, syncs, nil), "the timeout elapsed: Redis exits anyway")
}
