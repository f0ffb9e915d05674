package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInfoCounters(t *testing.T) {
	line := func(at, clockMs int64, resets int, format string, args ...string) LogLine {
		msg := format
		if len(args) > 0 {
			msg = format + " " + args[0]
		}
		return LogLine{Node: "n1", At: at, ClockMs: clockMs, StatResets: resets, Format: format, Args: args, Msg: msg}
	}
	log := []LogLine{
		line(1, 1_000, 0, logAsksSync, "n2:6379"),
		line(1, 1_000, 0, logPartialOK, "n2:6379"),
		line(2, 2_000, 0, logAsksSync, "n3:6379"),
		line(2, 2_000, 0, "Partial resynchronization not accepted: %s", "Replication ID mismatch"),
		line(3, 3_000, 0, logAsksSync, "n4:6379"),
		line(3, 3_000, 0, logNoBacklog, "n4:6379"),
		line(4, 4_000, 0, logAsksSync, "n5:6379"),
		line(4, 4_000, 0, logFullRequested, "n5:6379"),
		line(5, 5_000, 0, logAsksSync, "n6:6379"),
		line(5, 5_000, 0, logAsksWrong, "n6:6379"),
		line(6, 5_900, 0, logRewriteStarted),
		line(7, 8_100, 0, "Background AOF rewrite finished successfully"),
		line(8, 9_000, 0, logRewriteStarted),
	}
	info := func(full, ok, errs, rewrites, last string) string {
		return "# Stats\r\nsync_full:" + full + "\r\nsync_partial_ok:" + ok + "\r\nsync_partial_err:" + errs +
			"\r\n# Persistence\r\naof_rewrites:" + rewrites + "\r\naof_last_rewrite_time_sec:" + last + "\r\n"
	}
	check := func(resets int, text string, lines []LogLine) []Violation {
		return CheckInfoCounters(InfoCountersInput{Lines: lines, Nodes: []InfoCountersNode{{Node: "n1", StatResets: resets, Info: text}}})
	}
	assert.Empty(t, check(0, info("3", "1", "2", "2", "3"), log))

	for _, c := range []struct {
		name, info, field string
	}{
		{"a full sync not counted", info("2", "1", "2", "2", "3"), "sync_full"},
		{"a partial resync not counted", info("3", "0", "2", "2", "3"), "sync_partial_ok"},
		{"a refused PSYNC not counted", info("3", "1", "1", "2", "3"), "sync_partial_err"},
		{"a rewrite not counted", info("3", "1", "2", "1", "3"), "aof_rewrites"},
		{"the rewrite's time not kept", info("3", "1", "2", "2", "-1"), "aof_last_rewrite_time_sec"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := check(0, c.info, log)
			require.Len(t, v, 1)
			assert.Equal(t, "info_counters", v[0].Check)
			assert.Contains(t, v[0].Detail, "INFO "+c.field+":")
		})
	}

	t.Run("CONFIG RESETSTAT clears the counters, not the rewrite time", func(t *testing.T) {
		after := append(append([]LogLine(nil), log...), line(9, 9_500, 1, logAsksSync, "n2:6379"), line(9, 9_500, 1, logPartialOK, "n2:6379"))
		assert.Empty(t, check(1, info("0", "1", "0", "0", "3"), after))
		assert.Empty(t, check(2, info("0", "0", "0", "0", "3"), after), "a reset after the last line")
		assert.Len(t, check(1, info("3", "2", "2", "2", "3"), after), 4, "counted across the reset")
	})
	t.Run("a fresh incarnation has no rewrite time", func(t *testing.T) {
		assert.Empty(t, check(0, info("0", "0", "0", "0", "-1"), nil))
	})
}
