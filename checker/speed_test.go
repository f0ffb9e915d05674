package checker

import (
	"math"
	"sort"
	"strconv"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The checks' fast paths (issue 11, Speed) must answer exactly what the
// plain definitions they replaced answer. Each naive* below is such a
// definition, kept here as the reference.

// drawOps draws a history of writes and reads on a few keys and nodes,
// with epochs, missing replies, errors, TTLs, transactions and flushes.
func drawOps(t *rapid.T) []Op {
	n := rapid.IntRange(0, 60).Draw(t, "n")
	ops := make([]Op, n)
	for i := range ops {
		key := func(l string) string { return "k" + strconv.Itoa(rapid.IntRange(0, 3).Draw(t, l)) }
		call := rapid.Int64Range(0, 1000).Draw(t, "call")
		op := Op{ID: i, Client: rapid.IntRange(0, 3).Draw(t, "client"), Node: "n" + strconv.Itoa(rapid.IntRange(1, 3).Draw(t, "node")),
			Epoch: rapid.IntRange(0, 4).Draw(t, "epoch"), DB: rapid.IntRange(0, 1).Draw(t, "db"), Key: key("key"),
			Value: strconv.Itoa(rapid.IntRange(0, 3).Draw(t, "val")), Call: call, Return: call + rapid.Int64Range(0, 200).Draw(t, "len")}
		switch rapid.IntRange(0, 7).Draw(t, "kind") {
		case 0:
			op.Kind = OpGet
		case 1:
			op.Kind = OpSet
			if rapid.Bool().Draw(t, "ttl") {
				op.TTL = 100
			}
		case 2:
			op.Kind, op.Int = OpIncr, rapid.Int64Range(0, 3).Draw(t, "int")
		case 3:
			op.Kind = OpDel
		case 4:
			op.Kind, op.Key2, op.Value2 = OpMulti, key("key2"), "x"
		case 5:
			op.Kind, op.Key2, op.Mode = OpRename, key("key2"), "NX"
		case 6:
			op.Kind, op.Mode = OpFlush, "ALL"
		case 7:
			op.Kind = OpTx
			op.Sub = []Op{{Kind: OpSet, Key: key("sub1"), Value: "a"}, {Kind: OpIncr, Key: key("sub2"), Int: 1, TTL: 50}}
		}
		switch rapid.IntRange(0, 4).Draw(t, "outcome") {
		case 0:
			op.Unknown = true
		case 1:
			op.Err = "ERR something"
		}
		ops[i] = op
	}
	return ops
}

// naiveWritesByKey is writesByKey as it was: everything worked out again
// for each selection.
func naiveWritesByKey(ops []Op, keep func(*Op) bool) map[string][]write {
	out := map[string][]write{}
	universe := keyUniverse(ops)
	for i := range ops {
		op := &ops[i]
		if !op.Writes() || (op.Err != "" && !op.Unknown) || !keep(op) {
			continue
		}
		for _, w := range keyWrites(op, universe) {
			if w.db < 0 {
				w.db = op.DB
			}
			out[w.key] = append(out[w.key], w)
		}
	}
	ttlKeys := map[string]bool{}
	for i := range ops {
		for _, k := range ttlGiven(&ops[i]) {
			ttlKeys[k] = true
		}
	}
	for key, ws := range out {
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].op.Call < ws[j].op.Call })
		if ttlKeys[key] {
			for i := range ws {
				ws[i].mayExpire = true
			}
		}
	}
	return out
}

func TestWriteIndexIsWritesByKey(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ops := drawOps(t)
		x := newWriteIndex(ops)
		for range 3 {
			epoch := rapid.IntRange(0, 4).Draw(t, "keep epoch")
			before := rapid.Int64Range(0, 1200).Draw(t, "keep before")
			keep := func(op *Op) bool { return op.Epoch == epoch && op.Call < before }
			require.Equal(t, naiveWritesByKey(ops, keep), x.byKey(keep))
			require.Equal(t, naiveWritesByKey(ops, keep), x.epochByKey(epoch, keep))
			require.Equal(t, naiveWritesByKey(ops, keep), x.calledBeforeByKey(before, keep))
			early := naiveWritesByKey(ops, func(op *Op) bool { return op.Call < before })
			for _, key := range []string{"k0", "k1", "k2", "k3"} {
				if len(early[key]) == 0 {
					require.Empty(t, x.keyBefore(key, before))
				} else {
					require.Equal(t, early[key], x.keyBefore(key, before))
				}
			}
		}
	})
}

// naiveExplained is explained as it was, comparing every pair.
func naiveExplained(ws []write, must func(write) bool, present bool, val string) (ok bool, lost []write) {
	var musts []write
	for _, w := range ws {
		if must(w) {
			musts = append(musts, w)
		}
	}
	if len(musts) == 0 {
		return true, nil
	}
	superseded := func(w write) bool {
		for _, m := range musts {
			if m.op.Call > w.ret() {
				return true
			}
		}
		return false
	}
	var sources []write
	for _, w := range ws {
		if w.explains(present, val) {
			sources = append(sources, w)
			if !superseded(w) {
				return true, nil
			}
		}
	}
	for _, m := range musts {
		newer := true
		for _, s := range sources {
			if !(s.ret() < m.op.Call) {
				newer = false
				break
			}
		}
		if newer {
			lost = append(lost, m)
		}
	}
	return false, lost
}

func TestExplainedIsPairwise(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ops := drawOps(t)
		all := newWriteIndex(ops).byKey(func(*Op) bool { return true })
		present := rapid.Bool().Draw(t, "present")
		val := strconv.Itoa(rapid.IntRange(0, 3).Draw(t, "val"))
		mustBefore := rapid.Int64Range(0, 1200).Draw(t, "must before")
		must := func(w write) bool { return w.op.Acked() && w.op.Return <= mustBefore }
		for _, key := range sortedKeys(all) {
			ok, lost := explained(all[key], must, present, val)
			wantOK, wantLost := naiveExplained(all[key], must, present, val)
			require.Equal(t, wantOK, ok, key)
			require.Equal(t, wantLost, lost, key)
		}
	})
}

func TestSettingsSomeIsDuring(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var changes []SettingsChange
		at := int64(0)
		for range rapid.IntRange(0, 12).Draw(t, "changes") {
			at += rapid.Int64Range(0, 30).Draw(t, "gap")
			changes = append(changes, SettingsChange{At: at, Node: "n2", Down: rapid.IntRange(0, 3).Draw(t, "down") == 0,
				Settings: tap.Settings{Replica: rapid.Bool().Draw(t, "replica"), ReadOnly: rapid.Bool().Draw(t, "ro")}})
		}
		log := newSettingsLog(changes)
		pred := func(s tap.Settings) bool { return s.Replica && !s.ReadOnly }
		next := log.nextWhere(pred)
		from := rapid.Int64Range(-10, at+10).Draw(t, "from")
		to := from + rapid.Int64Range(0, 100).Draw(t, "to")
		if rapid.Bool().Draw(t, "open") {
			to = math.MaxInt64
		}
		want := false
		ss, ok := log.during("n2", from, to)
		for _, s := range ss {
			want = want || pred(s.Settings)
		}
		require.Equal(t, ok && want, log.some("n2", from, to, next))
	})
}

// TestAcrossEpochsStopsAtProcessEnd: a write with no reply sent to n1 in
// epoch 1 may run whenever n1 is master again, unless n1's process ended
// in between: then that epoch gets no copy of it.
func TestAcrossEpochsStopsAtProcessEnd(t *testing.T) {
	lost := set(0, "k1", "x", 10, 20)
	lost.Epoch, lost.Unknown = 1, true
	later := func(epoch int, call int64) Op {
		op := get(1, "k1", "x", true, call, call+5)
		op.Epoch = epoch
		return op
	}
	ops := []Op{lost, later(2, 200), later(3, 400)}
	epochs := func(lt Lifetimes) []int {
		var out []int
		for _, op := range acrossEpochs(ops, lt) {
			if op.Key == "k1" && op.Kind == OpSet {
				out = append(out, op.Epoch)
			}
		}
		return out
	}
	starts := map[int]int64{1: 0, 2: 150, 3: 350}
	assert.Equal(t, []int{1, 2, 3}, epochs(Lifetimes{}), "no lifetimes: every later epoch of n1")
	assert.Equal(t, []int{1, 2}, epochs(Lifetimes{Ends: map[string][]int64{"n1": {300}}, EpochStarts: starts}),
		"n1 crashed at 300: the epoch from 350 on gets no copy")
	assert.Equal(t, []int{1}, epochs(Lifetimes{Ends: map[string][]int64{"n1": {150}}, EpochStarts: starts}),
		"a crash at an epoch's very start ends the process before it")
	assert.Equal(t, []int{1, 2, 3}, epochs(Lifetimes{Ends: map[string][]int64{"n1": {5, 400}, "n2": {100}}, EpochStarts: starts}),
		"a crash before the call or after the epoch began, or of another node, bounds nothing")
	assert.Equal(t, []int{1, 2, 3}, epochs(Lifetimes{Ends: map[string][]int64{"n1": {100}}}),
		"without the epochs' starts, nothing is bounded")
}

// TestAcrossEpochsQuietWriteProcessed: a quiet write whose trailing reply
// came ran before that reply: no later epoch begun after it gets a copy,
// one begun before it does; a quiet write without its trailing reply is a
// write with no reply (seed 2047942).
func TestAcrossEpochsQuietWriteProcessed(t *testing.T) {
	quiet := set(0, "k1", "x", 10, 20)
	quiet.Epoch, quiet.Unknown, quiet.Quiet, quiet.QuietReply = 1, true, "SKIP", QuietEcho
	later := func(epoch int, call int64) Op {
		op := get(1, "k1", "x", true, call, call+5)
		op.Epoch = epoch
		return op
	}
	epochs := func(ops []Op) []int {
		var out []int
		for _, op := range acrossEpochs(ops, Lifetimes{}) {
			if op.Key == "k1" && op.Kind == OpSet {
				out = append(out, op.Epoch)
			}
		}
		return out
	}
	assert.Equal(t, []int{1}, epochs([]Op{quiet, later(2, 200)}))
	early := later(2, 15) // epoch 2 began before the trailing reply
	assert.Equal(t, []int{1, 2}, epochs([]Op{quiet, early}))
	noTrail := quiet
	noTrail.QuietReply = "NOAUTH Authentication required."
	assert.Equal(t, []int{1, 2}, epochs([]Op{noTrail, later(2, 200)}))
	off := quiet
	off.Quiet, off.QuietReply = "OFF", "OK"
	assert.Equal(t, []int{1}, epochs([]Op{off, later(2, 200)}))
}

// naiveTaints is newTaints as it was, handing on every taint a master
// had, duplicates included.
func naiveTaints(local []Op, syncs []FullSync) taints {
	t := taints{}
	if len(local) == 0 {
		return t
	}
	universe := keyUniverse(local)
	type ev struct {
		at   int64
		op   *Op
		sync *FullSync
	}
	var evs []ev
	for i := range local {
		evs = append(evs, ev{at: local[i].Call, op: &local[i]})
	}
	for i := range syncs {
		evs = append(evs, ev{at: syncs[i].At, sync: &syncs[i]})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at < evs[j].at })
	// sticky marks taints from writes with no reply, which no resync ends.
	type entry struct {
		taint
		sticky bool
		endsAt int64 // the write's return, or the inherited taint's start
	}
	byNode := map[string][]entry{}
	for _, e := range evs {
		if e.op != nil {
			op := e.op
			for _, k := range taintedKeys(op, universe) {
				byNode[op.Node] = append(byNode[op.Node], entry{taint: taint{key: k, from: op.Call, until: math.MaxInt64},
					sticky: op.Unknown, endsAt: op.Return})
			}
			continue
		}
		f := e.sync
		mine := byNode[f.Node]
		for i := range mine {
			if !mine[i].sticky && mine[i].until == math.MaxInt64 && mine[i].endsAt < f.At {
				mine[i].until = f.At
			}
		}
		for _, m := range byNode[f.Master] {
			if m.from < f.At {
				mine = append(mine, entry{taint: taint{key: m.key, from: f.At, until: math.MaxInt64}, endsAt: f.At})
			}
		}
		byNode[f.Node] = mine
	}
	for n, es := range byNode {
		for _, e := range es {
			t[n] = append(t[n], e.taint)
		}
	}
	return t
}

func TestTaintsWithoutDuplicates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ops := drawOps(t)
		var syncs []FullSync
		for range rapid.IntRange(0, 8).Draw(t, "syncs") {
			a := rapid.IntRange(1, 3).Draw(t, "replica")
			b := 1 + (a+rapid.IntRange(0, 1).Draw(t, "master"))%3
			syncs = append(syncs, FullSync{At: rapid.Int64Range(0, 1200).Draw(t, "at"), Node: "n" + strconv.Itoa(a), Master: "n" + strconv.Itoa(b)})
		}
		sort.SliceStable(syncs, func(i, j int) bool { return syncs[i].At < syncs[j].At })
		fast, naive := newTaints(ops, syncs), naiveTaints(ops, syncs)
		for _, node := range []string{"n1", "n2", "n3"} {
			from := rapid.Int64Range(0, 1300).Draw(t, "from")
			to := from + rapid.Int64Range(0, 300).Draw(t, "to")
			require.Equal(t, naive.any(node, from, to), fast.any(node, from, to))
			for _, k := range []string{"k0", "k1", "k2", "k3"} {
				for db := range 2 {
					require.Equal(t, naive.has(node, dbKey{db, k}, from, to), fast.has(node, dbKey{db, k}, from, to))
				}
			}
		}
	})
}

func TestReplicaChunkInIsFirstMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var chunks []StreamChunk
		at := int64(0)
		sorted := rapid.Bool().Draw(t, "sorted")
		for range rapid.IntRange(0, 20).Draw(t, "chunks") {
			if sorted {
				at += rapid.Int64Range(0, 20).Draw(t, "gap")
			} else {
				at = rapid.Int64Range(0, 200).Draw(t, "at")
			}
			chunks = append(chunks, StreamChunk{Seq: len(chunks), At: at, Node: "n" + strconv.Itoa(rapid.IntRange(1, 2).Draw(t, "node")), Replica: rapid.Bool().Draw(t, "replica")})
		}
		x := newOpsIndex(PromotionInput{Chunks: chunks})
		from := rapid.Int64Range(0, 200).Draw(t, "from")
		fromSeq := rapid.IntRange(-1, 20).Draw(t, "fromSeq")
		until := from + rapid.Int64Range(0, 100).Draw(t, "until")
		var want *StreamChunk
		for j := range chunks {
			if c := &chunks[j]; c.Node == "n1" && c.Replica && (c.At > from || (c.At == from && c.Seq > fromSeq)) && c.At < until {
				want = c
				break
			}
		}
		require.Same(t, want, x.replicaChunkIn(chunks, "n1", from, fromSeq, until))
	})
}
