package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisklessStartAtTheFirstDueCron(t *testing.T) {
	ask := line(10, logAsksSync, "n2:6379")
	wait := line(10, logDelayDiskless)
	start := line(15, logSyncToSockets)
	cron := func(sec int64, logs int) ReplIDSample {
		return ReplIDSample{Node: "n1", At: sec * 1e9, ClockMs: epochMs + sec*1000, Logs: logs,
			DisklessSync: true, DisklessDelaySec: 5}
	}
	in := ReplIDInput{Lines: []LogLine{ask, wait, start}, Samples: []ReplIDSample{cron(12, 2), cron(14, 2), cron(15, 3), cron(16, 3)}}
	assert.Empty(t, CheckDisklessStart(in))

	// Mutant repl_master.go:285:73 (idle > delay): the cron at 15 s,
	// idle 5 s, starts nothing.
	late := ReplIDInput{Lines: []LogLine{ask, wait, line(16, logSyncToSockets)}, Samples: []ReplIDSample{cron(14, 2), cron(15, 2), cron(16, 3)}}
	vs := CheckDisklessStart(late)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "idle 5 s, repl-diskless-sync-delay 5 s")

	// A child running holds it; a lost replica no longer waits.
	child := line(11, logSaveStarted, 77)
	assert.Empty(t, CheckDisklessStart(ReplIDInput{Lines: []LogLine{ask, wait, child}, Samples: []ReplIDSample{cron(15, 3), cron(16, 3)}}))
	lost := line(12, logReplicaLost, "n2:6379")
	assert.Empty(t, CheckDisklessStart(ReplIDInput{Lines: []LogLine{ask, wait, lost}, Samples: []ReplIDSample{cron(15, 3)}}))

	// Without diskless sync, or with max-replicas reached, at once.
	noDiskless := cron(11, 2)
	noDiskless.DisklessSync = false
	vs = CheckDisklessStart(ReplIDInput{Lines: []LogLine{ask, line(10, "No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed")}, Samples: []ReplIDSample{noDiskless}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "repl-diskless-sync is no")
	maxed := cron(11, 2)
	maxed.DisklessMaxReplicas = 1
	vs = CheckDisklessStart(ReplIDInput{Lines: []LogLine{ask, wait}, Samples: []ReplIDSample{maxed}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "repl-diskless-sync-max-replicas 1")
}
