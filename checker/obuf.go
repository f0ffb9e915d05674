package checker

import "fmt"

// ObufDrop is a master freeing one of its replicas for overcoming its
// client-output-buffer-limit, with what bounds that replica's output
// buffer at the moment.
type ObufDrop struct {
	At              int64
	Master, Replica string
	// Behind is how many bytes of the master's stream the replica had not
	// applied (the master's offset less the replica's, on the same
	// history), or -1 when they cannot be compared (the replica was on
	// another history, loading a snapshot, or following another master).
	// A replica's output buffer holds only stream it has not applied.
	Behind int64
	// The master's client-output-buffer-limit replica class and
	// repl-backlog-size then.
	Hard, Soft, SoftSeconds int64
	Backlog                 int64
}

// obufSlack covers the reply lines a replica's output buffer may hold
// beyond the stream (+CONTINUE and its replication ID).
const obufSlack = 64

// limit is the smallest output buffer that can get a replica dropped:
// the soft limit, or the hard limit, which Redis raises to the backlog
// size (a buffer the backlog could hold is no reason to drop a replica);
// 0 when neither is set.
func (d ObufDrop) limit() int64 {
	hard := d.Hard
	if hard != 0 && hard < d.Backlog {
		hard = d.Backlog
	}
	switch {
	case d.Soft == 0:
		return hard
	case hard == 0:
		return d.Soft
	}
	return min(hard, d.Soft)
}

// justified reports whether the replica may have been over its limit: it
// was behind by at least the limit, or by an unknown amount.
func (d ObufDrop) justified() bool {
	return d.Behind < 0 || d.Behind+obufSlack >= d.limit() && d.limit() > 0
}

// CheckObufDrops flags every replica a master dropped for its output
// buffer while that buffer could not have reached the limit: the replica
// was fewer bytes behind than the limit (Redis counts a replica's hard
// limit as at least repl-backlog-size).
func CheckObufDrops(drops []ObufDrop) []Violation {
	var out []Violation
	for _, d := range drops {
		if d.justified() {
			continue
		}
		out = append(out, Violation{Check: PropLiveness, At: d.At, Nodes: []string{d.Master, d.Replica}, Detail: fmt.Sprintf(
			"master %s dropped replica %s at %s for overcoming its output buffer limit, but the replica was only %d bytes behind, under the %d the limit allows (client-output-buffer-limit replica %d %d %d, repl-backlog-size %d: Redis raises a hard limit under the backlog size to it)",
			d.Master, d.Replica, seconds(d.At), d.Behind, d.limit(), d.Hard, d.Soft, d.SoftSeconds, d.Backlog)})
	}
	return out
}

// obufLoop returns the first drop of replica after the heal that the
// limit justified: a resync loop that such drops drive is Redis's known
// full-resync loop (a replica limit below the write rate), not a bug.
func obufLoop(drops []ObufDrop, replica string, healAt int64) (ObufDrop, bool) {
	for _, d := range drops {
		if d.Replica == replica && d.At > healAt && d.justified() {
			return d, true
		}
	}
	return ObufDrop{}, false
}
