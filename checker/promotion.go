package checker

import (
	"fmt"
	"sort"
	"strings"
)

// PromotionInput is what the promotion check reads.
type PromotionInput struct {
	Promotions []Promotion
	// Ops are the operations sent to masters.
	Ops    []Op
	Chunks []StreamChunk
	Roles  []RoleChange
	// FullSyncs and Restarts replace a node's dataset: a write the
	// promoted node had applied before one of them is no longer promised.
	FullSyncs []FullSync
	Restarts  []Restart
	// Replicas is the number of replicas a master has; a WAIT answered
	// with at least this many covers every replica.
	Replicas int
	// WaitAcks say, for each returning WAIT, which replicas the master
	// counted. When a WAIT has one, it binds exactly those replicas.
	WaitAcks []WaitAck
	// LocalWrites are writes that may have run on writable replicas
	// (LocalWrites): a promoted node's key that may hold such a value
	// proves no loss.
	LocalWrites []Op
}

// PromotionResult is the outcome of the promotion check.
type PromotionResult struct {
	Violations []Violation
	// LostOnFailover counts writes the old master acknowledged that the
	// promoted node never received: Redis's documented behaviour with
	// asynchronous replication, reported but not a violation.
	LostOnFailover int
	// WaitCovered counts writes a WAIT confirmed on every replica before
	// a failover; none may be lost. WaitLost counts those lost all the
	// same (each a wait-durability violation).
	WaitCovered, WaitLost int
}

// CheckPromotion checks every SLAVEOF NO ONE:
//
//   - the promoted node keeps exactly the dataset it had;
//   - it starts a new replication ID, keeping the old one as its second ID
//     valid up to its offset + 1 (PSYNC2), so a history that diverged from
//     the old master's cannot be mistaken for its own;
//   - it takes nothing more from the old master's stream while it is master;
//   - it accepts writes (no READONLY);
//   - writes the old master acknowledged and the promoted node never got
//     are counted (LostOnFailover), but a write that a WAIT confirmed on
//     every replica must be there (check "wait-durability") if the
//     promoted node was one of them: it applied the master's stream
//     through the write, and neither a full resync nor a restart replaced
//     its dataset since. WAIT counts the replicas attached to the master
//     it runs on; a node that never synced from it (a replica whose link
//     never came up, a node promoted from elsewhere) was not asked, and
//     Redis promises nothing about it.
//
// That replicas pointed at the new master converge to it is the
// convergence check's job at the end of the run.
func CheckPromotion(in PromotionInput) PromotionResult {
	res := PromotionResult{Violations: []Violation{}}
	local := newTaints(in.LocalWrites, in.FullSyncs)
	var idx *opsIndex // worked out at the first promotion
	for i := range in.Promotions {
		p := &in.Promotions[i]
		add := func(check, d string) {
			res.Violations = append(res.Violations, Violation{Check: check, Detail: d, At: p.At, Nodes: []string{p.Node}})
		}
		if !kvsEqual(p.Before, p.After) {
			add(PropPromotion, fmt.Sprintf("%s did not keep its dataset when promoted at %s: %s",
				p.Node, seconds(p.At), relabel(DiffData(p.Before, p.After, 3), "before", "after")))
		}
		if p.Was.Role == "slave" {
			switch {
			case p.Now.ReplID == p.Was.ReplID:
				add(PropPromotion, fmt.Sprintf(
					"%s kept replication ID %s when promoted at %s (offset %d): a replica that followed the old master further can continue on %s's new, diverging history as if it were the same",
					p.Node, short(p.Now.ReplID), seconds(p.At), p.Now.Offset, p.Node))
			case p.Now.ReplID2 != p.Was.ReplID || p.Now.SecondOffset != p.Was.Offset+1:
				add(PropPromotion, fmt.Sprintf(
					"%s, promoted at %s, kept its old history %s up to offset %d as second ID %s up to %d: replicas of the old master cannot continue partially",
					p.Node, seconds(p.At), short(p.Was.ReplID), p.Was.Offset+1, short(p.Now.ReplID2), p.Now.SecondOffset))
			}
		}
		if idx == nil {
			idx = newOpsIndex(in)
		}
		until := roleEnds(in.Roles, p.Node, p.At)
		if c := idx.replicaChunkIn(in.Chunks, p.Node, p.At, p.Seq, until); c != nil {
			add(PropPromotion, fmt.Sprintf("%s, promoted at %s, still applied %s from a master at %s",
				p.Node, seconds(p.At), describeStream(c.Data), seconds(c.At)))
		}
		for _, j := range idx.readOnly {
			op := &in.Ops[j]
			// Only a write whose whole interval lies inside the mastership
			// must be accepted: one that straddles its end may arrive after.
			if op.Node == p.Node && op.Call >= p.At && op.Return < until {
				add(PropPromotion, fmt.Sprintf("%s, promoted at %s, refused a write at %s: %s",
					p.Node, seconds(p.At), seconds(op.Call), op.Describe()))
				break
			}
		}
		lost, covered, waitLost, vs := failoverLoss(in, p, local, idx)
		res.LostOnFailover += lost
		res.WaitCovered += covered
		res.WaitLost += waitLost
		res.Violations = append(res.Violations, vs...)
	}
	return res
}

// opsIndex is what the promotion check needs of the operations and the
// stream, worked out once for all promotions rather than once each: the
// writes, the positions of each epoch's operations, of the writes refused
// with READONLY, and of each node's chunks applied as a replica, all in
// their lists' order.
type opsIndex struct {
	writes        *writeIndex
	epochOps      map[int][]int
	readOnly      []int
	replicaChunks map[string][]int
	// chunksByTime says each node's replica chunks are in time order (as
	// recorded), so a binary search finds the first at or after an instant.
	chunksByTime bool
}

func newOpsIndex(in PromotionInput) *opsIndex {
	x := &opsIndex{writes: newWriteIndex(in.Ops), epochOps: map[int][]int{}, replicaChunks: map[string][]int{}, chunksByTime: true}
	for i := range in.Ops {
		op := &in.Ops[i]
		x.epochOps[op.Epoch] = append(x.epochOps[op.Epoch], i)
		if op.Writes() && strings.HasPrefix(op.Err, "READONLY") {
			x.readOnly = append(x.readOnly, i)
		}
	}
	for i := range in.Chunks {
		if c := &in.Chunks[i]; c.Replica {
			js := x.replicaChunks[c.Node]
			if len(js) > 0 && in.Chunks[js[len(js)-1]].At > c.At {
				x.chunksByTime = false
			}
			x.replicaChunks[c.Node] = append(js, i)
		}
	}
	return x
}

// replicaChunkIn is the first chunk (in list order) node applied as a
// replica after the event fromSeq at from and before until, nil if none.
// A chunk of the same instant counts only if it was recorded after that
// event (seed 3553: the heal's SLAVEOF NO ONE came just after the replica
// applied a SELECT, at one instant).
func (x *opsIndex) replicaChunkIn(chunks []StreamChunk, node string, from int64, fromSeq int, until int64) *StreamChunk {
	after := func(c *StreamChunk) bool { return c.At > from || (c.At == from && c.Seq > fromSeq) }
	js := x.replicaChunks[node]
	if x.chunksByTime {
		k := sort.Search(len(js), func(k int) bool { return chunks[js[k]].At >= from })
		for k < len(js) && !after(&chunks[js[k]]) {
			k++
		}
		if k < len(js) && chunks[js[k]].At < until {
			return &chunks[js[k]]
		}
		return nil
	}
	for _, j := range js {
		if c := &chunks[j]; after(c) && c.At < until {
			return c
		}
	}
	return nil
}

// roleEnds is when node stops being master after t (the end of time if
// never).
func roleEnds(roles []RoleChange, node string, t int64) int64 {
	// Roles are logged in the order they changed, so a demotion in the
	// same instant counts only after the promotion's own entry.
	promoted := false
	for _, r := range roles {
		if r.Node != node {
			continue
		}
		if r.At == t && r.Role == "master" {
			promoted = true
		}
		if r.Role != "master" && (r.At > t || (r.At == t && promoted)) {
			return r.At
		}
	}
	return 1<<63 - 1
}

// failoverLoss compares what the old master acknowledged in the epoch that
// ended with promotion p with the dataset the promoted node kept.
func failoverLoss(in PromotionInput, p *Promotion, local taints, idx *opsIndex) (lost, covered, waitLost int, out []Violation) {
	old := func(op *Op) bool { return op.Epoch == p.Epoch && op.Node != p.Node && op.Call < p.At }
	// Writes that may have run on the old master during its epoch: its own,
	// and any sent to the same node earlier whose effect may have come late
	// (held by a partition, no reply or a reply after the epoch began).
	masters := map[string]bool{}
	epochStart := int64(1<<63 - 1)
	for _, i := range idx.epochOps[p.Epoch] {
		if op := &in.Ops[i]; old(op) {
			masters[op.Node] = true
			epochStart = min(epochStart, op.Call)
		}
	}
	mayHaveRun := func(op *Op) bool {
		return old(op) || (masters[op.Node] && op.Epoch < p.Epoch && op.Call < p.At &&
			(op.Unknown || op.Return >= epochStart))
	}
	ws := idx.writes.calledBeforeByKey(p.At, mayHaveRun)
	// A key whose value is local to the promoted node, or was to an old
	// master during the epoch (a writable replica promoted keeps its local
	// values: its epoch's writes built on a value its replicas never had;
	// seed 53691: n3's reader's INCR k5 on writable n3, then, n3 promoted,
	// its MULTI's INCR k5 answered 520 and n2 held 571 = 519 + 52), is
	// not judged.
	// It is judged again once that master overwrote it blindly after
	// every local write to it had taken effect: what follows builds on a
	// value it replicated.
	mastersLocal := func(k dbKey, kw []write) bool {
		for m := range masters {
			if !local.has(m, k, epochStart, p.At) {
				continue
			}
			settled := local.settledBy(m, k, epochStart, p.At)
			overwritten := false
			for _, w := range kw {
				overwritten = overwritten || w.op.Node == m && old(w.op) && w.op.Call > settled && blindOverwrite(w)
			}
			if !overwritten {
				return true
			}
		}
		return false
	}
	for key, kw := range ws {
		if k := (dbKey{dbOf(kw), key}); local.has(p.Node, k, p.At, p.At) || mastersLocal(k, kw) {
			delete(ws, key)
		}
	}
	acked := func(w write) bool { return old(w.op) && w.op.Acked() && w.op.Kind != OpEvict && w.op.Return <= p.At }
	for _, key := range sortedKeys(ws) {
		val, present := lookupKV(p.Before, dbOf(ws[key]), key)
		if ok, l := explained(ws[key], acked, present, val); !ok {
			lost += len(l)
		}
	}
	// Writes covered by a WAIT that every replica answered.
	for _, i := range idx.epochOps[p.Epoch] {
		wt := &in.Ops[i]
		if wt.Kind != OpWait || !old(wt) || !wt.Acked() || wt.Return > p.At ||
			wt.Int < int64(wt.Replicas) || wt.Replicas < in.Replicas || wt.Replicas == 0 {
			continue
		}
		mustKeep := func(w write) bool {
			return old(w.op) && w.op.Client == wt.Client && w.op.Node == wt.Node && w.op.Acked() && w.op.Return <= wt.Call
		}
		var last, lastCall int64 = -1, -1
		for _, key := range sortedKeys(ws) {
			for _, w := range ws[key] {
				if mustKeep(w) && w.op.Return > last {
					last, lastCall = w.op.Return, w.op.Call
				}
			}
		}
		if last < 0 {
			continue
		}
		replid, off, ok := streamPosition(in.Chunks, wt.Node, last)
		var evidence string
		if bound, known := waitBinds(in, p, wt, off, ok, lastCall); known {
			if !bound {
				continue
			}
			evidence = fmt.Sprintf("%s counted %s among the replicas that acknowledged", wt.Node, p.Node)
		} else if !ok || !hadStream(in, p, replid, off) {
			continue
		} else {
			evidence = fmt.Sprintf("%s had applied %s's stream %s through offset %d", p.Node, wt.Node, short(replid), off)
		}
		for _, key := range sortedKeys(ws) {
			n := 0
			for _, w := range ws[key] {
				if mustKeep(w) {
					n++
				}
			}
			if n == 0 {
				continue
			}
			covered += n
			val, present := lookupKV(p.Before, dbOf(ws[key]), key)
			if ok, l := explained(ws[key], mustKeep, present, val); !ok {
				waitLost += len(l)
				out = append(out, Violation{Check: PropWaitDurability, Detail: fmt.Sprintf(
					"%s was promoted at %s with key %s = %s, losing %s, which %s on %s had confirmed on all %d replicas [%s..%s]; %s",
					p.Node, seconds(p.At), key, showValue(val, present), l[len(l)-1], wt.Describe(), wt.Node,
					in.Replicas, seconds(wt.Call), seconds(wt.Return), evidence),
					At: p.At, Nodes: []string{p.Node, wt.Node}, Keys: []string{key}, Ops: append(writeRefs(l), wt.Ref())})
			}
		}
	}
	return lost, covered, waitLost, out
}

// waitBinds says whether WAIT wt binds promoted node p: the master counted
// p among the replicas that acknowledged, and p's dataset was not replaced
// (full resync, restart) between that and its promotion. known is false
// when no record of the WAIT's count exists. A crash of p after the last
// covered write was called (at writeCall) unbinds it too: the ACK the
// master counted may have come from the process that crashed, read by a
// master that was busy or paused meanwhile (seed 5914780: n3 acknowledged,
// exited and restarted from older files before its paused master read
// the ACK and answered WAIT 2).
//
// The count covers only writes in the master's stream at offsets up to the
// one WAIT waited for (Redis's c->woff): streamOff is where the stream stood
// after the client's last write (ok false: the write was not in any stream,
// e.g. made before the first replica attached, when WAIT's offset is 0 and
// every online replica counts).
func waitBinds(in PromotionInput, p *Promotion, wt *Op, streamOff int64, ok bool, writeCall int64) (bound, known bool) {
	var ack *WaitAck
	for i := range in.WaitAcks {
		a := &in.WaitAcks[i]
		if a.Master == wt.Node && a.Client == wt.Client && a.At >= wt.Call && a.At <= wt.Return {
			ack = a
		}
	}
	if ack == nil {
		return false, false
	}
	if !ok || ack.Offset < streamOff {
		return false, true
	}
	counted := false
	for _, r := range ack.Replicas {
		counted = counted || r == p.Node
	}
	if !counted {
		return false, true
	}
	for i := range in.FullSyncs {
		if fs := &in.FullSyncs[i]; fs.Node == p.Node && fs.Seq > ack.Seq && fs.Seq < p.Seq {
			return false, true
		}
	}
	for i := range in.Restarts {
		if rs := &in.Restarts[i]; rs.Node == p.Node && (rs.Seq > ack.Seq || rs.CrashAt >= writeCall) && rs.Seq < p.Seq {
			return false, true
		}
	}
	return true, true
}

// streamPosition is where master node's replication stream stood at time
// t: the replication ID and end offset of the last chunk it produced by
// then. A write's chunk is produced before its reply leaves.
func streamPosition(chunks []StreamChunk, node string, t int64) (replid string, off int64, ok bool) {
	for i := range chunks {
		c := &chunks[i]
		if c.Node == node && !c.Replica && c.At <= t {
			replid, off, ok = c.ReplID, c.End(), true
		}
	}
	return replid, off, ok
}

// hadStream reports whether promoted node p held history replid through
// offset off when it was promoted: it applied that far (from its master's
// stream, or in a full resync's RDB) and no later full resync or restart
// replaced its dataset before the promotion.
func hadStream(in PromotionInput, p *Promotion, replid string, off int64) bool {
	had := -1
	for i := range in.Chunks {
		c := &in.Chunks[i]
		if c.Node == p.Node && c.Replica && c.ReplID == replid && c.End() >= off && c.Seq < p.Seq {
			had = max(had, c.Seq)
		}
	}
	replaced := -1
	for i := range in.FullSyncs {
		fs := &in.FullSyncs[i]
		if fs.Node != p.Node || fs.Seq > p.Seq {
			continue
		}
		if fs.ReplID == replid && fs.Offset >= off {
			had = max(had, fs.Seq)
		} else {
			replaced = max(replaced, fs.Seq)
		}
	}
	for i := range in.Restarts {
		rs := &in.Restarts[i]
		if rs.Node == p.Node && rs.Seq < p.Seq {
			replaced = max(replaced, rs.Seq)
		}
	}
	return had >= 0 && had > replaced
}

// blindOverwrite says w certainly ran and left its key holding a value
// with no TTL, or nothing, whatever the key held before (SET without
// KEEPTTL or an expiry, DEL, an MSET or MULTI of SETs).
func blindOverwrite(w write) bool {
	if !w.op.Acked() || w.relative || w.anyVal || w.anyInt || w.mayExpire {
		return false
	}
	switch w.op.Kind {
	case OpSet, OpSetGet, OpDel, OpGetDel, OpMulti, OpMSet:
		return true
	case OpSetNX, OpSetXX:
		return w.op.Int == 1
	}
	return false
}
