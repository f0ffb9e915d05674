package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaitLatency(t *testing.T) {
	const ms = int64(1e6)
	ack := func(at int64, conn string, off int64) AckReceipt {
		return AckReceipt{At: at, Master: "n1", Replica: conn[:2], Conn: conn, Offset: off}
	}
	// WAIT 2 for offset 500 blocks at 10 ms; n2 acknowledges it at 11 ms,
	// n3 at 12 ms (an older ACK of n3's, below the offset, came first).
	acks := []AckReceipt{ack(5*ms, "n3:41", 400), ack(11*ms, "n2:40", 520), ack(12*ms, "n3:41", 520), ack(900*ms, "n2:40", 600)}
	wait := WaitAck{At: 12 * ms, Master: "n1", Client: 0, Offset: 500, Replicas: []string{"n2", "n3"},
		Conns: []string{"n2:40", "n3:41"}, Blocked: true, BlockedAt: 10 * ms, Want: 2}
	assert.Empty(t, CheckWaitLatency([]WaitAck{wait}, acks), "answered in the pass that took the second ACK")

	// Answered only at its 100 ms timeout, with the same count.
	late := wait
	late.At = 110 * ms
	v := CheckWaitLatency([]WaitAck{late}, acks)
	require.Len(t, v, 1)
	assert.Equal(t, PropLiveness, v[0].Check)
	assert.Contains(t, v[0].Detail, "at 0.012000s")

	// Timed out short of its count: nothing to say.
	short := late
	short.Conns, short.Replicas = []string{"n2:40"}, []string{"n2"}
	assert.Empty(t, CheckWaitLatency([]WaitAck{short}, acks))

	// WAIT 1 blocked at 20 ms though n2's ACK of 11 ms was in hand, and
	// answered at the next ACK.
	inHand := WaitAck{At: 900 * ms, Master: "n1", Offset: 500, Replicas: []string{"n2"}, Conns: []string{"n2:40"},
		Blocked: true, BlockedAt: 20 * ms, Want: 1}
	v = CheckWaitLatency([]WaitAck{inHand}, acks)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "in hand when it ran")

	// A WAIT that answered at once is not judged; nor are ACKs on another
	// connection of the same replica, or to another master.
	immediate := inHand
	immediate.Blocked = false
	assert.Empty(t, CheckWaitLatency([]WaitAck{immediate}, acks))
	other := inHand
	other.Conns = []string{"n2:77"}
	assert.Empty(t, CheckWaitLatency([]WaitAck{other}, acks))
	elsewhere := inHand
	elsewhere.Master = "n4"
	assert.Empty(t, CheckWaitLatency([]WaitAck{elsewhere}, acks))
}
