package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSteadyAcksOnceASecond(t *testing.T) {
	const s = int64(1e9)
	in := SteadyInput{From: 10 * s, To: 13 * s, Links: []SteadyLink{{Replica: "n2", Master: "n1"}}}
	for _, at := range []int64{9 * s, 10*s + s/2, 11*s + s/2, 12*s + s/2} {
		in.Acks = append(in.Acks, AckReceipt{At: at, Master: "n1", Replica: "n2", Offset: 100})
	}
	assert.Empty(t, CheckSteadyAcks(in), "an ACK every second")

	// The replica stops acknowledging after its first ACK of the tail.
	stopped := in
	stopped.Acks = in.Acks[:2]
	v := CheckSteadyAcks(stopped)
	require.Len(t, v, 1)
	assert.Equal(t, PropLiveness, v[0].Check)
	assert.Contains(t, v[0].Detail, "took 1 REPLCONF ACKs")

	// ACKs from another replica, or to another master, are not its ACKs.
	other := in
	other.Acks = nil
	for _, a := range in.Acks {
		a.Replica = "n3"
		other.Acks = append(other.Acks, a)
	}
	assert.Len(t, CheckSteadyAcks(other), 1)

	// No ACK within ackGapMax of the tail's end is a violation too.
	late := in
	late.To = 14*s + s/2
	assert.Len(t, CheckSteadyAcks(late), 1)
}

func TestSteadyAckOffsetsKept(t *testing.T) {
	steady := SteadyInput{From: 10e9, To: 13e9, Links: []SteadyLink{{Replica: "n2", Master: "n1"}},
		Acks: []AckReceipt{{At: 11e9, Master: "n1", Replica: "n2", Offset: 90}, {At: 12e9, Master: "n1", Replica: "n2", Offset: 100}}}
	info := func(offset string) ReplInfoInput {
		return ReplInfoInput{Healed: true, Nodes: []ReplInfoNode{
			{Name: "n1", Port: 6379, Up: true, Info: "role:master\r\nslave0:ip=n2,port=6380,state=online,offset=" + offset + ",lag=0\r\n"},
			{Name: "n2", Port: 6380, Up: true, Info: "role:slave\r\n"}}}
	}
	at := func(offset string) SteadyInput {
		in := steady
		in.EndInfo = info(offset)
		return in
	}
	assert.Empty(t, CheckSteadyAckOffsets(at("100")))
	assert.Empty(t, CheckSteadyAckOffsets(at("120")), "a later ACK may raise it")
	v := CheckSteadyAckOffsets(at("0"))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "lists replica n2 at offset 0, but the replica acknowledged offset 100")
}
