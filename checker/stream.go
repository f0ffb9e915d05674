package checker

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// dbKey names one key of one logical database.
type dbKey struct {
	db  int
	key string
}

// kv is one key's value in a modelled dataset.
type kv struct {
	exists bool
	// typ is the value's type (tap.TypeString ""...), val a collection's
	// canonical encoding.
	typ      string
	val      string
	expireAt int64 // Unix ms, 0 = none
}

func (v kv) String() string {
	if !v.exists {
		return "(nil)"
	}
	s := strconv.Quote(v.val)
	if v.typ != "" {
		s = v.typ + " " + describeValue(v.typ, v.val)
	}
	if v.expireAt != 0 {
		s += fmt.Sprintf(" (expires at %d)", v.expireAt)
	}
	return s
}

// change is a key's value from stream position pos on.
type change struct {
	pos int64
	kv  kv
}

// masterStream is one replication history (one replication ID) as its
// master wrote it, with the dataset it implies at every position.
type masterStream struct {
	replid string
	owner  string
	first  int64 // position (replication offset) before data[0]
	data   []byte
	// ends are the positions where the master's writes end (one call's
	// propagated commands each): the only states the master ever had.
	ends []int64
	// parent is the history this one continues (promotion): positions up
	// to parentAt resolve there.
	parent   string
	parentAt int64
	broken   bool // a gap in the master's own stream; never modelled

	modelled bool
	basePos  int64
	base     map[dbKey]kv
	changes  map[dbKey][]change
	// modelEnd is the last position the replay reached.
	modelEnd int64
	stopped  string // why the replay stopped early, if it did
	// nondet says the master propagated what a correct master never
	// sends as is: a command whose effect depends on a random draw, or a
	// MULTI/EXEC around fewer than two commands. Where, in words.
	nondet   string
	nondetAt int64
}

func (s *masterStream) end() int64 { return s.first + int64(len(s.data)) }

// streams holds every master history of a run, by replication ID.
type streams struct {
	byID       map[string]*masterStream
	violations []Violation
}

// snapshotAge bounds how long before a full resync completes its snapshot
// can have been taken, for the local taints it may hold (generously: the
// diskless delay and a slow transfer take seconds).
const snapshotAge = 60 * 1e9

// baseState is a known dataset at a position of a history.
type baseState struct {
	replid string
	pos    int64
	data   []tap.KeyValue
	what   string // where it came from, for explanations
	// at and nodes are when it was taken and by whom, for reports.
	at    int64
	nodes []string
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// buildStreams assembles the masters' histories from their chunks (in Seq
// order), links promoted histories and those of restarted masters to their
// parents, and replays each from its earliest known dataset. A snapshot
// or promoted dataset that may hold a writable replica's local writes
// (local) is no known state of its history and is left out.
func buildStreams(chunks []StreamChunk, syncs []FullSync, proms []Promotion, restarts []Restart, local taints) *streams {
	ss := &streams{byID: map[string]*masterStream{}}
	conflict := map[string]bool{}
	for i := range chunks {
		c := &chunks[i]
		if c.Replica {
			continue
		}
		s := ss.byID[c.ReplID]
		if s == nil {
			s = &masterStream{replid: c.ReplID, owner: c.Node, first: c.Start, parentAt: -1}
			ss.byID[c.ReplID] = s
		}
		if s.broken {
			continue
		}
		switch end := s.end(); {
		case c.Start == end:
			s.data = append(s.data, c.Data...)
			s.ends = append(s.ends, c.End())
		case c.Start > end || c.Start < s.first:
			s.broken = true
			ss.violations = append(ss.violations, Violation{Check: PropPrefix, Detail: fmt.Sprintf(
				"master %s's replication stream (replication ID %s) jumped from offset %d to %d at %s: the offsets it reports no longer count its bytes",
				c.Node, short(c.ReplID), end, c.Start, seconds(c.At)),
				At: c.At, Nodes: []string{c.Node}, ReplID: c.ReplID, Offsets: []int64{end, c.Start}})
		default: // c.Start < end: the same history written again
			n := min(int64(len(c.Data)), end-c.Start)
			old := s.data[c.Start-s.first : c.Start-s.first+n]
			if !bytes.Equal(old, c.Data[:n]) {
				if !conflict[c.ReplID] {
					conflict[c.ReplID] = true
					ss.violations = append(ss.violations, Violation{Check: PropPrefix, Detail: fmt.Sprintf(
						"two different histories under one replication ID %s: at offset %d %s wrote %s but %s had written %s; a replica that followed one can continue on the other and never notice",
						short(c.ReplID), c.Start, c.Node, quoteStream(c.Data[:n]), s.owner, quoteStream(old)),
						At: c.At, Nodes: []string{c.Node, s.owner}, Keys: streamKeys(c.Data), ReplID: c.ReplID, Offsets: []int64{c.Start}})
				}
				continue
			}
			if int64(len(c.Data)) > n {
				s.data = append(s.data, c.Data[n:]...)
				s.ends = append(s.ends, c.End())
			}
		}
	}
	var bases []baseState
	for _, p := range proms {
		if p.Now.ReplID == p.Was.ReplID {
			continue
		}
		s := ss.byID[p.Now.ReplID]
		if s == nil {
			s = &masterStream{replid: p.Now.ReplID, owner: p.Node, first: p.Now.Offset}
			ss.byID[p.Now.ReplID] = s
		}
		s.parent, s.parentAt = p.Was.ReplID, p.Now.Offset
		if local.any(p.Node, p.At, p.At) {
			continue
		}
		bases = append(bases, baseState{p.Now.ReplID, p.Now.Offset, p.After, "the dataset " + p.Node + " kept when promoted", p.At, []string{p.Node}})
	}
	for _, r := range restarts {
		ss.linkRestored(r)
	}
	numberedBySYNC := sendersNumberedBySYNC(syncs, proms, restarts)
	for i, f := range syncs {
		if ss.byID[f.ReplID] == nil {
			ss.byID[f.ReplID] = &masterStream{replid: f.ReplID, owner: f.Master, first: f.Offset, parentAt: -1}
		}
		if local.any(f.Master, f.At-snapshotAge, f.At) || numberedBySYNC[i] {
			continue
		}
		bases = append(bases, baseState{f.ReplID, f.Offset, f.RDB,
			fmt.Sprintf("the full-resync snapshot %s sent %s at %s", f.Master, f.Node, seconds(f.At)), f.At, []string{f.Master, f.Node}})
	}
	sort.SliceStable(bases, func(i, j int) bool { return bases[i].pos < bases[j].pos })
	for _, b := range bases {
		s := ss.byID[b.replid]
		if s.broken || b.pos < s.first || b.pos > s.end() {
			continue
		}
		if !s.modelled {
			s.replay(b)
			if s.nondet != "" {
				ss.violations = append(ss.violations, Violation{Check: PropPrefix, Detail: "master " + s.nondet,
					Nodes: []string{s.owner}, ReplID: s.replid, Offsets: []int64{s.nondetAt}})
			}
			continue
		}
		if b.pos > s.modelEnd {
			continue
		}
		if diff, keys := s.diffAt(b.pos, b.data); diff != "" {
			ss.violations = append(ss.violations, Violation{Check: PropPrefix, Detail: fmt.Sprintf(
				"%s (offset %d of replication ID %s) is not the state %s's own replication stream reaches there from %s: %s",
				b.what, b.pos, short(b.replid), s.owner, "offset "+strconv.FormatInt(s.basePos, 10), diff),
				At: b.at, Nodes: b.nodes, Keys: keys, ReplID: b.replid, Offsets: []int64{b.pos}})
		}
	}
	return ss
}

// linkRestored links the history of a master restarted from an RDB that
// carried repl-id/repl-offset to the history it restored: as Redis's
// loadDataFromDisk does, the master keeps the RDB's ID as its secondary ID
// up to the RDB's offset and writes on under a new ID from there, so a
// former replica's PSYNC continues across the two (and so do replicas of
// that replica, with the new ID).
func (ss *streams) linkRestored(r Restart) {
	st := r.Repl
	if st.Role != "master" || !realReplID(st.ReplID2) || st.ReplID == st.ReplID2 || st.SecondOffset < 1 {
		return
	}
	at := st.SecondOffset - 1
	s := ss.byID[st.ReplID]
	if s == nil {
		s = &masterStream{replid: st.ReplID, owner: r.Node, first: at}
		ss.byID[st.ReplID] = s
	}
	s.parent, s.parentAt = st.ReplID2, at
}

// realReplID reports whether id names a history (Redis clears an ID to
// forty zeros).
func realReplID(id string) bool {
	return id != "" && strings.Trim(id, "0") != ""
}

// diffAt compares the modelled dataset at pos with data.
func (s *masterStream) diffAt(pos int64, data []tap.KeyValue) (diff string, keys []string) {
	want := map[dbKey]kv{}
	for k, v := range s.base {
		if v.exists {
			want[k] = v
		}
	}
	for k, ch := range s.changes {
		i := sort.Search(len(ch), func(i int) bool { return ch[i].pos > pos }) - 1
		if i >= 0 {
			if ch[i].kv.exists {
				want[k] = ch[i].kv
			} else {
				delete(want, k)
			}
		}
	}
	var model []tap.KeyValue
	for k, v := range want {
		model = append(model, tap.KeyValue{DB: k.db, Key: k.key, Type: v.typ, Value: v.val, ExpireAt: v.expireAt})
	}
	tap.SortKeyValues(model)
	if kvsEqual(model, data) {
		return "", nil
	}
	return strings.ReplaceAll(strings.ReplaceAll(DiffData(model, data, 3), "master ", "stream "), "replica ", "snapshot "), diffKeys(model, data, 3)
}

func kvsEqual(a, b []tap.KeyValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// resolve finds the history that holds position pos of replid (a promoted
// history holds its parent's positions up to the promotion).
func (ss *streams) resolve(replid string, pos int64) *masterStream {
	for depth := 0; depth < 64; depth++ {
		s := ss.byID[replid]
		if s == nil {
			return nil
		}
		if pos >= s.first || s.parent == "" || pos > s.parentAt {
			return s
		}
		replid = s.parent
	}
	return nil
}

// value is key k's value at position pos of history replid; ok is false
// when the model does not reach there.
func (ss *streams) value(replid string, pos int64, k dbKey) (kv, bool) {
	s := ss.resolve(replid, pos)
	if s == nil || !s.modelled || pos < s.basePos || pos > s.modelEnd {
		return kv{}, false
	}
	ch := s.changes[k]
	i := sort.Search(len(ch), func(i int) bool { return ch[i].pos > pos }) - 1
	if i >= 0 {
		return ch[i].kv, true
	}
	return s.base[k], true
}

// bytesAt returns the master's bytes at [start, start+n) of history replid;
// ok is false where the master never wrote them.
func (ss *streams) bytesAt(replid string, start, n int64) ([]byte, bool) {
	limit := int64(math.MaxInt64)
	for depth := 0; depth < 64; depth++ {
		s := ss.byID[replid]
		if s == nil || start+n > limit {
			return nil, false
		}
		if start >= s.first {
			if start+n > s.end() {
				return nil, false
			}
			return s.data[start-s.first : start-s.first+n], true
		}
		if s.parent == "" || start > s.parentAt {
			return nil, false
		}
		replid, limit = s.parent, s.parentAt
	}
	return nil, false
}

// boundary reports whether pos is a state the master had: the end of one
// of its writes, or a known starting point.
func (ss *streams) boundary(replid string, pos int64) bool {
	s := ss.resolve(replid, pos)
	if s == nil {
		return false
	}
	if pos == s.first || (s.modelled && pos == s.basePos) {
		return true
	}
	i := sort.Search(len(s.ends), func(i int) bool { return s.ends[i] >= pos })
	return i < len(s.ends) && s.ends[i] == pos
}

// writeAround returns the master write (its bounds and bytes) that holds
// position pos strictly inside it.
func (ss *streams) writeAround(replid string, pos int64) (from, to int64, data []byte, ok bool) {
	s := ss.resolve(replid, pos)
	if s == nil {
		return 0, 0, nil, false
	}
	i := sort.Search(len(s.ends), func(i int) bool { return s.ends[i] > pos })
	if i == len(s.ends) {
		return 0, 0, nil, false
	}
	from = s.first
	if i > 0 {
		from = s.ends[i-1]
	}
	to = s.ends[i]
	return from, to, s.data[from-s.first : to-s.first], true
}

// sendersNumberedBySYNC reports, for each full sync, whether its sender's
// offsets were numbered by a SYNC when it sent the snapshot: its own last
// full sync came through SYNC (its PSYNC refused), or from such a node,
// with no promotion or restart since (LastSyncBySYNC). Redis gives such a
// node no offset on its master's stream, so the replication ID and offset
// it hands on place the snapshot nowhere on that stream (seed 3774267: a
// replica SYNC-synced from a replica, whose own replica then full-synced
// from it "at offset 1362").
func sendersNumberedBySYNC(syncs []FullSync, proms []Promotion, restarts []Restart) []bool {
	n := newSyncNumbering(syncs, proms, restarts)
	out := make([]bool, len(syncs))
	for i := range syncs {
		out[i] = n.at(syncs[i].Master, syncs[i].Seq)
	}
	return out
}

// syncNumbering replays full syncs, promotions and restarts in recorder
// order to tell whether a node's offsets were numbered by a SYNC at a
// given point (sendersNumberedBySYNC, LastSyncBySYNC).
type syncNumbering struct {
	// changes are each node's bySYNC values, in recorder order.
	changes map[string][]numberingChange
}

type numberingChange struct {
	seq    int
	bySYNC bool
}

type syncNumberingEvent struct {
	seq  int
	sync int // index in syncs, or -1 for a promotion or restart of node
	node string
}

func newSyncNumbering(syncs []FullSync, proms []Promotion, restarts []Restart) *syncNumbering {
	evs := make([]syncNumberingEvent, 0, len(syncs)+len(proms)+len(restarts))
	for i := range syncs {
		evs = append(evs, syncNumberingEvent{seq: syncs[i].Seq, sync: i})
	}
	for _, p := range proms {
		evs = append(evs, syncNumberingEvent{seq: p.Seq, sync: -1, node: p.Node})
	}
	for _, r := range restarts {
		evs = append(evs, syncNumberingEvent{seq: r.Seq, sync: -1, node: r.Node})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].seq < evs[j].seq })
	n := &syncNumbering{changes: map[string][]numberingChange{}}
	lineage := syncLineage{}
	for _, e := range evs {
		node := e.node
		if e.sync >= 0 {
			node = syncs[e.sync].Node
			lineage.synced(&syncs[e.sync])
		} else {
			lineage.reset(node)
		}
		n.changes[node] = append(n.changes[node], numberingChange{seq: e.seq, bySYNC: lineage[node]})
	}
	return n
}

// at reports whether node's offsets were numbered by a SYNC just before
// recorder sequence number seq.
func (n *syncNumbering) at(node string, seq int) bool {
	ch := n.changes[node]
	i := sort.Search(len(ch), func(i int) bool { return ch[i].seq >= seq })
	return i > 0 && ch[i-1].bySYNC
}

// syncLineage holds, for each node, whether its offsets are numbered by a
// SYNC: its last full sync came through SYNC (its PSYNC refused), or from
// a node whose own were (a replica of a SYNC-synced replica takes that
// replica's offsets). A promotion or a restart ends it.
type syncLineage map[string]bool

// synced applies a full sync.
func (l syncLineage) synced(f *FullSync) { l[f.Node] = f.BySYNC() || l[f.Master] }

// reset applies a promotion or restart of node.
func (l syncLineage) reset(node string) { l[node] = false }
