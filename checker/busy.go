package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// A node in DEBUG SLEEP serves nobody: Redis is blocked in the command, so
// nothing runs on it until the sleep ends, neither another client's write
// nor its master's stream. The spell starts after the DEBUG SLEEP was
// sent and ends before its reply came, so when the reply took less than
// twice the sleep, the spell surely covers [reply - sleep, call + sleep]:
// no command may run on the node in there.

// BusyInput is what the busy check reads.
type BusyInput struct {
	// Ops are all clients' operations, with the nodes that served them.
	Ops []Op
	// Chunks are every node's replication stream: what ran on it.
	Chunks []StreamChunk
	// Clocks are the nodes' clocks: the sleep is counted on the node's
	// monotonic clock, which drifts with its wall clock but does not jump.
	Clocks Clocks
	// Settings are every node's settings over time: the AOF flush sleep
	// is judged on a node with the AOF on (busy_aof.go).
	Settings []SettingsChange
	// Lines are the nodes' log lines: they tell when an AOF waits for the
	// rewrite that turns it on (durability_wait.go).
	Lines []LogLine
}

// CheckBusy flags a command that ran on a node while DEBUG SLEEP surely
// kept it busy.
func CheckBusy(in BusyInput) []Violation {
	var out []Violation
	for i := range in.Ops {
		op := &in.Ops[i]
		lo, hi, ok := busySpell(op, in.Clocks[op.Node])
		if !ok {
			continue
		}
		for j := range in.Chunks {
			c := &in.Chunks[j]
			if c.Node != op.Node || c.At <= lo || c.At >= hi {
				continue
			}
			what := "propagated " + strconv.Quote(string(c.Data))
			if c.Replica {
				what = "applied " + strconv.Quote(string(c.Data)) + " from its master"
			}
			out = append(out, Violation{Check: PropLiveness, At: c.At, Nodes: []string{op.Node}, Ops: []OpRef{op.Ref()},
				Detail: fmt.Sprintf("%s %s at %s while client %d's %s (sent at %s, answered at %s) kept it busy from %s to %s at least",
					op.Node, what, seconds(c.At), op.Client, strings.Join(op.Args, " "), seconds(op.Call), seconds(op.Return), seconds(lo), seconds(hi))})
			break
		}
	}
	return append(out, checkAOFFlushSleep(in)...)
}

// busySpell is the part of the virtual time in which op, an answered
// DEBUG SLEEP, surely kept its node busy.
func busySpell(op *Op, clock NodeClock) (lo, hi int64, ok bool) {
	if len(op.Args) != 3 || !strings.EqualFold(op.Args[0], "DEBUG") || !strings.EqualFold(op.Args[1], "SLEEP") ||
		!op.Acked() || op.Reply != "OK" {
		return 0, 0, false
	}
	secs, err := strconv.ParseFloat(op.Args[2], 64)
	if err != nil || secs <= 0 {
		return 0, 0, false
	}
	// The node sleeps on its monotonic clock, as Redis's nanosleep: a
	// clock jump does not cut the sleep short, but a fast drift does.
	drift := int64(0)
	for _, s := range clock.Segments {
		if s.From <= op.Call {
			drift = s.DriftPPM
		} else if s.From < op.Return {
			drift = max(drift, s.DriftPPM)
		}
	}
	// The node counts whole milliseconds from a truncated reading.
	ns := int64(secs*1e3)*1e6*1_000_000/(1_000_000+max(drift, 0)) - 1e6
	lo, hi = op.Return-ns, op.Call+ns
	return lo, hi, lo < hi
}
