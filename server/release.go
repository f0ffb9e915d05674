package server

import "runtime/debug"

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
