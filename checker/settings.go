package checker

import "github.com/replsim/replsim/tap"

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

// during returns the settings node had at some instant of [from, to] while
// up, the ones in force at from first; ok is false when nothing is known
// of the node at from.
func (l settingsLog) during(node string, from, to int64) (out []SettingsChange, ok bool) {
	cs := l[node]
	cur := -1
	for i, c := range cs {
		if c.At > from {
			break
		}
		cur = i
	}
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
	cur := -1
	for i, c := range cs {
		if c.At > from {
			break
		}
		cur = i
	}
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
