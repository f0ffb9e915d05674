package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func promotion(before, after []tap.KeyValue) Promotion {
	return Promotion{At: 100, Node: "n2", Epoch: 0, Before: before, After: after,
		Was: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: 50},
		Now: tap.ReplStatus{Role: "master", ReplID: "S", ReplID2: "R", Offset: 50, SecondOffset: 51}}
}

func TestPromotionHealthy(t *testing.T) {
	res := CheckPromotion(PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "1"), kvs("k1", "1"))},
		Ops: ids([]Op{set(0, "k1", "1", 0, 10)}), Replicas: 1})
	assert.Empty(t, res.Violations)
	assert.Zero(t, res.LostOnFailover)
}

// promote-flushes: the dataset changed.
func TestPromotionMustKeepData(t *testing.T) {
	res := CheckPromotion(PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "1"), nil)}})
	require.Len(t, res.Violations, 1)
	assert.Equal(t, "promotion", res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, `n2 did not keep its dataset when promoted at 0.000000s: db0 key k1: before "1", after (missing)`)
}

// no-replid-shift: the replication ID stayed.
func TestPromotionMustShiftReplID(t *testing.T) {
	p := promotion(nil, nil)
	p.Now.ReplID, p.Now.ReplID2 = "R", "0000"
	res := CheckPromotion(PromotionInput{Promotions: []Promotion{p}})
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "n2 kept replication ID R when promoted")
}

func TestPromotionTakesNothingFromOldMaster(t *testing.T) {
	in := PromotionInput{Promotions: []Promotion{promotion(nil, nil)},
		Chunks: []StreamChunk{{At: 150, Node: "n2", ReplID: "R", Start: 50, Data: enc(cmd("SET", "k", "1")), Replica: true}}}
	res := CheckPromotion(in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "still applied SET k 1 from a master")
	// Once demoted again, applying is its job.
	in.Roles = []RoleChange{{At: 120, Node: "n2", Role: "slave"}}
	assert.Empty(t, CheckPromotion(in).Violations)
	// Demoted in the very instant of its promotion (the heal promotes one
	// node, then another, which re-points the first): the log's order says
	// which came first (seed 2020049).
	in.Roles = []RoleChange{{At: 100, Node: "n2", Role: "master"}, {At: 100, Node: "n2", Role: "slave"}}
	assert.Empty(t, CheckPromotion(in).Violations)
	in.Roles = []RoleChange{{At: 100, Node: "n2", Role: "slave"}, {At: 100, Node: "n2", Role: "master"}}
	assert.Len(t, CheckPromotion(in).Violations, 1, "a demotion logged before the promotion does not end it")
}

func TestPromotionAcceptsWrites(t *testing.T) {
	w := set(0, "k1", "1", 110, 120)
	w.Node, w.Epoch, w.Err = "n2", 1, "READONLY You can't write against a read only replica."
	res := CheckPromotion(PromotionInput{Promotions: []Promotion{promotion(nil, nil)}, Ops: ids([]Op{w})})
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "refused a write")
}

// waitStream is n1 producing the stream for the test's two writes and n2
// applying it: n2 had both writes when promoted.
func waitStream() []StreamChunk {
	return []StreamChunk{
		{Seq: 1, At: 5, Node: "n1", ReplID: "R", Start: 0, Data: enc(cmd("SET", "k1", "1"))},
		{Seq: 2, At: 25, Node: "n1", ReplID: "R", Start: 28, Data: enc(cmd("SET", "k1", "2"))},
		{Seq: 3, At: 45, Node: "n2", ReplID: "R", Start: 0, Data: enc(cmd("SET", "k1", "1"), cmd("SET", "k1", "2")), Replica: true},
	}
}

// Writes acknowledged but not replicated are lost on failover: counted,
// not a violation; unless a WAIT confirmed them on every replica.
func TestPromotionLostWritesAndWait(t *testing.T) {
	ops := ids([]Op{set(0, "k1", "1", 0, 10), set(0, "k1", "2", 20, 30)})
	res := CheckPromotion(PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "1"), kvs("k1", "1"))}, Ops: ops, Replicas: 1})
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.LostOnFailover)

	wait := Op{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50}
	ops = ids(append(ops, wait))
	p := promotion(kvs("k1", "1"), kvs("k1", "1"))
	p.Seq = 10
	in := PromotionInput{Promotions: []Promotion{p}, Ops: ops, Replicas: 1, Chunks: waitStream()}
	res = CheckPromotion(in)
	require.Len(t, res.Violations, 1)
	assert.Equal(t, "wait-durability", res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, `n2 was promoted at 0.000000s with key k1 = "1", losing SET k1 "2" -> OK`)
	assert.Contains(t, res.Violations[0].Detail, "n2 had applied n1's stream R through offset 56")
	assert.Equal(t, 2, res.WaitCovered)

	// A WAIT that fewer replicas answered promises nothing.
	ops[2].Int = 0
	assert.Empty(t, CheckPromotion(in).Violations)
}

// WAIT counts the replicas attached to the master it ran on. A promoted
// node that never applied the master's stream through the writes (seed
// 23: its link to the new master never came up) was not one of them, and
// one whose dataset a full resync from another history or a restart
// replaced since has lost the writes as Redis allows.
func TestPromotionWaitCoversOnlyNodesThatHadTheWrites(t *testing.T) {
	ops := ids([]Op{set(0, "k1", "1", 0, 10), set(0, "k1", "2", 20, 30),
		{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50}})
	p := promotion(kvs("k1", "1"), kvs("k1", "1"))
	p.Seq = 10
	base := func() PromotionInput {
		return PromotionInput{Promotions: []Promotion{p}, Ops: ops, Replicas: 1, Chunks: waitStream()}
	}

	in := base()
	in.Chunks = in.Chunks[:2] // n2 never applied n1's stream
	res := CheckPromotion(in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.LostOnFailover)

	in = base()
	in.Chunks[2].Data = enc(cmd("SET", "k1", "1")) // n2 applied only the first write
	assert.Empty(t, CheckPromotion(in).Violations)

	in = base()
	in.FullSyncs = []FullSync{{Seq: 5, Node: "n2", ReplID: "X", Offset: 7}}
	assert.Empty(t, CheckPromotion(in).Violations, "a full resync from another history replaced n2's data")

	in = base()
	in.Restarts = []Restart{{Seq: 6, Node: "n2"}}
	assert.Empty(t, CheckPromotion(in).Violations, "n2 restarted since")

	in = base()
	in.Chunks = in.Chunks[:2]
	in.FullSyncs = []FullSync{{Seq: 5, Node: "n2", ReplID: "R", Offset: 56}}
	assert.Len(t, CheckPromotion(in).Violations, 1, "a full resync through the writes gave n2 both")

	in = base()
	in.Restarts = []Restart{{Seq: 2, Node: "n2"}}
	assert.Len(t, CheckPromotion(in).Violations, 1, "a restart before n2 applied the writes changes nothing")
}

// A write sent to the old master in an earlier epoch, held by a partition
// and run late, explains a value the promoted node has: not a WAIT loss.
func TestPromotionLateWriteFromEarlierEpochExplainsValue(t *testing.T) {
	inEpoch1 := func(ops []Op) []Op {
		for i := range ops {
			ops[i].Epoch = 1
		}
		return ops
	}
	ops := inEpoch1([]Op{set(0, "k1", "1", 0, 10), set(0, "k1", "2", 20, 30),
		{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50}})
	p := promotion(kvs("k1", "late"), kvs("k1", "late"))
	p.Seq, p.Epoch = 10, 1
	in := PromotionInput{Promotions: []Promotion{p}, Ops: ids(ops), Replicas: 1, Chunks: waitStream()}
	require.Len(t, CheckPromotion(in).Violations, 1, "nothing explains \"late\" over the waited write")

	late := Op{Client: 3, Node: "n1", Epoch: 0, Kind: OpSet, Key: "k1", Value: "late", Call: 1, Unknown: true}
	in.Ops = ids(append(append([]Op(nil), ops...), late))
	assert.Empty(t, CheckPromotion(in).Violations, "an epoch-0 write with no reply may have run late on n1")
}

// When the master's count of a WAIT is known, it binds exactly the
// replicas it counted, whatever they had applied: a replica it counted
// that lacks the write is a violation; one it did not count is free.
func TestPromotionWaitBindsTheReplicasTheMasterCounted(t *testing.T) {
	ops := ids([]Op{set(0, "k1", "1", 0, 10), set(0, "k1", "2", 20, 30),
		{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50}})
	p := promotion(kvs("k1", "1"), kvs("k1", "1"))
	p.Seq = 10
	in := PromotionInput{Promotions: []Promotion{p}, Ops: ops, Replicas: 1,
		Chunks:   waitStream()[:2], // n2 applied nothing: the old rule would not bind it
		WaitAcks: []WaitAck{{Seq: 3, At: 45, Master: "n1", Client: 0, Offset: 56, Replicas: []string{"n2"}}}}
	vs := CheckPromotion(in).Violations
	require.Len(t, vs, 1)
	assert.Equal(t, PropWaitDurability, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "n1 counted n2 among the replicas that acknowledged")

	in.WaitAcks[0].Replicas = []string{"n3"}
	assert.Empty(t, CheckPromotion(in).Violations, "n2 was not counted: nothing was promised about it")

	in.WaitAcks[0].Replicas = []string{"n2"}
	in.FullSyncs = []FullSync{{Seq: 5, Node: "n2", ReplID: "X", Offset: 7}}
	assert.Empty(t, CheckPromotion(in).Violations, "a full resync after the count replaced n2's data")

	// A restart recorded before the count, of a crash after the last
	// write: the count may have read an ACK of the process that crashed
	// (seed 5914780, a master paused meanwhile).
	in.FullSyncs = nil
	in.Restarts = []Restart{{Seq: 2, Node: "n2", CrashAt: 25, RestartAt: 35}}
	assert.Empty(t, CheckPromotion(in).Violations)
	in.Restarts[0].CrashAt = 15
	assert.Len(t, CheckPromotion(in).Violations, 1, "a crash before the last write: its ACK came from the new process")
}

// A WAIT whose offset was 0 (the writes came before any replica attached,
// so they were never in the stream) promises nothing about them, though
// every online replica counts (seed 108631).
func TestPromotionWaitAtOffsetZeroPromisesNothing(t *testing.T) {
	ops := ids([]Op{set(0, "k1", "1", 0, 10), set(0, "k1", "2", 20, 30),
		{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50}})
	p := promotion(kvs("k1", "1"), kvs("k1", "1"))
	p.Seq = 10
	in := PromotionInput{Promotions: []Promotion{p}, Ops: ops, Replicas: 1,
		WaitAcks: []WaitAck{{Seq: 3, At: 45, Master: "n1", Client: 0, Offset: 0, Replicas: []string{"n2"}}}}
	assert.Empty(t, CheckPromotion(in).Violations, "no stream at all: the writes were not covered")
	in.Chunks = waitStream()[:2]
	assert.Empty(t, CheckPromotion(in).Violations, "the stream was past the acknowledged offset")
	in.WaitAcks[0].Offset = 56
	assert.Len(t, CheckPromotion(in).Violations, 1, "acknowledged through the writes: bound")
}

// An INCR keeps a TTL that a write of an earlier epoch gave the key, so a
// promoted node without the key is explained by expiry (seed 140971).
func TestPromotionIncrKeepsAnEarlierEpochsTTL(t *testing.T) {
	ops := []Op{
		{Client: 0, Node: "n1", Epoch: 0, Kind: OpSet, Key: "k1", Value: "555", TTL: 300, Call: 0, Return: 5},
		{Client: 0, Node: "n1", Epoch: 1, Kind: OpIncr, Key: "k1", Int: 556, Call: 20, Return: 30},
		{Client: 0, Node: "n1", Epoch: 1, Kind: OpWait, Replicas: 1, Int: 1, Call: 40, Return: 50},
	}
	p := promotion(nil, nil)
	p.Seq, p.Epoch = 10, 1
	in := PromotionInput{Promotions: []Promotion{p}, Ops: ids(ops), Replicas: 1, Chunks: waitStream(),
		WaitAcks: []WaitAck{{Seq: 3, At: 45, Master: "n1", Client: 0, Offset: 1 << 20, Replicas: []string{"n2"}}}}
	assert.Empty(t, CheckPromotion(in).Violations)
}

// A key the old master held a local value in during its epoch (it was a
// writable replica before its promotion, seed 53691) is not judged: its
// epoch's writes built on a value the promoted node never had. A local
// value of a third node, or one a full sync ended before the epoch, does
// not excuse it.
func TestPromotionOldMastersLocalKeyProvesNoLoss(t *testing.T) {
	in := PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "519"), kvs("k1", "519"))},
		Ops: ids([]Op{{Client: 1, Node: "n1", Kind: OpIncr, Key: "k1", Int: 520, Call: 20, Return: 30}}), Replicas: 1}
	require.Equal(t, 1, CheckPromotion(in).LostOnFailover)
	local := Op{Client: 9, Node: "n1", Kind: OpIncr, Key: "k1", Int: 519, Call: 5, Return: 8}
	in.LocalWrites = []Op{local}
	assert.Zero(t, CheckPromotion(in).LostOnFailover)
	in.FullSyncs = []FullSync{{At: 10, Node: "n1", Master: "n3"}}
	assert.Equal(t, 1, CheckPromotion(in).LostOnFailover, "a full sync replaced it before the epoch")
	in.FullSyncs = nil
	local.Node = "n3"
	in.LocalWrites = []Op{local}
	assert.Equal(t, 1, CheckPromotion(in).LostOnFailover, "another node's")
}

// The old master's local value stops excusing a key once that master
// overwrote it blindly after the local write had taken effect: its later
// writes build on a value it replicated, and their loss counts. A blind
// write called before the local write returned may have run first.
func TestPromotionOldMastersBlindOverwriteEndsTheExcuse(t *testing.T) {
	local := Op{Client: 9, Node: "n1", Kind: OpIncr, Key: "k1", Int: 519, Call: 5, Return: 8}
	overwrite := Op{Client: 1, Node: "n1", Kind: OpSet, Key: "k1", Value: "7", Call: 12, Return: 14}
	incr := Op{Client: 1, Node: "n1", Kind: OpIncr, Key: "k1", Int: 8, Call: 20, Return: 30}
	in := PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "519"), kvs("k1", "519"))},
		Ops: ids([]Op{overwrite, incr}), Replicas: 1, LocalWrites: []Op{local}}
	assert.Equal(t, 2, CheckPromotion(in).LostOnFailover, "the SET and the INCR on it are lost")
	local.Return = 13 // the local write may have landed after the SET
	in.LocalWrites = []Op{local}
	assert.Zero(t, CheckPromotion(in).LostOnFailover)
	local.Return = 8
	in.LocalWrites = []Op{local}
	in.Ops = ids([]Op{{Client: 1, Node: "n1", Kind: OpAppend, Key: "k1", Value: "x", Int: 4, Call: 12, Return: 14}, incr})
	assert.Zero(t, CheckPromotion(in).LostOnFailover, "an APPEND builds on the local value")
}
