package cluster

import "github.com/replsim/replsim/checker"

// BusyInput is what the busy check (checker/busy.go) reads: all clients'
// operations, every node's stream and clocks.
func (h *Cluster) BusyInput(ops []checker.Op, clocks checker.Clocks) checker.BusyInput {
	return checker.BusyInput{Ops: ops, Chunks: h.rec.chunks, Clocks: clocks, Settings: h.rec.settings, Lines: h.rec.logs}
}
