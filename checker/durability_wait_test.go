package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aofLine is a log line of n1's incarnation gen.
func aofLine(at int64, gen int, format string, args ...string) LogLine {
	return LogLine{Node: "n1", Gen: gen, At: at, Format: format, Msg: format, Args: args}
}

// TestDurabilityWaitRewrite: a write after appendonly was switched on is
// promised only once the rewrite that turns the AOF on has finished
// (AOF_WAIT_REWRITE); a crash before leaves the RDB's promise. The write
// of crashAfter runs over [at-10ms, at].
func TestDurabilityWaitRewrite(t *testing.T) {
	base := func() DurabilityInput {
		in := crashAfter(always, 3*sec, 5*sec, "k1", "old")
		in.Settings = []SettingsChange{persisted(0, rdbOnly, true), persisted(2*sec, always, false)}
		return in
	}
	started := aofLine(2*sec, 1, logAOFCreatedOnRW, "temp-appendonly.aof.incr")
	finished := aofLine(4*sec, 1, logAOFRWFinished)

	in := base()
	in.Lines = []LogLine{started}
	assert.Empty(t, CheckDurability(in), "the crash came while the AOF waited")
	// An exit after the heal restarts at once: the new incarnation's
	// lines at the exit's instant do not end the wait (seed 70560).
	in.Lines = []LogLine{started, aofLine(5*sec, 2, "DB loaded from append only file")}
	assert.Empty(t, CheckDurability(in), "the restart at the crash's instant")
	in.Restarts[0].Loaded = kvs("k1", "invented")
	require.Len(t, CheckDurability(in), 1, "the RDB's promise still holds")

	in = base()
	in.Lines = []LogLine{started, finished}
	vs := CheckDurability(in)
	require.Len(t, vs, 1, "the rewrite had turned the AOF on: the write is kept")
	assert.Contains(t, vs[0].Detail, "(appendfsync always)")

	// The line scheduling the rewrite begins the wait as well.
	in = base()
	in.Lines = []LogLine{aofLine(2*sec, 1, logEnabledOtherChild)}
	assert.Empty(t, CheckDurability(in))

	// A rewrite that finished in an earlier incarnation ends no wait of
	// this one; an ordinary rewrite's start (not the temp incr file) begins
	// none.
	in = base()
	in.Lines = []LogLine{aofLine(sec, 0, logAOFRWFinished), started}
	assert.Empty(t, CheckDurability(in))
	in = base()
	in.Lines = []LogLine{aofLine(2*sec, 1, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof")}
	require.Len(t, CheckDurability(in), 1)

	// A wait of an earlier incarnation is over with it.
	in = base()
	in.Lines = []LogLine{aofLine(sec, 0, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), aofLine(2*sec, 1, "Ready to accept connections")}
	require.Len(t, CheckDurability(in), 1)

	// A write that returned before the wait began keeps its promise.
	in = crashAfter(always, 3*sec, 5*sec, "k1", "old")
	in.Settings = []SettingsChange{persisted(0, always, true)}
	in.Lines = []LogLine{aofLine(4*sec, 1, logAOFCreatedOnRW, "temp-appendonly.aof.incr")}
	require.Len(t, CheckDurability(in), 1)
}

// TestAOFWaiting: the last incarnation's AOF still waits after a switch
// on with no rewrite finished since.
func TestAOFWaiting(t *testing.T) {
	start := aofLine(sec, 0, logAOFCreatedOnRW, "temp-appendonly.aof.incr")
	assert.True(t, AOFWaiting([]LogLine{start}, "n1"))
	assert.False(t, AOFWaiting([]LogLine{start}, "n2"))
	assert.False(t, AOFWaiting([]LogLine{start, aofLine(2*sec, 0, logAOFRWFinished)}, "n1"))
	assert.False(t, AOFWaiting([]LogLine{start, aofLine(2*sec, 1, "Ready to accept connections")}, "n1"))
}
