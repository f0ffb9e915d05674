package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// persisted is n1's settings from at on with persistence p.
func persisted(at int64, p Persistence, start bool) SettingsChange {
	return SettingsChange{At: at, Node: "n1", Start: start, Settings: tap.Settings{ReadOnly: true, ServeStale: true,
		AppendOnly: p.AppendOnly, AppendFsync: p.AppendFsync, SaveRules: p.SaveRules}}
}

// TestDurabilityPolicyAtTheWrite: the promise is the persistence in force
// while a write ran, not the one at the crash. The write of crashAfter
// runs over [at-10ms, at].
func TestDurabilityPolicyAtTheWrite(t *testing.T) {
	// Everysec until 4s, always from then: a write at 5s is under always.
	in := crashAfter(always, 5*sec, 5*sec+1, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, everysec, true), persisted(4*sec, always, false)}
	vs := CheckDurability(in)
	require.Len(t, vs, 1, "a write that ran under always is kept")
	assert.Contains(t, vs[0].Detail, "(appendfsync always)")

	// The same write while the node still had everysec (switched to always
	// after it): it may be lost, 1 ms before the crash.
	in.Settings = []SettingsChange{persisted(0, everysec, true), persisted(5*sec+1, always, false)}
	assert.Empty(t, CheckDurability(in), "the crash-time policy does not apply to an earlier write")

	// A switch during the write: the weaker policy holds.
	in.Settings = []SettingsChange{persisted(0, everysec, true), persisted(5*sec-sec/200, always, false)}
	assert.Empty(t, CheckDurability(in))

	// Always at the write, everysec later: it was fsynced before its reply.
	in = crashAfter(everysec, 5*sec, 5*sec+1, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, always, true), persisted(5*sec+1, everysec, false)}
	vs = CheckDurability(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "(appendfsync always)")
}

// TestDurabilityPolicyWeakestUntilTheCrash: under everysec or no, what
// follows the write until the crash counts too; an AOF turned off at any
// instant leaves only the RDB's promise, as does a restart with
// appendonly no.
func TestDurabilityPolicyWeakestUntilTheCrash(t *testing.T) {
	// Everysec at the write, 3 s before the crash: must be there...
	in := crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, everysec, true)}
	require.Len(t, CheckDurability(in), 1)
	// ... unless the policy became no in between (its fsync may never come).
	in.Settings = append(in.Settings, persisted(2*sec+1, Persistence{AppendOnly: true, AppendFsync: "no"}, false))
	assert.Empty(t, CheckDurability(in))

	// The AOF off for a while after the write: RDB's promise only, which
	// still forbids invented values.
	in = crashAfter(always, 2*sec, 5*sec, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, always, true), persisted(3*sec, rdbOnly, false), persisted(4*sec, always, false)}
	assert.Empty(t, CheckDurability(in))
	in.Restarts[0].Loaded = kvs("k1", "invented")
	vs := CheckDurability(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "a value no write ever gave it")

	// The AOF turned on after the write, before the crash: not promised.
	in = crashAfter(always, 2*sec, 5*sec, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, rdbOnly, true), persisted(3*sec, always, false)}
	assert.Empty(t, CheckDurability(in))

	// A restart with appendonly no loads the RDB: only its promise holds.
	in = crashAfter(rdbOnly, 2*sec, 5*sec, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, always, true)}
	assert.Empty(t, CheckDurability(in))
}

// TestDurabilityLocalWritesExplain: a value a client wrote on the node
// while it was a writable replica explains what it comes back with; it
// does not otherwise excuse a lost write.
func TestDurabilityLocalWritesExplain(t *testing.T) {
	in := crashAfter(rdbOnly, 2*sec, 5*sec, "k1", "local")
	require.Len(t, CheckDurability(in), 1)
	in.LocalWrites = []Op{set(0, "k1", "local", sec/2, sec/2+10)}
	assert.Empty(t, CheckDurability(in))
	in = crashAfter(always, 2*sec, 5*sec, "k1", "local")
	in.LocalWrites = []Op{set(0, "k1", "local", sec/2, sec/2+10)}
	require.Len(t, CheckDurability(in), 1, "the acknowledged write after it is lost")

	// The master's APPEND reached the node through a replica where a
	// local write had changed the key: its length there is another
	// (seed 5914820: APPEND k1 a answered 4 on the master, "a" after the
	// replica's local DEL).
	in = crashAfter(rdbOnly, 2*sec, 5*sec, "k1", "a")
	in.Ops = ids(append(in.Ops, Op{Kind: OpAppend, Key: "k1", Value: "a", Int: 4, Call: 3 * sec, Return: 3*sec + 10}))
	vs := CheckDurability(in)
	require.Len(t, vs, 1, "no local write: APPEND gave a value of 4 bytes")
	assert.Contains(t, vs[0].Detail, "a value no write ever gave it")
	in.LocalWrites = []Op{{Kind: OpDel, Key: "k1", Call: sec, Return: sec + 10}}
	assert.Empty(t, CheckDurability(in))
}
