package server

import (
	"runtime/debug"
	"runtime/metrics"
)

// releaseMemory hands the heap's free pages back to the OS. The node drops
// its transfer buffers (the RDB read at startup, the one a master sent for
// a full sync) as soon as the data is loaded, but Go's runtime returns the
// pages only minutes later; the server asks at once, so RSS after a load
// is the dataset's, not the dataset's plus the transfer's.
func releaseMemory() { debug.FreeOSMemory() }

// noteReplState releases memory when the replica has just loaded a full
// sync (its link went from transfer to connected). Loop only.
func (s *server) noteReplState(state string) {
	if s.lastReplState == "transfer" && state == "connected" {
		releaseMemory()
	}
	s.lastReplState = state
}

// idleRelease returns garbage to the OS once the server has been idle for
// a second: a burst of writes (a client loading a dataset, a huge
// pipeline) leaves the heap up to twice the live data until the next GC,
// which an idle server never runs, where Redis's allocator holds only
// what is live. It costs one GC per idle period, and only when the free
// heap is worth it.
type idleRelease struct {
	busy      bool // an event ran since the last tick
	idleTicks int
	samples   []metrics.Sample
}

// idleReleaseMin is the least free heap worth a GC on an idle server.
const idleReleaseMin = 16 << 20

func (r *idleRelease) event() { r.busy = true }

// tick is called hz times a second.
func (r *idleRelease) tick(hz int) {
	if r.busy {
		r.busy, r.idleTicks = false, 0
		return
	}
	r.idleTicks++
	if r.idleTicks != hz {
		return
	}
	if r.samples == nil {
		r.samples = []metrics.Sample{
			{Name: "/memory/classes/heap/free:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/gc/heap/live:bytes"},
		}
	}
	metrics.Read(r.samples)
	var v [4]uint64
	for i, s := range r.samples {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	// Garbage not yet collected still counts as objects: what the last
	// GC found live tells it apart.
	garbage := v[2] - min(v[2], v[3])
	if spare := v[0] + v[1] + garbage; spare >= idleReleaseMin && spare*4 >= v[3] {
		releaseMemory()
	}
}
