package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBusySpellRunsNothing(t *testing.T) {
	const ms = int64(1e6)
	sleep := Op{Kind: OpRead, Mode: "EXPECT", Node: "n1", Client: 2, Args: []string{"DEBUG", "SLEEP", "0.1"},
		Reply: "OK", Value: "OK", Call: 1000 * ms, Return: 1120 * ms}
	// The spell surely covers [1120-99, 1000+99] ms.
	chunk := func(at int64, replica bool) StreamChunk {
		return StreamChunk{Node: "n1", At: at * ms, Data: []byte("*1\r\n$4\r\nPING\r\n"), Replica: replica}
	}
	in := BusyInput{Ops: []Op{sleep}, Chunks: []StreamChunk{chunk(1010, false), chunk(1105, false)}}
	assert.Empty(t, CheckBusy(in), "before and after the sure part")

	in.Chunks = append(in.Chunks, chunk(1050, true))
	v := CheckBusy(in)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "applied")
	assert.Contains(t, v[0].Detail, "DEBUG SLEEP 0.1")

	other := in
	other.Chunks = []StreamChunk{chunk(1050, false)}
	other.Chunks[0].Node = "n2"
	assert.Empty(t, CheckBusy(other), "another node runs freely")

	slow := in
	slow.Ops = []Op{sleep}
	slow.Ops[0].Return = 1300 * ms // answered too late to pin the spell down
	assert.Empty(t, CheckBusy(slow))

	jumped := in
	jumped.Clocks = Clocks{"n1": {Segments: []ClockSegment{{From: 0}, {From: 1030 * ms, Offset: 50 * ms}}}}
	v = CheckBusy(jumped)
	require.Len(t, v, 1, "a clock jump does not cut the sleep short: the node sleeps on its monotonic clock")
	assert.Contains(t, v[0].Detail, "applied")
}
