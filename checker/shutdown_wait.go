package checker

import (
	"fmt"
	"strings"
)

// GracefulExit is a master leaving by a graceful SHUTDOWN (not NOW, not a
// crash) under a non-zero shutdown-timeout.
type GracefulExit struct {
	Node string
	// Call and At are the virtual times (ns) of the SHUTDOWN and of the
	// exit; ClockCall and ClockAt the master's own clock then (Unix ms),
	// which its deadline is counted on.
	Call, At           int64
	ClockCall, ClockAt int64
	TimeoutMs          int64
	// ReplID and Offset are the master's history at the exit.
	ReplID string
	Offset int64
	// Replicas are the nodes connected to the master at the exit, seen
	// from both ends: the master lists them and their own link to it is
	// up.
	Replicas []string
}

// CheckShutdownWaits checks what Redis 7.0 promises of a graceful
// shutdown: the master waits up to shutdown-timeout for its replicas to
// acknowledge its offset, so unless that time ran out, every replica
// connected at the exit has applied the master's whole stream (every write
// acknowledged before the SHUTDOWN with it) by then. A replica's applied
// offset is read from the stream it applied (chunks), the full syncs it
// loaded and the files it restarted from, not from what either node says.
func CheckShutdownWaits(exits []GracefulExit, chunks []StreamChunk, syncs []FullSync, restarts []Restart) []Violation {
	var out []Violation
	for _, e := range exits {
		if e.ClockAt-e.ClockCall >= e.TimeoutMs {
			continue // the timeout elapsed: Redis exits and logs the laggards
		}
		var behind []string
		for _, r := range e.Replicas {
			applied := int64(-1)
			for i := range chunks {
				c := &chunks[i]
				if c.Node == r && c.Replica && c.ReplID == e.ReplID && c.At <= e.At {
					applied = max(applied, c.End())
				}
			}
			for _, f := range syncs {
				if f.Node == r && f.ReplID == e.ReplID && f.At <= e.At {
					applied = max(applied, f.Offset)
				}
			}
			for _, x := range restarts {
				if x.Node == r && x.Repl.ReplID == e.ReplID && x.RestartAt <= e.At {
					applied = max(applied, x.Repl.Offset)
				}
			}
			// A replica on none of the recorded history (it resumed under
			// the master's secondary ID and applied nothing since, seed
			// 6447) cannot be placed: not judged.
			if applied >= 0 && applied < e.Offset {
				behind = append(behind, fmt.Sprintf("%s at offset %s", r, showOffset(applied)))
			}
		}
		if len(behind) == 0 {
			continue
		}
		out = append(out, Violation{Check: PropDurability, At: e.At, Nodes: append([]string{e.Node}, e.Replicas...),
			Detail: fmt.Sprintf("master %s shut down gracefully (SHUTDOWN at %s, shutdown-timeout %d s) and exited at %s, %d ms later on its clock, at offset %d of %s without waiting for its connected replicas: %s",
				e.Node, seconds(e.Call), e.TimeoutMs/1000, seconds(e.At), e.ClockAt-e.ClockCall, e.Offset, e.ReplID, strings.Join(behind, ", "))})
	}
	return out
}

func showOffset(o int64) string {
	if o < 0 {
		return "none of its history"
	}
	return fmt.Sprint(o)
}
