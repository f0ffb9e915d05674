package difftest

import (
	"slices"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// randomPop runs an SPOP, whose members each server chooses at random:
// the replies must agree in shape, each side's replication stream must
// propagate exactly the members it popped (SREM per member, MULTI/EXEC
// around several, or DEL when the set went), in the same shape as the
// other's; then both sides are realigned to Redis's remaining set.
func (r *Runner) randomPop(args []string) []byte {
	r.T.Helper()
	if r.diverged {
		r.Resync()
	}
	r.Checkpoint()
	r.Commands++
	r.segment = [][]string{args}
	ours, err := r.Ours.Do(args...)
	if err != nil {
		r.T.Fatalf("our node, command %s: %v", Quote(args), err)
	}
	theirs, err := r.Theirs.Do(args...)
	if err != nil {
		r.T.Fatalf("redis, command %s: %v", Quote(args), err)
	}
	if ok, why := Compare(Length, ours, theirs); !ok {
		r.mismatch(args, why, ours, theirs)
		return ours
	}
	if string(ours) == string(theirs) && !strings.HasPrefix(string(ours), "*") && !strings.HasPrefix(string(ours), "$") {
		r.Checkpoint() // an error or nothing popped: nothing to realign
		return ours
	}
	if r.OursStream != nil && r.TheirsStream != nil {
		r.comparePopStreams(args, ours, theirs)
	}
	r.realign(args[1])
	return ours
}

// comparePopStreams reads the segment the pop propagated on each side.
func (r *Runner) comparePopStreams(args []string, ours, theirs []byte) {
	r.T.Helper()
	if _, err := r.Ours.Do(Marker...); err != nil {
		r.T.Fatalf("our node, marker: %v", err)
	}
	if _, err := r.Theirs.Do(Marker...); err != nil {
		r.T.Fatalf("redis, marker: %v", err)
	}
	a, err := r.OursStream()
	if err != nil {
		r.T.Fatalf("our replication stream: %v", err)
	}
	b, err := r.TheirsStream()
	if err != nil {
		r.T.Fatalf("redis replication stream: %v", err)
	}
	a, b = NormalizeStream(a, false, &r.oursDB), NormalizeStream(b, false, &r.theirsDB)
	check := func(side string, reply []byte, cmds [][]string) {
		popped := popped(reply)
		var removed []string
		for _, c := range cmds {
			if len(c) == 3 && strings.EqualFold(c[0], "srem") {
				removed = append(removed, c[2])
			}
		}
		slices.Sort(popped)
		slices.Sort(removed)
		if len(removed) > 0 && !slices.Equal(popped, removed) {
			r.Mismatches++
			r.T.Errorf("%s propagated SREM of %q for an SPOP that popped %q (command #%d, seed %d)", side, removed, popped, r.Commands, r.Seed)
		}
	}
	check("our node", ours, a)
	check("redis", theirs, b)
	if ok, why := CompareStreams(maskMembers(a), maskMembers(b)); !ok {
		r.Mismatches++
		r.T.Errorf("replication streams of %s differ in shape (seed %d): %s\n  ours:   %q\n  theirs: %q", Quote(args), r.Seed, why, a, b)
	}
}

// popped lists the members an SPOP reply holds.
func popped(reply []byte) []string {
	v, _, err := resp.ParseValue(reply)
	if err != nil {
		return nil
	}
	if v.Kind == resp.BulkString && !v.Null {
		return []string{string(v.Str)}
	}
	var out []string
	for _, e := range v.Array {
		out = append(out, string(e.Str))
	}
	return out
}

// maskMembers hides the member of each SREM, which each server chose.
func maskMembers(cmds [][]string) [][]string {
	out := make([][]string, len(cmds))
	for i, c := range cmds {
		if len(c) == 3 && strings.EqualFold(c[0], "srem") {
			c = []string{c[0], c[1], "?"}
		}
		out[i] = c
	}
	return out
}

// realign makes key equal on both sides to Redis's copy: deleted, then
// (if Redis still has a set there) re-added with Redis's members and
// expiry; both sides run the same commands, so replies and streams are
// compared as usual.
func (r *Runner) realign(key string) {
	r.T.Helper()
	members, err := r.Theirs.Do("SMEMBERS", key)
	if err != nil {
		r.T.Fatalf("redis, SMEMBERS: %v", err)
	}
	expire, err := r.Theirs.Do("PEXPIRETIME", key)
	if err != nil {
		r.T.Fatalf("redis, PEXPIRETIME: %v", err)
	}
	r.Do("DEL", key)
	if m := popped(members); len(m) > 0 {
		r.Do(append([]string{"SADD", key}, m...)...)
		if v, _, err := resp.ParseValue(expire); err == nil && v.Int > 0 {
			r.Do("PEXPIREAT", key, string(resp.AppendInt(nil, v.Int)[1:len(resp.AppendInt(nil, v.Int))-2]))
		}
	}
	r.Checkpoint()
}
