package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMasterTimeoutsPastReplTimeout(t *testing.T) {
	// repl-timeout 60 s (line's ReplTimeoutMs); the link up at 10 s.
	up := line(10, logFullSyncDone)
	timeout := func(sec int64) LogLine { return line(sec, logMasterTimeout) }
	in := func(readSec int64, lines ...LogLine) LogInput {
		all := append([]LogLine{up}, lines...)
		at, read := int64(-1), int64(-1)
		if readSec >= 0 {
			at, read = readSec*1e9+5e8, epochMs+readSec*1000+500
		}
		return LogInput{Lines: all, MasterReads: []MasterRead{{Line: len(all) - 1, LastReadAt: at, LastReadMs: read, Hz: 10}}}
	}
	assert.Empty(t, checkMasterTimeouts(in(-1, timeout(71))))
	assert.Empty(t, checkMasterTimeouts(in(20, timeout(81))))
	// Mutant repl_replica.go:706:34 (>= for >): a second early.
	vs := checkMasterTimeouts(in(20, timeout(80)))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "60 whole seconds before")
	// The link's start at 10.000 s may have been stamped 9 s.
	assert.Empty(t, checkMasterTimeouts(in(-1, timeout(70))))
	vs = checkMasterTimeouts(in(-1, timeout(69)))
	require.Len(t, vs, 1)
	// A read just past a second may have been stamped with the second
	// before (the cached clock lags up to 1000/hz ms).
	lagged := in(20, timeout(80))
	lagged.MasterReads[0].LastReadMs = epochMs + 20*1000 + 50
	assert.Empty(t, checkMasterTimeouts(lagged))
	// Seed 15744: the clock jumped back after the link's start; the
	// later read, though its clock reads earlier, is the last sign.
	back := in(20, timeout(66))
	back.MasterReads[0].LastReadMs = epochMs + 5*1000
	assert.Empty(t, checkMasterTimeouts(back))
}

// The handshake's and the transfer's timeouts count from the attempt's
// start or its last read (repl_transfer_lastio); mutant
// repl_replica.go:704:34 (>= for >) timed the transfer out a second early.
func TestTransferTimeoutsPastReplTimeout(t *testing.T) {
	start := line(10, logSyncStarted)
	for _, msg := range []string{logTransferTimeout, logConnTimeout} {
		timeout := func(sec int64) LogLine {
			l := line(sec, "%s", msg)
			l.Msg = msg
			return l
		}
		in := func(readSec int64, l LogLine) LogInput {
			at, read := int64(-1), int64(-1)
			if readSec >= 0 {
				at, read = readSec*1e9+5e8, epochMs+readSec*1000+500
			}
			return LogInput{Lines: []LogLine{start, l}, MasterReads: []MasterRead{{Line: 1, LastReadAt: at, LastReadMs: read, Hz: 10}}}
		}
		assert.Empty(t, checkMasterTimeouts(in(20, timeout(81))), msg)
		vs := checkMasterTimeouts(in(20, timeout(80)))
		require.Len(t, vs, 1, msg)
		assert.Contains(t, vs[0].Detail, "60 whole seconds before")
		assert.Empty(t, checkMasterTimeouts(in(-1, timeout(70))), msg)
		require.Len(t, checkMasterTimeouts(in(-1, timeout(69))), 1, msg)
	}
}
