package checker

import (
	"fmt"
	"sort"
)

// PrefixInput is what the prefix-consistency check reads.
type PrefixInput struct {
	Chunks     []StreamChunk
	FullSyncs  []FullSync
	Promotions []Promotion
	Restarts   []Restart
	// Reads are the operations sent to replicas; answered reads are judged
	// (prefixRead: GET, EXISTS, TYPE, a registry read command).
	Reads []Op
	// MasterReads are the operations the master's clients sent: a read a
	// node answers while it is master must fit its own stream too (a
	// master that propagates a write as another command fails there).
	MasterReads []Op
	// Clocks are the nodes' clocks: a replica hides a key whose expiry
	// its own clock has passed, so expiry is judged on the clock the
	// replica had while the read ran.
	Clocks Clocks
	// For a node missing from Clocks: WallOffset turns virtual time into
	// its Unix clock (ns), and ClockSlack is how far (ns) that may be off.
	WallOffset int64
	ClockSlack int64
	// LocalWrites are writes that may have run on writable replicas
	// (LocalWrites): a replica's key that may hold such a value is not
	// judged, nor is a snapshot or promoted dataset that may hold one.
	LocalWrites []Op
	// ReplClients are the sessions of clients that spoke the replication
	// protocol by hand (repl_client.go).
	ReplClients []ReplClientSession
}

// PrefixResult is the outcome of the prefix-consistency check.
type PrefixResult struct {
	Violations []Violation
	// Checked counts reads judged against the master's history (replica
	// reads, and master reads once the master's stream is modelled);
	// Unchecked those the model could not place (replica state unknown
	// after a restart, or a stream the model could not replay).
	Checked, Unchecked int
	// ReplClientBytes counts the stream bytes replication clients read
	// that were compared with the masters' streams.
	ReplClientBytes int64
}

// nodePos is where a node stands in some master's history.
type nodePos struct {
	known   bool
	replica bool
	// empty is a node that never synced: every node starts empty.
	empty  bool
	replid string
	pos    int64
}

type posAt struct {
	seq int
	at  int64
	p   nodePos
	// from is where a chunk the node wrote as master starts (-1 for
	// other events).
	from int64
}

// CheckPrefix checks that every replica only ever shows a state its master
// had: the bytes a replica applies are exactly its master's stream at the
// same offsets, its offset never moves except forwards through that stream
// (or to a new starting point by a full resync), it only stops at the end
// of one of the master's writes (never inside a transaction), a full resync
// loads exactly the snapshot sent, and every GET a replica answers matches
// the master's dataset at one of the offsets the replica was at while the
// GET ran. The master's dataset at every offset comes from replaying its
// stream (SELECT, SET, DEL, INCR, MULTI/EXEC, FLUSHALL, PEXPIREAT, ...) from
// a snapshot it sent or the dataset a promoted node kept.
func CheckPrefix(in PrefixInput) PrefixResult {
	local := newTaints(in.LocalWrites, in.FullSyncs)
	ss := buildStreams(in.Chunks, in.FullSyncs, in.Promotions, in.Restarts, local)
	var res PrefixResult
	agg := newAggregator()
	for _, v := range ss.violations {
		agg.addV("stream", v)
	}
	timelines := nodeTimelines(in, ss, agg)
	reads := make([]*Op, 0, len(in.Reads)+len(in.MasterReads))
	nReplica := 0
	for k, ops := range [][]Op{in.Reads, in.MasterReads} {
		if k == 1 {
			nReplica = len(reads)
		}
		for i := range ops {
			if op := &ops[i]; prefixRead(op) {
				reads = append(reads, op)
			}
		}
	}
	for j, op := range reads {
		// A replica starts empty; a master writes before it has a stream
		// (Redis makes its backlog when the first replica comes).
		atStart := nodePos{known: j < nReplica, empty: true}
		if tainted(local, op) {
			res.Unchecked++
			continue
		}
		ok, judged, v := judgeRead(ss, timelines[op.Node], atStart, op, in)
		switch {
		case !judged:
			res.Unchecked++
		case ok:
			res.Checked++
		default:
			res.Checked++
			agg.addV(op.Node+"/read", v)
		}
	}
	res.Violations = agg.violations(PropPrefix)
	rc, n := checkReplClients(in.ReplClients, ss, newSyncNumbering(in.FullSyncs, in.Promotions, in.Restarts))
	res.Violations = append(res.Violations, rc...)
	res.ReplClientBytes = n
	return res
}

// nodeTimelines walks every node's events in order, checks the replica
// side of the stream, and returns where each node stood over time.
func nodeTimelines(in PrefixInput, ss *streams, agg *aggregator) map[string][]posAt {
	type ev struct {
		seq   int
		chunk *StreamChunk
		sync  *FullSync
		prom  *Promotion
		rst   *Restart
	}
	evs := make([]ev, 0, len(in.Chunks)+len(in.FullSyncs)+len(in.Promotions)+len(in.Restarts))
	for i := range in.Chunks {
		evs = append(evs, ev{seq: in.Chunks[i].Seq, chunk: &in.Chunks[i]})
	}
	for i := range in.FullSyncs {
		evs = append(evs, ev{seq: in.FullSyncs[i].Seq, sync: &in.FullSyncs[i]})
	}
	for i := range in.Promotions {
		evs = append(evs, ev{seq: in.Promotions[i].Seq, prom: &in.Promotions[i]})
	}
	for i := range in.Restarts {
		evs = append(evs, ev{seq: in.Restarts[i].Seq, rst: &in.Restarts[i]})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].seq < evs[j].seq })
	cur := map[string]nodePos{}
	out := map[string][]posAt{}
	// A replica whose offsets a SYNC numbered has no offset on its
	// master's stream, so its stream cannot be placed on the master's
	// until its next full sync (the same rule as LastSyncBySYNC).
	bySYNC := syncLineage{}
	for _, e := range evs {
		var name string
		var at int64
		var p nodePos
		switch {
		case e.chunk != nil:
			c := e.chunk
			name, at = c.Node, c.At
			if c.Replica && !bySYNC[name] {
				checkReplicaChunk(ss, cur[name], c, agg)
			}
			p = nodePos{known: true, replica: c.Replica, replid: c.ReplID, pos: c.End()}
			if bySYNC[name] {
				p = nodePos{}
			}
		case e.sync != nil:
			f := e.sync
			name, at = f.Node, f.At
			if !kvsEqual(f.RDB, f.Loaded) {
				agg.addV(name+"/load", Violation{Detail: fmt.Sprintf(
					"replica %s's dataset right after its full resync from %s at %s (offset %d) is not the snapshot it was sent: %s",
					name, f.Master, seconds(f.At), f.Offset,
					relabel(DiffData(f.RDB, f.Loaded, 3), "snapshot", "replica")),
					At: f.At, Nodes: []string{name, f.Master}, Keys: diffKeys(f.RDB, f.Loaded, 3), ReplID: f.ReplID, Offsets: []int64{f.Offset}})
			}
			p = nodePos{known: true, replica: true, replid: f.ReplID, pos: f.Offset}
			bySYNC.synced(f)
			if bySYNC[name] {
				p = nodePos{}
			}
		case e.prom != nil:
			name, at = e.prom.Node, e.prom.At
			p = nodePos{known: true, replid: e.prom.Now.ReplID, pos: e.prom.Now.Offset}
			bySYNC.reset(name)
		case e.rst != nil:
			name, at = e.rst.Node, e.rst.RestartAt
			bySYNC.reset(name)
		}
		cur[name] = p
		from := int64(-1)
		if e.chunk != nil && !e.chunk.Replica {
			from = e.chunk.Start
		}
		out[name] = append(out[name], posAt{seq: e.seq, at: at, p: p, from: from})
	}
	return out
}

// checkReplicaChunk checks bytes a replica applied against its master's.
func checkReplicaChunk(ss *streams, was nodePos, c *StreamChunk, agg *aggregator) {
	if was.known && c.Start != was.pos {
		dir := "forwards"
		if c.Start < was.pos {
			dir = "backwards"
		}
		agg.addV(c.Node+"/jump", Violation{Detail: fmt.Sprintf(
			"replica %s's offset moved %s from %d to %d at %s without a full resync: it skipped or replayed part of its master's stream",
			c.Node, dir, was.pos, c.Start, seconds(c.At)),
			At: c.At, Nodes: []string{c.Node}, ReplID: c.ReplID, Offsets: []int64{was.pos, c.Start}})
	}
	want, ok := ss.bytesAt(c.ReplID, c.Start, int64(len(c.Data)))
	switch {
	case !ok:
		agg.addV(c.Node+"/bytes", Violation{Detail: fmt.Sprintf(
			"replica %s applied %s at offset %d of replication ID %s at %s, but its master never wrote anything there",
			c.Node, describeStream(c.Data), c.Start, short(c.ReplID), seconds(c.At)),
			At: c.At, Nodes: []string{c.Node}, Keys: streamKeys(c.Data), ReplID: c.ReplID, Offsets: []int64{c.Start, c.End()}})
	case string(want) != string(c.Data):
		agg.addV(c.Node+"/bytes", Violation{Detail: fmt.Sprintf(
			"replica %s applied %s at offset %d of replication ID %s at %s, but its master wrote %s there: the replica's stream is shifted or corrupt",
			c.Node, quoteStream(c.Data), c.Start, short(c.ReplID), seconds(c.At), quoteStream(want)),
			At: c.At, Nodes: []string{c.Node}, Keys: streamKeys(want), ReplID: c.ReplID, Offsets: []int64{c.Start, c.End()}})
	case !ss.boundary(c.ReplID, c.End()):
		d := fmt.Sprintf("replica %s applied %s and stopped at offset %d of replication ID %s at %s, in the middle of one write of its master",
			c.Node, describeStream(c.Data), c.End(), short(c.ReplID), seconds(c.At))
		v := Violation{At: c.At, Nodes: []string{c.Node}, Keys: streamKeys(c.Data), ReplID: c.ReplID, Offsets: []int64{c.End()}}
		if from, to, w, ok := ss.writeAround(c.ReplID, c.End()); ok {
			d += fmt.Sprintf(" (offsets %d..%d: %s)", from, to, describeStream(w))
			v.Keys, v.Offsets = streamKeys(w), []int64{from, c.End(), to}
		}
		v.Detail = d + ": it exposed a state its master never had, such as half a transaction"
		agg.addV(c.Node+"/half", v)
	}
}

// judgeRead decides whether a read matches some state its node held
// while the read ran: as a replica, a position in its master's stream; as
// a master, the end of what it had written to its own stream. judged is
// false when no such state is modelled.
func judgeRead(ss *streams, tl []posAt, atStart nodePos, op *Op, in PrefixInput) (ok, judged bool, v Violation) {
	// Before its first event a node is at atStart; a restarted node's
	// state is unknown until it syncs or writes.
	empty := posAt{at: -1, p: atStart}
	at := func(i int) *posAt {
		if i == 0 {
			return &empty
		}
		return &tl[i-1]
	}
	n := len(tl) + 1
	i := sort.Search(len(tl), func(i int) bool { return tl[i].at > op.Call })
	unknown := false
	keys := readKeys(op)
	vals := make([]kv, len(keys))
	var seen []string
	var lo, hi int64 = -1, -1
	var replid string
	role := "replica"
	for ; i < n && at(i).at <= op.Return; i++ {
		p := at(i).p
		if p.known && !p.replica && !p.empty {
			role = "master"
		}
		// The part of the read's interval the node spent at p.
		from, to := max(at(i).at, op.Call), op.Return
		if i+1 < n {
			to = min(to, at(i+1).at)
		}
		if !p.known || !p.replica && !p.empty && !streamed(tl, i) {
			unknown = true
			continue
		}
		modelled := true
		for j, k := range keys {
			vals[j] = kv{}
			if !p.empty {
				var m bool
				vals[j], m = ss.value(p.replid, p.pos, dbKey{op.DB, k})
				modelled = modelled && m
			}
		}
		if !modelled {
			unknown = true
			continue
		}
		if loMs, hiMs := in.wallRange(op.Node, from, to); readFits(op, vals, loMs, hiMs) {
			return true, true, Violation{}
		}
		if p.empty {
			seen = append(seen, "(nothing: never synced)")
			continue
		}
		if lo < 0 {
			lo = p.pos
		}
		hi, replid = p.pos, p.replid
		if s := describeVals(keys, vals); len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
	}
	if unknown {
		return false, false, Violation{}
	}
	where := fmt.Sprintf("at every offset it held meanwhile (%d..%d of replication ID %s) its master had", lo, hi, short(replid))
	if lo < 0 {
		where = "it had never synced, so it held"
	}
	what := "a state its master never had there"
	if role == "master" {
		where = fmt.Sprintf("at every offset it held meanwhile (%d..%d of replication ID %s) its own replication stream had", lo, hi, short(replid))
		what = "the stream it sends its replicas does not describe its own data"
	}
	v = Violation{Detail: fmt.Sprintf(
		"%s %s answered %s [%s..%s], but %s %s: %s",
		role, op.Node, describeRead(op), seconds(op.Call), seconds(op.Return), where, joinMax(seen, 3), what),
		At: op.Return, Nodes: []string{op.Node}, Keys: keys, Ops: []OpRef{op.Ref()}}
	if lo >= 0 {
		v.ReplID, v.Offsets = replid, []int64{lo, hi}
	}
	return false, true, v
}

// streamed says the node, a master at its event i-1 (judgeRead's
// numbering), wrote every change of its data to its stream until its next
// event: that event is a chunk of the same history continuing where it
// stood. A master without a backlog (none yet, or freed after
// repl-backlog-ttl) changes its data unstreamed, and the backlog it makes
// for its next replica starts a new replication ID.
func streamed(tl []posAt, i int) bool {
	if i == 0 || i >= len(tl) {
		return false
	}
	p, next := tl[i-1].p, tl[i]
	return next.from == p.pos && next.p.replid == p.replid && !next.p.replica
}

// tainted says a key op reads may hold a writable replica's local write.
func tainted(local taints, op *Op) bool {
	for _, k := range readKeys(op) {
		if local.has(op.Node, dbKey{op.DB, k}, op.Call, op.Return) {
			return true
		}
	}
	return false
}

// wallRange is the least and greatest Unix time (ms) node's clock read
// during the virtual interval [a, b].
func (in PrefixInput) wallRange(node string, a, b int64) (lo, hi int64) {
	if c, ok := in.Clocks[node]; ok && c.Known() {
		l, h := c.Range(a, b)
		return l / 1e6, h / 1e6
	}
	return (a + in.WallOffset - in.ClockSlack) / 1e6, (b + in.WallOffset + in.ClockSlack) / 1e6
}

func joinMax(ss []string, max int) string {
	out := ""
	for i, s := range ss {
		if i == max {
			out += fmt.Sprintf(" (+%d more)", len(ss)-max)
			break
		}
		if i > 0 {
			out += ", then "
		}
		out += s
	}
	return out
}
