package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testEpoch = int64(1_767_225_600) * 1e9

// ttlWorld is master n1 setting k1 with an absolute expiry of the epoch
// plus 1s (by its clock), applied by replica n2 at once.
func ttlWorld() *world {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "v", "PXAT", "1767225601000")))
	return w
}

// readAt records a GET on n2 over the virtual interval [call, ret] (ns).
func (w *world) readAt(call, ret int64, val string, exists bool) {
	w.in.Reads = append(w.in.Reads, Op{ID: len(w.in.Reads), Client: 9, Node: "n2", Kind: OpGet, Key: "k1",
		Call: call, Return: ret, Exists: exists, Result: val})
}

// A replica whose clock runs ahead hides a key its master still has, and
// one whose clock runs behind still shows a key its master expired: both
// are what Redis replicas do, judged on the replica's own clock.
func TestPrefixExpiryOnReplicaClock(t *testing.T) {
	w := ttlWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch+2e9, 0)}
	w.readAt(0.5e9, 0.6e9, "", false)
	assert.Empty(t, CheckPrefix(w.in).Violations)

	w = ttlWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch-2e9, 50)}
	w.readAt(2.5e9, 2.6e9, "v", true)
	assert.Empty(t, CheckPrefix(w.in).Violations)
}

// The clock is exact, not a slack: a replica whose clock has not reached
// the expiry must show the key, and one past it must not.
func TestPrefixExpiryIsExact(t *testing.T) {
	w := ttlWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch, 0)}
	w.readAt(0.5e9, 0.6e9, "", false)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `replica n2 answered GET k1 with (nil)`)

	w = ttlWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch+2e9, 0)}
	w.readAt(0.5e9, 0.6e9, "v", true)
	assert.Len(t, CheckPrefix(w.in).Violations, 1)
}

// Redis expires a key once now > when: at exactly its expiry millisecond
// it is still there.
func TestPrefixExpiryBoundaryMillisecond(t *testing.T) {
	w := ttlWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch, 0)}
	w.readAt(1e9, 1e9+999_999, "v", true)
	w.readAt(1e9, 1e9+999_999, "", false)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `with (nil)`)
}

// A clock jump during the read counts; one after it does not.
func TestPrefixExpiryAcrossClockJump(t *testing.T) {
	jumped := NodeClock{Segments: []ClockSegment{{Offset: testEpoch}, {From: 0.6e9, Offset: testEpoch + 5e9}}}
	w := ttlWorld()
	w.in.Clocks = Clocks{"n2": jumped}
	w.readAt(0.5e9, 0.7e9, "", false)
	w.readAt(0.5e9, 0.7e9, "v", true)
	assert.Empty(t, CheckPrefix(w.in).Violations)

	w = ttlWorld()
	w.in.Clocks = Clocks{"n2": jumped}
	w.readAt(0.3e9, 0.4e9, "", false)
	assert.Len(t, CheckPrefix(w.in).Violations, 1)
}

// Only the part of the read during which the replica held a state counts
// for that state: a key overwritten without a TTL mid-read was not subject
// to the later clock reading.
func TestPrefixExpiryUsesTimeAtEachOffset(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "v", "PXAT", "1767225601000")))
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch, 0)}
	c := w.write("n1", "R", cmd("SET", "k1", "w"))
	w.in.Chunks = append(w.in.Chunks, StreamChunk{Seq: w.seq + 1, At: 1.5e9, Node: "n2", ReplID: "R", Start: c.Start, Data: c.Data, Replica: true})
	// Until 1.5s n2 held "v" (expiring at 1s): hidden from 1.001s on.
	w.readAt(1.2e9, 2e9, "", false)
	assert.Empty(t, CheckPrefix(w.in).Violations)
	w.readAt(0.2e9, 0.4e9, "", false)
	assert.Len(t, CheckPrefix(w.in).Violations, 1)
}

func TestNodeClockRange(t *testing.T) {
	c := FixedClock(100, 100) // +100 ppm
	lo, hi := c.Range(1e9, 2e9)
	assert.Equal(t, int64(1e9+100+1e5), lo)
	assert.Equal(t, int64(2e9+100+2e5), hi)

	c = FixedClock(0, -100)
	lo, hi = c.Range(1e6, 1e6)
	assert.Equal(t, int64(1e6-100), lo)
	assert.Equal(t, lo, hi)

	back := NodeClock{Segments: []ClockSegment{{Offset: 10e9}, {From: 5e9, Offset: 0}}}
	lo, hi = back.Range(4e9, 6e9) // 14s just before the jump, 5s right after
	assert.Equal(t, int64(5e9), lo)
	assert.Equal(t, int64(15e9), hi)
	lo, hi = back.Range(6e9, 7e9)
	assert.Equal(t, int64(6e9), lo)
	assert.Equal(t, int64(7e9), hi)
	lo, hi = back.Range(1e9, 2e9)
	assert.Equal(t, int64(11e9), lo)
	assert.Equal(t, int64(12e9), hi)

	lo, hi = back.Deviation(0, 10e9, 0)
	assert.Equal(t, int64(0), lo)
	assert.Equal(t, int64(10e9), hi)
}
