package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestQueueOrdersByTimeThenSequence: any schedule of events fires sorted by
// time, ties in scheduling order.
func TestQueueOrdersByTimeThenSequence(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		w := NewWorld(1)
		times := rapid.SliceOf(rapid.Int64Range(0, 50)).Draw(rt, "times")
		type fired struct {
			at  Time
			idx int
		}
		var got []fired
		for i, at := range times {
			i, at := i, at
			w.At(at, EventFunc(func(w *World) {
				require.Equal(rt, at, w.Now())
				got = append(got, fired{at, i})
			}))
		}
		for w.Step() {
		}
		require.Len(rt, got, len(times))
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			require.True(rt, a.at < b.at || (a.at == b.at && a.idx < b.idx), "%v before %v", a, b)
		}
	})
}

func TestAtNeverSchedulesInThePast(t *testing.T) {
	w := NewWorld(1)
	w.At(10, EventFunc(func(w *World) {
		w.At(3, EventFunc(func(w *World) { assert.Equal(t, Time(10), w.Now()) }))
	}))
	for w.Step() {
	}
	assert.Equal(t, uint64(2), w.Fired())
}

func TestRunUntilStopsAtDeadlineAndCondition(t *testing.T) {
	w := NewWorld(1)
	count := 0
	for i := 1; i <= 10; i++ {
		w.At(Time(i)*Second, EventFunc(func(*World) { count++ }))
	}
	w.RunUntil(5*Second, nil)
	assert.Equal(t, 5, count)
	assert.Equal(t, 5*Second, w.Now())
	w.RunUntil(100*Second, func() bool { return count == 7 })
	assert.Equal(t, 7, count)
	w.RunUntil(100*Second, nil)
	assert.Equal(t, 10, count)
	assert.Equal(t, 100*Second, w.Now(), "the clock advances to the deadline when events run out")
}

func TestRandStreamsAreIndependentAndSeeded(t *testing.T) {
	a := NewWorld(7)
	b := NewWorld(7)
	b.Rand("other").Uint64() // a new consumer must not shift existing streams
	for i := 0; i < 10; i++ {
		assert.Equal(t, a.Rand("net").Uint64(), b.Rand("net").Uint64())
	}
	assert.NotEqual(t, NewRand(7, "x").Uint64(), NewRand(8, "x").Uint64())
	assert.NotEqual(t, NewRand(7, "x").Uint64(), NewRand(7, "y").Uint64())
	r := NewRand(1, "between")
	for i := 0; i < 1000; i++ {
		v := r.Between(3, 5)
		require.True(t, v >= 3 && v <= 5)
	}
	assert.Equal(t, int64(4), r.Between(4, 4))
}

func TestTraceHashIsFNVOverLines(t *testing.T) {
	var tr Trace = newTrace()
	tr.Keep = true
	tr.Line(1500*Millisecond + 42*Microsecond).S("net data ").I(-3).S(" ").U(7).S(" ").Q([]byte("a\r\n")).End()
	require.Equal(t, []string{`1.500042 net data -3 7 "a\r\n"`}, tr.Lines())
	// FNV-1a 64 of the line plus '\n', computed independently.
	h := uint64(14695981039346656037)
	for _, c := range []byte(tr.Lines()[0] + "\n") {
		h ^= uint64(c)
		h *= 1099511628211
	}
	assert.Equal(t, h, tr.Hash())
	assert.Len(t, tr.HashHex(), 16)
	assert.Equal(t, uint64(1), tr.Count())

	long := newTrace()
	long.Keep = true
	long.Line(0).Q(make([]byte, 100)).End()
	assert.Contains(t, long.Lines()[0], `..."`[:3])
}

func BenchmarkScheduleAndFire(b *testing.B) {
	w := NewWorld(1)
	ev := EventFunc(func(*World) {})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.After(Time(i%100), ev)
		if w.Pending() > 64 {
			w.Step()
		}
	}
}

func BenchmarkTraceLine(b *testing.B) {
	w := NewWorld(1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.Log().S("net data #").U(uint64(i)).S("->#").U(7).S(" 21B").End()
	}
}
