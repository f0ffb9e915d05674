// Package sim is the deterministic simulation kernel: a virtual clock, an
// event queue ordered by (virtual time, sequence number), RNG streams derived
// from one seed by name, and a trace of one-line event descriptions with a
// running 64-bit hash.
//
// Nothing in this package (or in the packages it drives) may read the real
// clock, start goroutines or use a global random source: a seed must replay
// byte for byte.
package sim

// Time is virtual time in nanoseconds since the start of the simulation.
type Time = int64

// Common durations in virtual nanoseconds.
const (
	Microsecond Time = 1000
	Millisecond Time = 1000 * Microsecond
	Second      Time = 1000 * Millisecond
)

// An Event happens at one virtual instant. Fire runs it; it may schedule
// further events and write trace lines.
type Event interface {
	Fire(w *World)
}

// EventFunc adapts a plain function to Event.
type EventFunc func(w *World)

// Fire calls f(w).
func (f EventFunc) Fire(w *World) { f(w) }

type queued struct {
	at  Time
	seq uint64
	ev  Event
}

// World owns virtual time, the event queue, the RNG streams and the trace.
type World struct {
	seed    uint64
	now     Time
	seq     uint64
	queue   eventQueue
	streams map[string]*Rand
	fired   uint64

	// Trace records every event line and keeps the running hash.
	Trace Trace
}

// NewWorld returns a world at virtual time zero for the given seed.
func NewWorld(seed uint64) *World {
	return &World{seed: seed, streams: make(map[string]*Rand), Trace: newTrace()}
}

// Seed returns the seed the world was made from.
func (w *World) Seed() uint64 { return w.seed }

// Now returns the current virtual time.
func (w *World) Now() Time { return w.now }

// Fired returns how many events have run.
func (w *World) Fired() uint64 { return w.fired }

// Pending returns how many events wait in the queue.
func (w *World) Pending() int { return len(w.queue) }

// At schedules ev at virtual time t (never before now).
func (w *World) At(t Time, ev Event) {
	if t < w.now {
		t = w.now
	}
	w.seq++
	w.queue.push(queued{at: t, seq: w.seq, ev: ev})
}

// After schedules ev d nanoseconds from now.
func (w *World) After(d Time, ev Event) { w.At(w.now+d, ev) }

// Step runs the next event. It returns false when the queue is empty.
func (w *World) Step() bool {
	if len(w.queue) == 0 {
		return false
	}
	it := w.queue.pop()
	w.now = it.at
	w.fired++
	it.ev.Fire(w)
	return true
}

// RunUntil runs events until the queue is empty, the next event lies after
// deadline, or stop (if non-nil) returns true after an event. It leaves the
// clock at deadline when it ran out of events before it.
func (w *World) RunUntil(deadline Time, stop func() bool) {
	for len(w.queue) > 0 && w.queue[0].at <= deadline {
		w.Step()
		if stop != nil && stop() {
			return
		}
	}
	if w.now < deadline && (len(w.queue) == 0 || w.queue[0].at > deadline) {
		w.now = deadline
	}
}
