package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The writes on a writable replica that found their key missing, and
// failed or did nothing, may have expired it there: each adds a DEL of
// its key; writes that found the key (WRONGTYPE, SET NX answered 0) or
// were refused before running add none.
func TestLocalLookupDeletes(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	lset := func(key, err string) Op {
		return Op{Node: "n2", Kind: OpCmd, Key: key, Args: []string{"LSET", key, "0", "x"}, Err: err, Call: 10, Return: 20}
	}
	ops := []Op{
		lset("l1", errNoSuchKey),
		lset("l2", errWrongType),
		lset("l3", "ERR index out of range"),
		{Node: "n2", Kind: OpRename, Key: "k1", Key2: "k9", Err: errNoSuchKey, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetXX, Key: "k2", Value: "v", Int: 0, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetXX, Key: "k3", Value: "v", Int: 1, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetNX, Key: "k4", Value: "v", Int: 0, Call: 10, Return: 20},
		{Node: "n2", DB: 3, Kind: OpExpire, Key: "k5", TTL: 0, Int: 0, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetRange, Key: "k6", By: 3, Value: "", Int: 0, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetRange, Key: "k7", By: 3, Value: "", Int: 5, Call: 10, Return: 20},
		{Node: "n2", Kind: OpSetRange, Key: "k8", By: 1 << 40, Value: "x", Err: errStringTooLong, Call: 10, Return: 20},
		{Node: "n2", Kind: OpTx, DB: 2, Call: 10, Return: 20, Sub: []Op{
			{Kind: OpCmd, DB: 2, Key: "l4", Args: []string{"LSET", "l4", "0", "x"}, Err: errNoSuchKey},
			{Kind: OpSet, DB: 2, Key: "k10", Value: "v"}}},
		{Node: "n2", Kind: OpTx, Err: "EXECABORT Transaction discarded because of previous errors.", Call: 10, Return: 20, Sub: []Op{
			{Kind: OpCmd, Key: "l5", Args: []string{"LSET", "l5", "0", "x"}, Err: errNoSuchKey}}},
		{Node: "n2", Kind: OpSetXX, Key: "k11", Value: "v", Err: "OOM command not allowed when used memory > 'maxmemory'.", Call: 10, Return: 20},
		{Node: "n1", Kind: OpSetXX, Key: "k12", Value: "v", Int: 0, Call: 10, Return: 20},
		// Gate seed 95215: SMOVE looks up both keys before its type checks.
		{Node: "n2", Kind: OpCmd, Key: "k13", Args: []string{"SMOVE", "k13", "k14", "m"}, Err: "WRONGTYPE Operation against a key holding the wrong kind of value", Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "s1", Args: []string{"SMOVE", "s1", "s2", "m"}, Int: 0, Exists: true, Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "s3", Args: []string{"SMOVE", "s3", "s4", "m"}, Int: 1, Exists: true, Call: 10, Return: 20},
		// Seed 502097: a blocking command answered UNBLOCKED had looked up
		// every key it blocked on, BLMOVE and BRPOPLPUSH their source only.
		{Node: "n2", Kind: OpCmd, Key: "z1", Args: []string{"BZPOPMIN", "z1", "z2", "0.1"}, Err: errUnblockedRole, Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "l6", Args: []string{"BLPOP", "l6", "l7", "0"}, Err: errUnblocked, Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "l8", Args: []string{"BLMOVE", "l8", "l9", "LEFT", "LEFT", "0"}, Err: errUnblockedRole, Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "l10", Args: []string{"BRPOPLPUSH", "l10", "l11", "0"}, Err: errUnblocked, Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "l12", Args: []string{"BLPOP", "l12", "-1"}, Err: "ERR timeout is negative", Call: 10, Return: 20},
		{Node: "n2", Kind: OpCmd, Key: "l13", Args: []string{"BLPOP", "l13", "l14", "0.1"}, Exists: false, Call: 10, Return: 20},
	}
	var dels []dbKey
	for _, op := range LocalWrites(LocalInput{Ops: ops, Settings: settings}) {
		if op.Kind == OpDel {
			require.Equal(t, "n2", op.Node)
			require.Empty(t, op.Err)
			dels = append(dels, dbKey{op.DB, op.Key})
		}
	}
	assert.ElementsMatch(t, []dbKey{{0, "l1"}, {0, "k1"}, {0, "k2"}, {3, "k5"}, {0, "k6"}, {0, "k8"}, {2, "l4"},
		{0, "k13"}, {0, "k14"}, {0, "s1"}, {0, "s2"}, {0, "z1"}, {0, "z2"}, {0, "l6"}, {0, "l7"}, {0, "l8"}, {0, "l10"}}, dels)
}

const errUnblockedRole = "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"

// Seed 502097: a writable replica whose clock runs ahead of its master's
// blocks on BZPOPMIN z1 k1 0.1, whose lookup deletes the master's k1,
// expired on the replica's clock; the master's INCR k1 then makes 1 there
// where the master has 2 (Redis 7.0.15's blockingGenericZpopCommand looks
// each key up with lookupKeyWrite, which deletes an expired key on a
// writable replica). The UNBLOCKED error of the replica's change of role
// says it had blocked, so looked up both keys; a BLMOVE blocks after
// looking up its source alone.
func TestPrefixUnblockedPopDeletedItsKeys(t *testing.T) {
	w := newWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch+2e9, 0)}
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "1", "PXAT", "1767225601000")))
	pop := Op{ID: 99, Client: 9, Node: "n2", Kind: OpCmd, Key: "z1", Args: []string{"BZPOPMIN", "z1", "k1", "0.1"},
		Err: errUnblockedRole, Call: w.now + 1, Return: w.now + 2}
	w.now += 10
	w.apply("n2", "R", w.write("n1", "R", cmd("INCR", "k1")))
	w.read("n2", "k1", "1", true)
	settings := []SettingsChange{replicaSettings(0, true, false, true)}

	require.Len(t, CheckPrefix(w.in).Violations, 1, "a replica's INCR result its master never had")
	w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{pop}, Settings: settings})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Unchecked)

	move := pop
	move.Key, move.Args = "l1", []string{"BLMOVE", "l1", "k1", "LEFT", "LEFT", "0.1"}
	w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{move}, Settings: settings})
	require.Len(t, CheckPrefix(w.in).Violations, 1, "BLMOVE looks up its destination only once served")
	pop.Err = "ERR timeout is not a float or out of range"
	w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{pop}, Settings: settings})
	require.Len(t, CheckPrefix(w.in).Violations, 1, "refused before its lookups")
}

// A writable replica whose clock runs ahead of its master's finds the
// master's k1 expired: its SET k1 v XX deletes it and answers nil, the
// master's INCRBY k1 10 then makes 10 there, where the master has 12. Its
// key is the replica's own from the SET on; without the DEL it is not.
func TestPrefixLocalLookupDeleteMarksTheKey(t *testing.T) {
	w := healthy() // the master's k1 is 2
	setxx := Op{ID: 99, Client: 9, Node: "n2", Kind: OpSetXX, Key: "k1", Value: "v", Int: 0, Call: w.now + 1, Return: w.now + 2}
	w.now += 10
	w.apply("n2", "R", w.write("n1", "R", cmd("INCRBY", "k1", "10")))
	w.read("n2", "k1", "10", true)
	settings := []SettingsChange{replicaSettings(0, true, false, true)}

	before := setxx
	before.Int = 1 // had it found k1, it would have set it: marked either way
	w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{before}, Settings: settings})
	assert.Empty(t, CheckPrefix(w.in).Violations)

	w.in.LocalWrites = nil
	require.Len(t, CheckPrefix(w.in).Violations, 1, "a replica's INCRBY result its master never had")
	w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{setxx}, Settings: settings})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Unchecked)
}

// The DEL a failed write may have made by its lookup is inferred, not
// acknowledged: a crash may lose it (sweep seed 43128: SETRANGE k1 with a
// huge offset, refused as too long, on a writable replica the master
// clients were sent to; its k1 existed, and came back from the AOF).
func TestLookupDeleteIsNotAnAcknowledgedWrite(t *testing.T) {
	in := crashAfter(always, 2*sec, 5*sec, "k1", "v")
	setrange := Op{ID: 7, Client: 1, Node: "n1", Kind: OpCmd, Key: "k1", Args: []string{"SETRANGE", "k1", "9223372036854775807", "Z"},
		Err: errStringTooLong, Call: 3 * sec, Return: 3*sec + 10}
	dels := lookupDeletes([]Op{setrange})
	require.Len(t, dels, 1)
	assert.True(t, dels[0].Inferred)
	assert.False(t, dels[0].Acked())
	in.LocalWrites = dels
	assert.Empty(t, CheckDurability(in))
	dels[0].Inferred = false
	require.Len(t, CheckDurability(in), 1, "were it acknowledged, the crash lost it")
}

// Chaos seed 2039587: a writable replica whose clock runs ahead of its
// master's gets the master's SET k1 35 PXAT ..., already past on its own
// clock. Its client's RESTORE k1 (no REPLACE) with a corrupt payload looks
// k1 up for writing first (restoreCommand, cluster.c), which deletes it
// there, and only then answers that the payload is wrong; the master's
// INCR k1 then makes "1" with no TTL on the replica, where the master has
// "36" with its TTL, and the replica answers HGETALL k1 with WRONGTYPE
// where the master's k1 is expired on the replica's clock (an empty
// array). Refused before its lookup (an option) or with REPLACE (no
// lookup), RESTORE deletes nothing.
func TestPrefixRefusedRestoreDeletedItsKey(t *testing.T) {
	w := newWorld()
	w.in.Clocks = Clocks{"n2": FixedClock(testEpoch+2e9, 0)}
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "35", "PXAT", "1767225601000")))
	restore := Op{ID: 99, Client: 9, Node: "n2", Kind: OpCmd, Key: "k1", Args: []string{"RESTORE", "k1", "0", "\x00bad", "FREQ", "15"},
		Err: "ERR DUMP payload version or checksum are wrong", Call: w.now + 1, Return: w.now + 2}
	w.now += 10
	w.apply("n2", "R", w.write("n1", "R", cmd("INCR", "k1")))
	w.readOp("n2", Op{Kind: OpCmd, Key: "k1", Args: []string{"HGETALL", "k1"},
		Err: "WRONGTYPE Operation against a key holding the wrong kind of value"})
	settings := []SettingsChange{replicaSettings(0, true, false, true)}

	require.Len(t, CheckPrefix(w.in).Violations, 1, "a replica's INCR result its master never had")
	for _, err := range []string{"ERR DUMP payload version or checksum are wrong", "ERR Bad data format",
		"ERR Invalid TTL value, must be >= 0", errArgNotInt} {
		r := restore
		r.Err = err
		w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{r}, Settings: settings})
		res := CheckPrefix(w.in)
		assert.Empty(t, res.Violations, err)
		assert.Equal(t, 1, res.Unchecked, err)
	}

	refused := map[string]Op{}
	r := restore
	r.Args, r.Err = []string{"RESTORE", "k1", "0", "\x00bad", "FREQ", "256"}, "ERR Invalid FREQ value, must be >= 0 and <= 255"
	refused["a bad option"] = r
	r = restore
	r.Args, r.Err = []string{"RESTORE", "k1", "0", "\x00bad", "FREQ", "x"}, errArgNotInt
	refused["an option not an integer"] = r
	r = restore
	r.Args = []string{"RESTORE", "k1", "0", "\x00bad", "REPLACE"}
	refused["REPLACE"] = r
	r = restore
	r.Err = "BUSYKEY Target key name already exists."
	refused["BUSYKEY"] = r
	for why, r := range refused {
		w.in.LocalWrites = LocalWrites(LocalInput{Ops: []Op{r}, Settings: settings})
		require.Len(t, CheckPrefix(w.in).Violations, 1, why)
	}
}
