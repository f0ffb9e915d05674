package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// Under DEBUG AOF-FLUSH-SLEEP <us>, Redis 7.0.15's flushAppendOnlyFile
// usleeps that long before it writes a non-empty AOF buffer, and
// beforeSleep flushes the AOF before it writes any reply (so that
// appendfsync always holds). A write's reply therefore leaves no sooner
// than the sleep after the write ran, which is after it was sent. The one
// exception is everysec's postponed write (a background fsync still
// running), which skips the sleep: the rule judges appendfsync always and
// no only, on a node whose AOF was on since it started and is not waiting
// for the rewrite that turns it on: a replica's full sync restarts its AOF
// that way, and a waiting AOF with no rewrite child buffers nothing (gate
// seeds 81287 and 92330: promoted replicas whose restarted AOF waited
// behind a BGSAVE).

// flushSleepWrite reports whether op surely added to its node's AOF
// buffer: a plain SET, INCR or MSET that succeeded.
func flushSleepWrite(op *Op) bool {
	switch op.Kind {
	case OpSet, OpIncr, OpMSet:
		return op.Acked()
	}
	return false
}

// flushSleepArg is the microseconds of a DEBUG AOF-FLUSH-SLEEP op, ok
// false for other ops.
func flushSleepArg(op *Op) (us int64, ok bool) {
	if len(op.Args) < 2 || !strings.EqualFold(op.Args[0], "DEBUG") || !strings.EqualFold(op.Args[1], "AOF-FLUSH-SLEEP") {
		return 0, false
	}
	if len(op.Args) == 3 {
		us, _ = strconv.ParseInt(op.Args[2], 10, 64)
	}
	return max(us, 0), true
}

// checkAOFFlushSleep flags a write answered sooner than the AOF flush
// sleep in force on its node allows.
func checkAOFFlushSleep(in BusyInput) []Violation {
	type setter struct {
		op *Op
		us int64
	}
	byNode := map[string][]setter{}
	var walk func(op *Op, node string)
	walk = func(op *Op, node string) {
		if us, ok := flushSleepArg(op); ok {
			byNode[node] = append(byNode[node], setter{op, us})
		}
		for i := range op.Sub {
			walk(&op.Sub[i], node)
		}
	}
	for i := range in.Ops {
		walk(&in.Ops[i], in.Ops[i].Node)
	}
	if len(byNode) == 0 {
		return nil
	}
	settings := newSettingsLog(in.Settings)
	waits := aofWaitLines(in.Lines)
	var out []Violation
	for i := range in.Ops {
		w := &in.Ops[i]
		if !flushSleepWrite(w) {
			continue
		}
		// The sleep in force: the last DEBUG AOF-FLUSH-SLEEP answered OK
		// before the write was sent, with no other one that may have run
		// after it sent before the write's reply.
		setters := byNode[w.Node]
		var set *setter
		for j := range setters {
			s := &setters[j]
			if s.op.Acked() && s.op.Reply == "OK" && s.op.Return < w.Call && (set == nil || s.op.Call > set.op.Call) {
				set = s
			}
		}
		if set == nil || set.us <= 0 {
			continue
		}
		clear := true
		for j := range setters {
			s := &setters[j]
			if s != set && s.op.Call < w.Return && (s.op.Unknown || s.op.Return >= set.op.Call) {
				clear = false
			}
		}
		if !clear || !aofOnSinceStart(settings[w.Node], set.op.Call, w.Return) {
			continue
		}
		if _, waiting := aofWaitingAt(waits[w.Node], w.Call); waiting {
			continue
		}
		if _, waiting := aofWaitingAt(waits[w.Node], w.Return); waiting {
			continue
		}
		drift := int64(0)
		for _, s := range in.Clocks[w.Node].Segments {
			if s.From < w.Return {
				drift = max(drift, s.DriftPPM)
			}
		}
		ns := set.us*1000*1_000_000/(1_000_000+drift) - 1e6
		if ns <= 0 || w.Return-w.Call >= ns {
			continue
		}
		out = append(out, Violation{Check: PropLiveness, At: w.Return, Nodes: []string{w.Node}, Ops: []OpRef{w.Ref()},
			Detail: fmt.Sprintf("client %d's %s on %s was answered %s after it was sent, under DEBUG AOF-FLUSH-SLEEP %d (client %d's, answered at %s) with appendonly yes: the AOF write before its reply sleeps %dus",
				w.Client, strings.Join(w.Args, " "), w.Node, seconds(w.Return-w.Call), set.us, set.op.Client, seconds(set.op.Return), set.us)})
	}
	return out
}

// aofOnSinceStart reports whether the node of cs (its settings changes,
// in time order) ran one incarnation with appendonly yes and appendfsync
// always or no over [from, to], and had appendonly yes since that
// incarnation started.
func aofOnSinceStart(cs []SettingsChange, from, to int64) bool {
	i := inForce(cs, from)
	if i < 0 {
		return false
	}
	for ; i >= 0 && !cs[i].Start; i-- {
		if !cs[i].AppendOnly {
			return false
		}
	}
	if i < 0 || !cs[i].AppendOnly {
		return false
	}
	for j := i; j < len(cs) && cs[j].At <= to; j++ {
		c := cs[j]
		if (j > i && c.Start) || c.Down || !c.AppendOnly || (c.AppendFsync != "always" && c.AppendFsync != "no") {
			return false
		}
	}
	return true
}
