package checker

import (
	"sort"

	"github.com/replsim/replsim/tap"
)

// SettingsChange is a node's settings (tap.Settings: its replica link,
// replica-read-only, replica-serve-stale-data and persistence) from At on.
// The harness records one whenever they change on a live node, when the
// node starts (Start) and when it goes down (Down, with empty settings).
// Settings change only while the node processes an event (a command, a
// packet, a tick), so the record is exact at that grain.
type SettingsChange struct {
	At    int64
	Node  string
	Start bool
	Down  bool
	tap.Settings
	// OffsetBefore and OffsetAfter bound the node's master_repl_offset
	// when the change took effect: its offset at the end of its previous
	// event and at the end of the event that changed them.
	OffsetBefore, OffsetAfter int64
}

// settingsLog is every node's settings over time, by node, in time order.
type settingsLog map[string][]SettingsChange

func newSettingsLog(changes []SettingsChange) settingsLog {
	out := settingsLog{}
	for _, c := range changes {
		out[c.Node] = append(out[c.Node], c)
	}
	return out
}

// inForce is the index of the change in force at t among cs (in time
// order), -1 if none is: a binary search, as the checks ask once per
// operation and a long run has many changes.
func inForce(cs []SettingsChange, t int64) int {
	return sort.Search(len(cs), func(i int) bool { return cs[i].At > t }) - 1
}

// nextWhere indexes, for each node's change i, the first change j >= i
// made while the node was up and with settings pred holds (len if none):
// what some needs to answer in constant time after its binary search.
func (l settingsLog) nextWhere(pred func(tap.Settings) bool) map[string][]int {
	out := make(map[string][]int, len(l))
	for node, cs := range l {
		next := make([]int, len(cs)+1)
		next[len(cs)] = len(cs)
		for i := len(cs) - 1; i >= 0; i-- {
			next[i] = next[i+1]
			if !cs[i].Down && pred(cs[i].Settings) {
				next[i] = i
			}
		}
		out[node] = next
	}
	return out
}

// some reports whether the predicate next indexes (nextWhere) held for
// node's settings at some instant of [from, to] while it was up; false
// when nothing is known of the node at from. It is during's answer
// without the list.
func (l settingsLog) some(node string, from, to int64, next map[string][]int) bool {
	cs := l[node]
	cur := inForce(cs, from)
	if cur < 0 {
		return false
	}
	j := next[node][cur]
	return j < len(cs) && (j == cur || cs[j].At <= to)
}

// during returns the settings node had at some instant of [from, to] while
// up, the ones in force at from first; ok is false when nothing is known
// of the node at from.
func (l settingsLog) during(node string, from, to int64) (out []SettingsChange, ok bool) {
	cs := l[node]
	cur := inForce(cs, from)
	if cur < 0 {
		return nil, false
	}
	if !cs[cur].Down {
		out = append(out, cs[cur])
	}
	for _, c := range cs[cur+1:] {
		if c.At > to {
			break
		}
		if !c.Down {
			out = append(out, c)
		}
	}
	return out, true
}

// throughout reports whether pred held for node's settings during all of
// [from, to] (and the node was up); false when nothing is known.
func (l settingsLog) throughout(node string, from, to int64, pred func(tap.Settings) bool) bool {
	cs := l[node]
	cur := inForce(cs, from)
	if cur < 0 {
		return false
	}
	for _, c := range cs[cur:] {
		if c.At > to {
			break
		}
		if c.Down || !pred(c.Settings) {
			return false
		}
	}
	return true
}

// startBefore is when node's process running at t started: its last
// Start change at or before t (0 if none is recorded).
func (l settingsLog) startBefore(node string, t int64) int64 {
	cs := l[node]
	for i := inForce(cs, t); i >= 0; i-- {
		if cs[i].Start {
			return cs[i].At
		}
	}
	return 0
}

// ever reports whether pred held for node's settings at some instant of
// [from, to] while it was up; true when nothing is known (so that a rule
// that needs pred never to hold does not judge).
func (l settingsLog) ever(node string, from, to int64, pred func(tap.Settings) bool) bool {
	ss, ok := l.during(node, from, to)
	if !ok {
		return true
	}
	for _, s := range ss {
		if pred(s.Settings) {
			return true
		}
	}
	return false
}
