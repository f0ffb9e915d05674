package checker

import (
	"fmt"
	"slices"
	"time"
)

// DefaultEverysecWindow is how much acknowledged history appendfsync
// everysec may lose in a crash: Redis fsyncs once a second and, when the
// disk is slow, postpones the fsync up to one more second.
const DefaultEverysecWindow = 2 * time.Second

// DefaultNoFsyncWindow is the loss window of appendfsync no: the kernel
// writes dirty pages back within about 30 seconds.
const DefaultNoFsyncWindow = 30 * time.Second

// DurabilityInput is what the durability check reads.
type DurabilityInput struct {
	Restarts []Restart
	// Ops are the operations sent to masters.
	Ops       []Op
	FullSyncs []FullSync
	// EverysecWindow and NoFsyncWindow are the loss windows before a crash
	// of appendfsync everysec and no (defaults above).
	EverysecWindow time.Duration
	NoFsyncWindow  time.Duration
	// Clocks are the nodes' clocks: everysec counts seconds on the
	// master's own clock. A node missing here reads virtual time.
	Clocks Clocks
	// DiskFaults are the injected disk errors; an AOF write or fsync
	// failure voids the promise for what was not yet synced.
	DiskFaults []DiskFault
	// Pauses are the intervals in which a node's process was stopped
	// (SIGSTOP), in the order they began: everysec's fsync waits for the
	// process like everything else.
	Pauses []Pause
	// Settings are every node's settings over time: a write is promised
	// what the persistence in force while it ran promised
	// (durability_policy.go). Without them, the restart's Persistence
	// applies to every write.
	Settings []SettingsChange
	// Lines are every node's log lines: an AOF still waiting for the
	// rewrite that turns it on at the crash promised nothing
	// (durability_wait.go).
	Lines []LogLine
	// LocalWrites are client writes that may have run on a node while it
	// was a writable replica (replica-read-only no): they are not in any
	// master's history, but a node later promoted keeps their effect, so
	// they explain a value it comes back with.
	LocalWrites []Op
}

// CheckDurability checks what a master that crashed and restarted kept.
//
//   - appendonly yes, appendfsync always: no acknowledged write is lost;
//   - appendfsync everysec (no): only writes acknowledged within
//     EverysecWindow (NoFsyncWindow) of the crash may be lost, everysec
//     counted on the master's own clock (durability_window.go), and
//     both cut short by a failed AOF write or fsync, after which what
//     was not yet synced may be gone;
//   - RDB only: any write since the last snapshot may be lost, but no key
//     may come back with a value it never had;
//   - persistence off: the master restarts empty, as documented; if a
//     replica then resyncs from it, the replicas lose everything too. That
//     is the known hazard redis#2087 and it is flagged, never accepted.
//
// A key's value after the restart must be the effect of a write that no
// must-keep write strictly follows (one that started after it returned).
// durability_excuses.go lists exactly what is excused and why.
func CheckDurability(in DurabilityInput) []Violation {
	if in.EverysecWindow <= 0 {
		in.EverysecWindow = DefaultEverysecWindow
	}
	if in.NoFsyncWindow <= 0 {
		in.NoFsyncWindow = DefaultNoFsyncWindow
	}
	out := []Violation{}
	var masterWrites, allWrites *writeIndex // worked out at the first restart that needs them
	var waits map[string][]LogLine
	for i := range in.Restarts {
		r := &in.Restarts[i]
		if !r.WasMaster {
			continue
		}
		mine := func(op *Op) bool { return op.Node == r.Node && op.Epoch == r.Epoch && op.Call < r.CrashAt }
		if masterWrites == nil {
			masterWrites = newWriteIndex(in.Ops)
		}
		ws := masterWrites.epochByKey(r.Epoch, mine)
		if r.Persistence.Off() {
			out = append(out, hazard2087(r, ws, in.FullSyncs)...)
			continue
		}
		if readCorruptedAOF(in.DiskFaults, r) {
			continue // what it loaded promises nothing (durability_excuses.go)
		}
		log := newSettingsLog(in.Settings)
		if waits == nil {
			waits = aofWaitLines(in.Lines)
		}
		waitSince, waiting := aofWaitingAt(waits[r.Node], r.CrashAt)
		if allWrites == nil {
			allWrites = newWriteIndex(append(append([]Op(nil), in.Ops...), in.LocalWrites...))
		}
		// A key's writes called before the crash, of any master or node,
		// and the evictions at its instant: a master that exits on a
		// failed AOF write evicted first, in the command whose write
		// failed (seed 877), and the DEL may have reached the disk.
		all := func(key string) []write { return allWrites.keyBefore(key, r.CrashAt+1) }
		type promised struct {
			window int64
			policy string
		}
		promises := map[*Op]promised{}
		promiseOf := func(w write) promised {
			p, ok := promises[w.op]
			if !ok {
				p.window, p.policy = in.promise(log, r, w)
				if waiting && w.ret() >= waitSince && p.window >= 0 {
					p.window, p.policy = -1, policyWaitRewrite
				}
				promises[w.op] = p
			}
			return p
		}
		must := func(w write) bool {
			if !mine(w.op) || !w.op.Acked() || w.op.Kind == OpEvict {
				return false
			}
			switch p := promiseOf(w); {
			case p.window < 0:
				return false
			case p.window == 0:
				// appendfsync always writes and fsyncs before the reply
				// goes out, so every reply the process sent is for a write
				// on disk, one that reached its client after the crash
				// (in flight, or sent as the process exited) too.
				return true
			case p.policy == policyNo:
				return w.op.Return <= in.durableBy(r, w)-p.window
			default:
				return in.everysecSynced(r, w, in.durableBy(r, w), in.EverysecWindow)
			}
		}
		failedBefore := func(t int64) bool { return aofFailedBefore(in.DiskFaults, r.Node, t) }
		// A key loaded with a TTL already past on the node's clock is
		// gone for every reader: a write on a writable replica (a
		// demoted master) that gave it a past TTL left it in place
		// (checkAlreadyExpired is false with masterhost set: GETEX
		// EXAT past, PEXPIREAT past) where a master deletes it, and the
		// AOF keeps that PEXPIREAT (seed 87 of proc_signal).
		clock, ok := in.Clocks[r.Node]
		if !ok || !clock.Known() {
			clock = FixedClock(0, 0)
		}
		loadedAt, _ := clock.Range(r.RestartAt, r.RestartAt)
		for _, key := range sortedKeys(ws) {
			val, present := lookupLiveKV(r.Loaded, dbOf(ws[key]), key, loadedAt/int64(time.Millisecond))
			ok, lost := explained(baseDropped(all(key), must, failedBefore), must, present, val)
			if !ok {
				last := lost[len(lost)-1]
				p := promiseOf(last)
				d := fmt.Sprintf("master %s (%s) crashed at %s and came back with key %s = %s, losing the acknowledged write %s",
					r.Node, p.policy, seconds(r.CrashAt), key, showValue(val, present), last)
				if p.window > 0 {
					d += fmt.Sprintf(", acknowledged more than %v before the crash", time.Duration(p.window))
				}
				check := PropDurability
				if db, ok := selectDropped(in.DiskFaults, r, key, dbOf(ws[key]), last.op.Call); ok {
					check = PropHazard
					d += fmt.Sprintf("; the key came back in db %d instead: an AOF write or fsync failed on %s before the write, and the bytes it dropped may have held a SELECT, which Redis does not write again (aof_selected_db survives the failure), so later writes reload into another db", db, r.Node)
				} else if other, db, ok := misplacedElsewhere(in.DiskFaults, r, ws, last.op.Call); ok {
					check = PropHazard
					d += fmt.Sprintf("; key %s came back in db %d instead of its own: an AOF write or fsync failed on %s before the write, and the bytes it dropped may have held a SELECT, which Redis does not write again (aof_selected_db survives the failure), so this write too may have reloaded into another db, where it did nothing (a RENAME or DEL of a key that is not there)", other, db, r.Node)
				}
				out = append(out, Violation{Check: check, Detail: d,
					At: r.RestartAt, Nodes: []string{r.Node}, Keys: []string{key}, Ops: writeRefs(lost)})
				continue
			}
			rdbOnly := false
			for _, w := range ws[key] {
				rdbOnly = rdbOnly || promiseOf(w).window < 0
			}
			cands := baseDropped(all(key), must, failedBefore)
			if localTouched(in.LocalWrites, key, r.CrashAt) {
				// A client's write on a writable replica changed the key
				// there and not on its master: the master's relative
				// writes (APPEND, SETRANGE) that reached this node through
				// that replica applied to another value (seed 5914820:
				// APPEND k1 a on an absent k1 gave "a", length 4 on the
				// master).
				cands = anyLength(cands)
			}
			if rdbOnly && !anyExplains(cands, present, val) {
				out = append(out, Violation{Check: PropDurability, Detail: fmt.Sprintf(
					"master %s (%s) crashed at %s and came back with key %s = %s, a value no write ever gave it",
					r.Node, policyRDB, seconds(r.CrashAt), key, showValue(val, present)),
					At: r.RestartAt, Nodes: []string{r.Node}, Keys: []string{key}})
			}
		}
	}
	return out
}

// localTouched reports whether one of the local writes (client writes
// that may have run on a writable replica) named key before t.
func localTouched(local []Op, key string, t int64) bool {
	for i := range local {
		if local[i].Call <= t && slices.Contains(opKeys(&local[i]), key) {
			return true
		}
	}
	return false
}

// anyLength is ws with the relative writes' lengths forgotten: their
// result on a node whose value differed from the master's.
func anyLength(ws []write) []write {
	out := make([]write, len(ws))
	for i, w := range ws {
		if w.anyVal {
			w.length = -1
		}
		out[i] = w
	}
	return out
}

func anyExplains(ws []write, present bool, val string) bool {
	if !present {
		return true
	}
	for _, w := range ws {
		if w.explains(present, val) {
			return true
		}
	}
	return false
}

// hazard2087 flags replicas that resynced from a master that restarted
// with persistence off.
func hazard2087(r *Restart, ws map[string][]write, syncs []FullSync) []Violation {
	acked := 0
	for _, k := range sortedKeys(ws) {
		for _, w := range ws[k] {
			if w.op.Acked() {
				acked++
			}
		}
	}
	var out []Violation
	for _, f := range syncs {
		if f.Master != r.Node || f.At < r.RestartAt {
			continue
		}
		out = append(out, Violation{Check: PropHazard, Detail: fmt.Sprintf(
			"known hazard redis#2087: master with persistence off restarted empty and replicas resynced to empty: %s crashed at %s after %d acknowledged writes, restarted with %d keys, and replica %s resynced from it at %s, replacing its copy with %d keys",
			r.Node, seconds(r.CrashAt), acked, len(r.Loaded), f.Node, seconds(f.At), len(f.RDB))})
		break
	}
	return out
}
