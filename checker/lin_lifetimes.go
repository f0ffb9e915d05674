package checker

import "sort"

// Lifetimes bound where a write with no reply may have taken effect. Its
// bytes went over one connection to one process of its node: only that
// process could run it, and a process that crashed or exited runs nothing
// more (the simulated network never hands a connection's bytes to a later
// process of the node). So a write sent before its node's process ended
// cannot have run in a master epoch that began after that end; such an
// epoch starts from an unknown state, which already covers it.
//
// Without Lifetimes (the zero value), acrossEpochs copies such a write into
// every later epoch of its node, as open-ended operations, and each copy
// doubles porcupine's search on the key: over a long run the copies piled
// up and the check grew much faster than the run (issue 11, Speed).
type Lifetimes struct {
	// Ends are the instants each node's process ended (crash, exit), in
	// time order.
	Ends map[string][]int64
	// EpochStarts are the instants master epochs began; an epoch missing
	// here bounds nothing.
	EpochStarts map[int]int64
	// Flushes are the instants an operator emptied each node's dataset
	// and loaded it back (DEBUG RELOAD): the data is unchanged, but every
	// watched key was touched.
	Flushes map[string][]int64
}

// ranBefore reports whether op, sent to its node, can only have run before
// epoch began: its node's process ended after op's call and no later than
// the epoch's start.
func (l Lifetimes) ranBefore(op *Op, epoch int) bool {
	start, ok := l.EpochStarts[epoch]
	if !ok {
		return false
	}
	ends := l.Ends[op.Node]
	i := sort.Search(len(ends), func(i int) bool { return ends[i] > op.Call })
	return i < len(ends) && ends[i] <= start
}
