package checker

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/replsim/replsim/tap"
)

// NodeState is the final state of one node, as the checkers see it.
type NodeState struct {
	Name    string
	Repl    tap.ReplStatus
	Data    []tap.KeyValue
	Digest  string
	Crashed bool
	// Chain is the path of masters from this node upwards (its master,
	// that node's master, ...), as the harness resolved it; a chained
	// replica converges when its chain reaches the master.
	Chain []string
	// SyncedBySYNC says the replica's last full sync came through SYNC,
	// not PSYNC: its master refused PSYNC with an error (a replica with
	// replica-serve-stale-data no and its own link down answers
	// MASTERDOWN) and Redis's replica then retries with SYNC, which gives
	// it no replication ID or offset: its offsets count from -1 and can
	// never equal its master's. A documented Redis behaviour, reported as a
	// hazard; its data is still compared.
	// LastSyncBySYNC works it out.
	SyncedBySYNC bool
	// Local are the keys (DB and Key only, sorted) that may hold a value
	// a client wrote on the node while it was a writable replica
	// (LocalKeys): not its master's, so not compared.
	Local []tap.KeyValue
	// FlushallResume says the replica, or a node of its chain, resumed
	// across an RDB that FLUSHALL saved before propagating itself
	// (FlushallResume): a documented Redis divergence, so a difference in
	// data is reported as a hazard.
	FlushallResume string
	// StuckAOF names a node of its chain whose AOF write error nothing
	// will clear (StuckAOFWriteError): it refuses the replica's PING with
	// MISCONF, as Redis does, so the replica cannot sync from it; what
	// follows from that is reported as a hazard.
	StuckAOF string
}

// BySYNC reports whether the full sync came through SYNC (its PSYNC
// refused): Redis gives such a replica no offset, -1.
func (f *FullSync) BySYNC() bool { return f.Offset < 0 }

// LastSyncBySYNC reports whether node's replication offsets are numbered
// by a SYNC (NodeState.SyncedBySYNC): its last full sync came through SYNC,
// or from a master whose own were (a replica of a SYNC-synced replica
// takes that replica's offsets), and the node was neither promoted nor
// restarted since: a promotion gives it a replication ID and offset of its
// own, a restart starts it afresh (syncLineage, which the prefix check
// applies as it walks the events).
func LastSyncBySYNC(syncs []FullSync, proms []Promotion, restarts []Restart, node string) bool {
	return newSyncNumbering(syncs, proms, restarts).at(node, math.MaxInt)
}

// reaches reports whether the replica's chain of masters leads to name.
func (s NodeState) reaches(name string) bool {
	for _, n := range s.Chain {
		if n == name {
			return true
		}
	}
	return s.Repl.MasterHost == name
}

// CheckConvergence compares a replica with its master once the run has
// healed: the link must be up, the offsets equal, the replica on the
// master's history (replication ID) and the datasets identical.
func CheckConvergence(master, replica NodeState) []Violation {
	return CheckConvergenceWithin(master, replica, 0)
}

// CheckConvergenceWithin is CheckConvergence for a run that waited the
// given virtual time after healing; the detail says how long.
func CheckConvergenceWithin(master, replica NodeState, waited time.Duration) []Violation {
	var out []Violation
	m, r := master.Repl, replica.Repl
	where := func(v Violation) Violation {
		v.Check, v.Nodes, v.ReplID, v.Offsets = PropConvergence, []string{replica.Name, master.Name}, m.ReplID, []int64{r.Offset, m.Offset}
		return v
	}
	within := ""
	if waited > 0 {
		within = fmt.Sprintf(" within %v of healing", waited)
	}
	switch {
	case r.Role != "slave" || !replica.reaches(master.Name):
		follows := "is a master itself"
		if r.Role == "slave" {
			follows = "follows " + r.MasterHost
			if len(replica.Chain) > 1 {
				follows = "follows " + strings.Join(replica.Chain, " -> ")
			}
		}
		out = append(out, where(Violation{Detail: fmt.Sprintf(
			"liveness: replica %s %s, not master %s, after healing: link %s, offset %d, master offset %d",
			replica.Name, follows, master.Name, r.LinkState, r.Offset, m.Offset)}))
	case r.LinkUp && replica.SyncedBySYNC:
		v := where(Violation{Detail: fmt.Sprintf(
			"replica %s was last synced with SYNC after its master refused PSYNC, or from a replica that was (Redis then gives no replication offset): its offset %d cannot be compared with master %s's %d",
			replica.Name, r.Offset, master.Name, m.Offset)})
		v.Check = PropHazard
		out = append(out, v)
	case !r.LinkUp || r.Offset != m.Offset:
		behind := fmt.Sprintf("%d bytes behind", m.Offset-r.Offset)
		if m.Offset < r.Offset {
			behind = fmt.Sprintf("%d bytes ahead, on offsets its master never reached", r.Offset-m.Offset)
		}
		out = append(out, where(Violation{Detail: fmt.Sprintf(
			"liveness: replica %s did not catch up with master %s%s: link %s, replica offset %d, master offset %d (%s)",
			replica.Name, master.Name, within, linkDesc(r), r.Offset, m.Offset, behind)}))
	case r.ReplID != m.ReplID:
		out = append(out, where(Violation{Detail: fmt.Sprintf(
			"replica %s reached master %s's offset %d on another history: replication ID %s, master's %s",
			replica.Name, master.Name, r.Offset, short(r.ReplID), short(m.ReplID))}))
	}
	// The digests (DEBUG DIGEST) differ, yet the datasets may not: the
	// data render every zero score as 0, and Redis 7.0.15 keeps a -0
	// score only in a skiplist zset (a listpack drops the sign), so a
	// replica that loaded a master's skiplist zset as a listpack has
	// another digest for the same data (sweep seed 3303009: a replica
	// with a higher zset-max-listpack-entries). The data decide.
	defer func() {
		if replica.StuckAOF == "" {
			return
		}
		for i := range out {
			if out[i].Check == PropConvergence {
				out[i].Check = PropHazard
				out[i].Detail += fmt.Sprintf("; %s, upstream, has an AOF write error nothing will clear and refuses its replica's PING with MISCONF (a failed first rewrite dropped the data to retry)", replica.StuckAOF)
			}
		}
	}()
	if replica.Digest != master.Digest {
		want, got := master.Data, replica.Data
		note := ""
		if len(master.Local)+len(replica.Local) > 0 {
			want, got = withoutKeys(want, master.Local, replica.Local), withoutKeys(got, master.Local, replica.Local)
			note = fmt.Sprintf(" (leaving out %d keys written on a writable replica)", len(master.Local)+len(replica.Local))
		}
		if !kvsEqual(want, got) {
			v := where(Violation{Detail: fmt.Sprintf(
				"replica %s's dataset differs from master %s's at offset %d%s: %s",
				replica.Name, master.Name, r.Offset, note, DiffData(want, got, 5))})
			v.Keys = diffKeys(want, got, 5)
			if replica.FlushallResume != "" {
				v.Check = PropHazard
				v.Detail += "; " + replica.FlushallResume
			}
			out = append(out, v)
		}
	}
	return out
}

// withoutKeys returns data without the keys of the two lists.
func withoutKeys(data []tap.KeyValue, a, b []tap.KeyValue) []tap.KeyValue {
	drop := map[dbKey]bool{}
	for _, k := range append(append([]tap.KeyValue(nil), a...), b...) {
		drop[dbKey{k.DB, k.Key}] = true
	}
	out := make([]tap.KeyValue, 0, len(data))
	for _, kv := range data {
		if !drop[dbKey{kv.DB, kv.Key}] {
			out = append(out, kv)
		}
	}
	return out
}

func linkDesc(r tap.ReplStatus) string {
	if r.LinkUp {
		return "up"
	}
	return "down (" + r.LinkState + ")"
}

// DiffData describes up to max differing keys between two sorted datasets.
func DiffData(want, got []tap.KeyValue, max int) string {
	var diffs []string
	i, j := 0, 0
	show := func(kv *tap.KeyValue) string {
		if kv == nil {
			return "(missing)"
		}
		s := strconv.Quote(kv.Value)
		if kv.Type != "" {
			s = kv.Type + " " + describeValue(kv.Type, kv.Value)
		}
		if kv.ExpireAt != 0 {
			s += fmt.Sprintf(" (expires at %d)", kv.ExpireAt)
		}
		return s
	}
	add := func(db int, key string, w, g *tap.KeyValue) {
		diffs = append(diffs, fmt.Sprintf("db%d key %s: master %s, replica %s", db, key, show(w), show(g)))
	}
	less := func(a, b tap.KeyValue) bool { return a.DB < b.DB || (a.DB == b.DB && a.Key < b.Key) }
	for i < len(want) || j < len(got) {
		switch {
		case j >= len(got) || (i < len(want) && less(want[i], got[j])):
			add(want[i].DB, want[i].Key, &want[i], nil)
			i++
		case i >= len(want) || less(got[j], want[i]):
			add(got[j].DB, got[j].Key, nil, &got[j])
			j++
		default:
			if want[i] != got[j] {
				add(want[i].DB, want[i].Key, &want[i], &got[j])
			}
			i++
			j++
		}
	}
	total := len(diffs)
	if total > max {
		diffs = append(diffs[:max], fmt.Sprintf("(+%d more)", total-max))
	}
	return strings.Join(diffs, "; ")
}
