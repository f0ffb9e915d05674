package checker

import (
	"slices"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFFsyncsUnderPolicyNo(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	policy := func(at int64, on bool, fsync string) SettingsChange {
		c := SettingsChange{At: at * 1e9, Node: "n1"}
		c.AppendOnly, c.AppendFsync = on, fsync
		return c
	}
	sync := func(sec int64) FileSync { return FileSync{At: sec * 1e9, Node: "n1", Path: incr} }
	base := func() AOFFsyncInput {
		return AOFFsyncInput{Settings: []SettingsChange{policy(0, true, "everysec"), policy(5, true, "no")}}
	}

	in := base()
	in.Syncs = []FileSync{sync(1), sync(2), sync(3)}
	assert.Empty(t, CheckAOFFsyncs(in), "everysec fsyncs once a second")

	// aof.go:124 mutated (&& -> ||): an fsync a second whatever the policy.
	in.Syncs = append(in.Syncs, sync(6), sync(7))
	v := CheckAOFFsyncs(in)
	require.Len(t, v, 2, "%v", v)
	assert.Equal(t, "aof_fsync", v[0].Check)
	assert.Contains(t, v[0].Detail, "n1 fsynced its AOF "+incr+" at 6.000000s under appendfsync no (in force since 5.000000s)")

	// The fsync of the instant the policy changes, of a switch to
	// appendonly no, of a SHUTDOWN (even one that fails) and of a
	// rewrite's start, and an fsync on a temp file while loading.
	in = base()
	in.Settings = append(in.Settings, policy(8, false, "no"))
	in.Syncs = []FileSync{sync(5), sync(6), sync(7), sync(8), {At: 9e9, Node: "n1", Path: "appendonlydir/temp-truncate-appendonly.aof.1.incr.aof"}}
	in.Lines = []LogLine{line(6, logShutdownFsync), line(7, logRewriteIncr, "appendonly.aof.2.incr.aof")}
	assert.Empty(t, CheckAOFFsyncs(in))

	// A failed fsync is retried until one succeeds, then no more.
	in = base()
	in.Faults = []DiskFault{{At: 4e9, Node: "n1", Op: "sync", Path: incr}, {At: 6e9, Node: "n1", Op: "sync", Path: incr}}
	in.Syncs = []FileSync{sync(7), sync(9)}
	in.Lines = []LogLine{line(4, logEverysecFsyncFail, "Input/output error")} // the first failure's line
	v = CheckAOFFsyncs(in)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "at 9.000000s")
}

// A shutdown that announces its AOF fsync does one (or fails one) at that
// instant; aof.go:244 mutated to skip it does neither.
func TestAOFFsyncAtShutdown(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	in := AOFFsyncInput{Lines: []LogLine{line(3, logShutdownFsync), line(6, logShutdownFsync)},
		Syncs:  []FileSync{{At: 3e9, Node: "n1", Path: incr}},
		Faults: []DiskFault{{At: 6e9, Node: "n1", Op: "sync", Path: incr}}}
	v := CheckAOFFsyncs(in)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, `n1's shutdown fsync of its AOF failed at 6.000000s and it did not log "Fail to fsync the AOF file: %s."`)
	in.Lines = append(in.Lines, line(6, logShutdownFsyncFail, "Input/output error"))
	assert.Empty(t, CheckAOFFsyncs(in), "one fsync done, one failed and logged")
	exited := in
	exited.Lines = []LogLine{line(3, logShutdownFsync), line(6, logShutdownFsync),
		line(6, "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", "Input/output error")}
	assert.Empty(t, CheckAOFFsyncs(exited), "under always the failed flush exits first")
	everysec := in
	everysec.Lines = []LogLine{line(3, logShutdownFsync), line(6, logShutdownFsync)}
	everysec.Syncs = append(everysec.Syncs, FileSync{At: 6e9, Node: "n1", Path: incr})
	assert.Empty(t, CheckAOFFsyncs(everysec), "the everysec fsync failed in that instant, the shutdown's succeeded")
	in.Syncs = nil
	v = CheckAOFFsyncs(in)
	require.Len(t, v, 1, "%v", v)
	assert.Equal(t, "aof_fsync", v[0].Check)
	assert.Contains(t, v[0].Detail, `n1 logged "Calling fsync() on the AOF file." at 3.000000s and fsynced no incr AOF then`)
}

func TestAOFFsyncWithNothingUnsynced(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	policy := func(at int64, on bool, fsync string) SettingsChange {
		c := SettingsChange{At: at, Node: "n1"}
		c.AppendOnly, c.AppendFsync = on, fsync
		return c
	}
	in := AOFFsyncInput{Settings: []SettingsChange{policy(0, true, "always")}}
	in.Syncs = []FileSync{{At: 1e9, Node: "n1", Path: incr, Written: true}, {At: 2e9, Node: "n1", Path: incr, Written: true}}
	assert.Empty(t, CheckAOFFsyncs(in), "each fsync covers what a write added")

	// What an everysec write left unsynced waits for the next write under
	// always (mutant aof.go:161:60 fsynced it from the idle loop).
	idle := in
	idle.Syncs = []FileSync{{At: 1e9, Node: "n1", Path: incr}}
	v := CheckAOFFsyncs(idle)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with nothing written to it in that instant, under appendfsync always")

	in.Syncs = append(in.Syncs, FileSync{At: 3e9, Node: "n1", Path: incr, Unchanged: true})
	v = CheckAOFFsyncs(in)
	require.Len(t, v, 1)
	assert.Equal(t, "aof_fsync", v[0].Check)
	assert.Contains(t, v[0].Detail, "with nothing written since its last fsync, under appendfsync always")

	// A SHUTDOWN's or a rewrite's fsync, the retry of a failed one, and
	// one at a change of settings (appendonly no) may find nothing new.
	in.Lines = []LogLine{line(3, logShutdownFsync)}
	assert.Empty(t, CheckAOFFsyncs(in))
	in.Lines = nil
	in.Faults = []DiskFault{{At: 2.5e9, Node: "n1", Op: "sync", Path: incr}}
	assert.Empty(t, CheckAOFFsyncs(in))
	in.Faults = nil
	in.Settings = append(in.Settings, policy(3e9, false, "always"))
	assert.Empty(t, CheckAOFFsyncs(in))

	// Under always the fsync after a write leaves an everysec fsync's
	// failure standing: the node's retry, with nothing new, comes after it
	// (chaos seed 10575, a replica fed by its master); once, and not
	// across a restart.
	in = AOFFsyncInput{Settings: []SettingsChange{policy(0, true, "everysec"), policy(1.5e9, true, "always")},
		Faults: []DiskFault{{At: 1e9, Node: "n1", Op: "sync", Path: incr}},
		Lines:  []LogLine{line(1, logEverysecFsyncFail, "Input/output error")}}
	in.Syncs = []FileSync{{At: 2e9, Node: "n1", Path: incr}, {At: 3e9, Node: "n1", Path: incr, Unchanged: true}}
	assert.Empty(t, CheckAOFFsyncs(in))
	again := in
	again.Syncs = append(slices.Clone(in.Syncs), FileSync{At: 4e9, Node: "n1", Path: incr, Unchanged: true})
	v = CheckAOFFsyncs(again)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "at 4.000000s with nothing written")
	restarted := in
	restarted.Settings = append(slices.Clone(in.Settings), SettingsChange{At: 2.5e9, Node: "n1", Down: true}, policy(2.6e9, true, "always"))
	v = CheckAOFFsyncs(restarted)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "at 3.000000s with nothing written")
}

// A rewrite's start fsyncs the incr file it lets go (a BIO_CLOSE_FILE
// job), which leaves the failure of an everysec fsync standing: the
// node's retry, on the new incr file with nothing in it, comes after it
// (chaos seed 1021253: a failure at 1.47s, a rewrite at 2.07s, appendfsync
// always at 2.10s, the retry at 2.38s). A retry in the flush before the
// close ends the failure, as does the retry itself.
func TestAOFFsyncRetryAfterRewriteClose(t *testing.T) {
	const old, incr2 = "appendonlydir/appendonly.aof.1.incr.aof", "appendonlydir/appendonly.aof.2.incr.aof"
	policy := func(at int64, fsync string) SettingsChange {
		c := SettingsChange{At: at, Node: "n1"}
		c.AppendOnly, c.AppendFsync = true, fsync
		return c
	}
	in := AOFFsyncInput{Settings: []SettingsChange{policy(0, "everysec"), policy(2.1e9, "always")},
		Faults: []DiskFault{{At: 1e9, Node: "n1", Op: "sync", Path: old}},
		Lines:  []LogLine{line(1, logEverysecFsyncFail, "Input/output error"), line(2, logRewriteIncr, "appendonly.aof.2.incr.aof")},
		Syncs:  []FileSync{{At: 2e9, Node: "n1", Path: old}, {At: 3e9, Node: "n1", Path: incr2, Unchanged: true}}}
	assert.Empty(t, CheckAOFFsyncs(in))

	again := in
	again.Syncs = append(slices.Clone(in.Syncs), FileSync{At: 4e9, Node: "n1", Path: incr2, Unchanged: true})
	v := CheckAOFFsyncs(again)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "n1 fsynced its AOF "+incr2+" at 4.000000s with nothing written")

	retried := in
	retried.Syncs = append([]FileSync{{At: 2e9, Node: "n1", Path: old, Unchanged: true}}, in.Syncs...)
	v = CheckAOFFsyncs(retried)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "at 3.000000s with nothing written")
}

func TestEverysecFsyncFailureLogged(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	start := SettingsChange{At: 0, Node: "n1", Start: true}
	start.AppendOnly, start.AppendFsync = true, "everysec"
	fail := func(sec int64) DiskFault { return DiskFault{At: sec * 1e9, Node: "n1", Op: "sync", Path: incr} }
	ok := func(sec int64) FileSync { return FileSync{At: sec * 1e9, Node: "n1", Path: incr} }
	logged := func(sec int64) LogLine { return line(sec, logEverysecFsyncFail, "Input/output error") }
	in := AOFFsyncInput{Settings: []SettingsChange{start},
		Faults: []DiskFault{fail(2), fail(3), fail(6)}, Syncs: []FileSync{ok(1), ok(4)},
		Lines: []LogLine{logged(2), logged(6)}}
	assert.Empty(t, CheckAOFFsyncs(in), "the first failure after a success logs, a repeat does not")

	for name, edit := range map[string]func(in *AOFFsyncInput){
		"a first failure not logged":  func(in *AOFFsyncInput) { in.Lines = in.Lines[1:] },
		"a repeat logged":             func(in *AOFFsyncInput) { in.Lines = append(in.Lines, logged(3)) },
		"a line without a failure":    func(in *AOFFsyncInput) { in.Lines = append(in.Lines, logged(5)) },
		"the success between forgets": func(in *AOFFsyncInput) { in.Syncs = in.Syncs[:1] },
	} {
		t.Run(name, func(t *testing.T) {
			c := in
			c.Lines, c.Syncs = slices.Clone(in.Lines), slices.Clone(in.Syncs)
			edit(&c)
			v := CheckAOFFsyncs(c)
			require.NotEmpty(t, v)
			assert.Equal(t, "aof_fsync", v[0].Check)
		})
	}
}

// startAppendOnly forgets a failed background fsync and says so: a node
// whose bio fsync failed, then turned its AOF off (stopAppendOnly's own
// fsync leaves the status) and on again, logs "AOF reopen, just ignore
// the AOF fsync error in bio job"; mutant aof_start.go:33:3 dropped the
// line.
func TestReopenForgetsFailedFsync(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	change := func(sec int64, start, aof bool) SettingsChange {
		c := SettingsChange{At: sec * 1e9, Node: "n1", Start: start}
		c.AppendOnly, c.AppendFsync = aof, "everysec"
		return c
	}
	in := AOFFsyncInput{Settings: []SettingsChange{change(0, true, true), change(5, false, false), change(8, false, true)},
		Faults: []DiskFault{{At: 3e9, Node: "n1", Op: "sync", Path: incr}},
		Syncs:  []FileSync{{At: 1e9, Node: "n1", Path: incr}, {At: 5e9, Node: "n1", Path: incr}},
		Lines:  []LogLine{line(3, logEverysecFsyncFail, "Input/output error"), line(8, logRewriteIncr, "appendonly.aof.2.incr.aof"), line(8, logReopenFsyncErr)}}
	assert.Empty(t, CheckAOFFsyncs(in))

	silent := in
	silent.Lines = in.Lines[:2]
	v := CheckAOFFsyncs(silent)
	require.Len(t, v, 1, "%v", v)
	sameInstant := silent
	sameInstant.Settings = []SettingsChange{change(0, true, true), change(8, false, false), change(8, false, true)}
	sameInstant.Syncs = []FileSync{{At: 1e9, Node: "n1", Path: incr}, {At: 8e9, Node: "n1", Path: incr}}
	require.Len(t, CheckAOFFsyncs(sameInstant), 1, "off and on in one instant, the stop's own fsync alone")
	assert.Contains(t, v[0].Detail, "did not log \""+logReopenFsyncErr)

	for name, edit := range map[string]func(in *AOFFsyncInput){
		"a bio fsync succeeded before the stop": func(in *AOFFsyncInput) {
			in.Syncs = append(in.Syncs[:1], FileSync{At: 4e9, Node: "n1", Path: incr}, in.Syncs[1])
		},
		"two fsyncs at the stop, one may be bio's": func(in *AOFFsyncInput) { in.Syncs = append(in.Syncs, in.Syncs[1]) },
		"the rewrite could not start":              func(in *AOFFsyncInput) { in.Lines = append(in.Lines, line(8, logAOFEnableFailed)) },
		// Seed 6100304: off and on in one instant, the stop's flush
		// retrying the failed fsync (it succeeded) before the start.
		"a successful fsync in the reopen's instant": func(in *AOFFsyncInput) { in.Syncs = append(in.Syncs, FileSync{At: 8e9, Node: "n1", Path: incr}) },
		"off and on in one instant, a retry beside the stop's fsync": func(in *AOFFsyncInput) {
			in.Settings = []SettingsChange{in.Settings[0], in.Settings[1], in.Settings[2]}
			in.Settings[1].At = 8e9
			in.Syncs = []FileSync{in.Syncs[0], {At: 8e9, Node: "n1", Path: incr}, {At: 8e9, Node: "n1", Path: incr}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := silent
			c.Lines, c.Syncs = slices.Clone(silent.Lines), slices.Clone(silent.Syncs)
			edit(&c)
			assert.Empty(t, CheckAOFFsyncs(c))
		})
	}
}

// The temp incr file of an AOF waiting for its first rewrite is an incr
// AOF for these rules: its fsyncs under appendfsync no are flagged, and a
// shutdown's fsync of it counts; a shutdown while the rewrite is only
// scheduled fsyncs no file (EBADF), and a replica's load of its master's
// RDB stops the AOF, fsyncing it (stopAppendOnly).
func TestAOFFsyncTempIncr(t *testing.T) {
	const temp = "appendonlydir/temp-appendonly.aof.incr"
	no := SettingsChange{At: 0, Node: "n1"}
	no.AppendOnly, no.AppendFsync = true, "no"
	in := AOFFsyncInput{Settings: []SettingsChange{no}, Syncs: []FileSync{{At: 2e9, Node: "n1", Path: temp}}}
	v := CheckAOFFsyncs(in)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "under appendfsync no")
	in.Lines = []LogLine{line(2, logLoadingDB)}
	assert.Empty(t, CheckAOFFsyncs(in))

	in = AOFFsyncInput{Lines: []LogLine{line(3, logShutdownFsync)}, Syncs: []FileSync{{At: 3e9, Node: "n1", Path: temp}}}
	assert.Empty(t, CheckAOFFsyncs(in))
	in = AOFFsyncInput{Lines: []LogLine{line(3, logShutdownFsync), line(3, logShutdownFsyncFail, "Bad file descriptor")}}
	require.Len(t, CheckAOFFsyncs(in), 1, "the AOF was not waiting: it had a file")
	in.Lines = append([]LogLine{line(1, logEnabledOtherChild)}, in.Lines...)
	assert.Empty(t, CheckAOFFsyncs(in))
}

// stopAppendOnly's "Fail to fsync the AOF file: %s" (CONFIG SET
// appendonly no, a replica's load) follows a failed fsync of the incr
// AOF, or names EBADF while the AOF waited for a scheduled rewrite and had
// no file; a stopped AOF whose stale handle the node fsyncs again (closeFile
// mutated to keep a.file) logs it with neither.
func TestAOFStopFsyncFailureLogged(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	on := SettingsChange{At: 0, Node: "n1", Start: true}
	on.AppendOnly, on.AppendFsync = true, "everysec"
	off := SettingsChange{At: 5e9, Node: "n1"}
	off.AppendFsync = "everysec"
	in := AOFFsyncInput{Settings: []SettingsChange{on, off},
		Faults: []DiskFault{{At: 5e9, Node: "n1", Op: "sync", Path: incr}},
		Lines:  []LogLine{line(5, logEverysecFsyncFail, "Input/output error")}}
	assert.Empty(t, CheckAOFFsyncs(in))

	in.Faults = nil
	v := CheckAOFFsyncs(in)
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "not for want of a file")

	in.Lines = []LogLine{line(2, logEnabledOtherChild), line(5, logEverysecFsyncFail, "Bad file descriptor")}
	assert.Empty(t, CheckAOFFsyncs(in), "the AOF waited for a scheduled rewrite: no file")
	in.Lines = in.Lines[1:]
	assert.Len(t, CheckAOFFsyncs(in), 1, "not waiting: it had a file to fsync")
}

// Under everysec an idle AOF is fsynced only while bytes written are
// unsynced: every fsync of its own, the always policy's included, marks
// them synced (mutant aof.go:177:3 left the always fsync's unmarked, so a
// switch to everysec fsynced again with nothing new).
func TestEverysecIdleFsyncWithNothingUnsynced(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	in := AOFFsyncInput{Settings: []SettingsChange{
		{At: 0, Node: "n1", Settings: tap.Settings{AppendOnly: true, AppendFsync: "always"}},
		{At: 1.5e9, Node: "n1", Settings: tap.Settings{AppendOnly: true, AppendFsync: "everysec"}},
	}}
	in.Syncs = []FileSync{{At: 1e9, Node: "n1", Path: incr, Written: true}, {At: 2e9, Node: "n1", Path: incr}}
	assert.Empty(t, CheckAOFFsyncs(in), "the everysec fsync has bytes to sync")
	in.Syncs[1].Unchanged = true
	v := CheckAOFFsyncs(in)
	require.Len(t, v, 1, "the corrupted history: nothing unsynced")
	assert.Contains(t, v[0].Detail, "with nothing written since its last fsync, under appendfsync everysec")
	in.Lines = []LogLine{line(1, logShutdownFsync)}
	assert.Empty(t, CheckAOFFsyncs(in), "a failed SHUTDOWN's fsync leaves the bytes marked unsynced")
}
