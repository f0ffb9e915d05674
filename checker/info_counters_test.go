package checker

import (
	"strings"
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
		line(9, 9_500, 0, logSaveStarted, "7"),
	}
	info := func(full, ok, errs, rewrites, last string) string {
		return "# Stats\r\nsync_full:" + full + "\r\nsync_partial_ok:" + ok + "\r\nsync_partial_err:" + errs +
			"\r\n# Persistence\r\nrdb_saves:1\r\nrdb_last_bgsave_time_sec:-1\r\naof_rewrites:" + rewrites + "\r\naof_last_rewrite_time_sec:" + last + "\r\naof_last_bgrewrite_status:ok\r\naof_rewrites_consecutive_failures:0\r\n"
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

	t.Run("a background save not counted (mutant persist_rdb.go:134:2)", func(t *testing.T) {
		more := append(append([]LogLine(nil), log...), line(10, 9_600, 0, logForkFailed, "Cannot allocate memory"))
		v := check(0, info("3", "1", "2", "2", "3"), more)
		require.Len(t, v, 1)
		assert.Contains(t, v[0].Detail, "INFO rdb_saves:1, but its log")
		assert.Contains(t, v[0].Detail, "shows 2 background saves tried")
	})

	t.Run("CONFIG RESETSTAT clears the counters, not the rewrite time", func(t *testing.T) {
		after := append(append([]LogLine(nil), log...), line(9, 9_500, 1, logAsksSync, "n2:6379"), line(9, 9_500, 1, logPartialOK, "n2:6379"))
		assert.Empty(t, check(1, info("0", "1", "0", "0", "3"), after))
		assert.Empty(t, check(2, info("0", "0", "0", "0", "3"), after), "a reset after the last line")
		assert.Len(t, check(1, info("3", "2", "2", "2", "3"), after), 4, "counted across the reset")
	})
	t.Run("a fresh incarnation has no rewrite time", func(t *testing.T) {
		assert.Empty(t, check(0, info("0", "0", "0", "0", "-1"), nil))
	})
	t.Run("aof_last_bgrewrite_status follows the last rewrite's outcome", func(t *testing.T) {
		status := func(v string) string {
			return info("3", "1", "2", "2", "3") + "aof_last_bgrewrite_status:" + v + "\r\n"
		}
		withEnd := func(msg string) []LogLine {
			return append(append([]LogLine(nil), log...), line(9, 12_100, 0, msg))
		}
		for _, msg := range []string{
			"Background AOF rewrite terminated with error",
			"Error trying to rename the temporary AOF base file temp-rewriteaof-bg-1.aof into appendonlydir/a.2.base.rdb: No space left on device",
			"Can't persist the AOF manifest after the rewrite: disk full",
			"Can't open the append-only file appendonly.aof.3.incr.aof: No space left on device",
			"Can't persist the AOF manifest: disk full",
			"Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
			"Can't rewrite append only file in background: fork: Cannot allocate memory",
		} {
			fails := "0"
			for _, p := range rewriteDoneFailures {
				if strings.HasPrefix(msg, p) {
					fails = "1"
				}
			}
			status := func(v string) string { return status(v) + "aof_rewrites_consecutive_failures:" + fails + "\r\n" }
			assert.Empty(t, check(0, status("err"), withEnd(msg)), msg)
			v := check(0, status("ok"), withEnd(msg))
			require.Len(t, v, 1, msg)
			assert.Contains(t, v[0].Detail, "INFO aof_last_bgrewrite_status:ok, but its log since the start says err")
		}
		failedThenOK := append(withEnd("Background AOF rewrite terminated with error"), line(10, 13_000, 1, logRewriteStarted),
			line(11, 14_000, 1, logRewriteOK))
		assert.Empty(t, check(1, info("0", "0", "0", "1", "1")+"aof_last_bgrewrite_status:ok\r\n", failedThenOK))
		assert.Len(t, check(0, status("err"), log), 1, "no failure logged")
		assert.Empty(t, check(0, status("ok"), withEnd("Can't open the append-only file: disk full")),
			"not Redis's line (openNewIncrAofForAppend names the file)")
	})

	t.Run("aof_rewrites_consecutive_failures", func(t *testing.T) {
		fails := func(n string) string {
			return info("3", "1", "2", "3", "1") + "aof_rewrites_consecutive_failures:" + n + "\r\n"
		}
		twice := append(append([]LogLine(nil), log...),
			line(9, 12_000, 0, "Background AOF rewrite terminated with error"),
			line(10, 13_000, 0, logRewriteStarted), // a start failure or a kill counts nothing
			line(11, 14_000, 0, "Can't persist the AOF manifest after the rewrite: disk full"))
		counts := func(n string, replies ...ChildReply) []Violation {
			return CheckInfoCounters(InfoCountersInput{Lines: twice, Replies: replies,
				Nodes: []InfoCountersNode{{Node: "n1", Info: fails(n) + "aof_last_bgrewrite_status:err\r\n"}}})
		}
		for _, n := range []string{"0", "1", "3"} {
			// Mutants aof_rewrite.go:186 (no count) and 170 (no reset).
			v := counts(n)
			require.Len(t, v, 1, n)
			assert.Contains(t, v[0].Detail, "INFO aof_rewrites_consecutive_failures:"+n+",")
		}
		assert.Empty(t, counts("2"))
		scheduled := ChildReply{Node: "n1", Call: 10, Return: 10, Args: []string{"BGREWRITEAOF"}, Reply: logRewriteScheduledReply}
		assert.Empty(t, counts("1", scheduled), "a scheduled BGREWRITEAOF zeroes it")
		scheduled.Call = 12
		assert.Empty(t, counts("0", scheduled), "after the last failure")
		scheduled.Call = 11
		assert.Empty(t, counts("7", scheduled), "at the instant of a failure: not judged")
		quiet := func(call int64) []Violation {
			return CheckInfoCounters(InfoCountersInput{Lines: twice, QuietRewrites: []NodeCall{{Node: "n1", Call: call, Return: call + 1}},
				Nodes: []InfoCountersNode{{Node: "n1", Info: fails("0") + "aof_last_bgrewrite_status:err\r\n"}}})
		}
		assert.Empty(t, quiet(10), "a BGREWRITEAOF sent with replies off may have zeroed it")
		assert.Empty(t, quiet(99), "even after the node's last line")
		resetNode := InfoCountersNode{Node: "n1", StatResets: 1, Info: info("0", "0", "0", "0", "1") + "aof_last_bgrewrite_status:err\r\n"}
		assert.Empty(t, CheckInfoCounters(InfoCountersInput{Lines: twice, Nodes: []InfoCountersNode{resetNode}}), "CONFIG RESETSTAT zeroes it")
	})
}

// rdb_last_bgsave_time_sec is the seconds of its clock the last reaped RDB
// child took, to disk or to sockets, a killed one too
// (backgroundSaveDoneHandler); the node used to time only saves to disk
// that ended by themselves.
func TestInfoLastBgsaveTime(t *testing.T) {
	at := func(sec int64, format string, args ...any) LogLine {
		l := line(sec, format, args...)
		return l
	}
	info := func(v string) []InfoCountersNode {
		return []InfoCountersNode{{Node: "n1", Info: "# Persistence\r\nrdb_saves:1\r\nrdb_last_bgsave_time_sec:" + v +
			"\r\naof_rewrites:0\r\naof_last_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\naof_rewrites_consecutive_failures:0\r\n" +
			"# Stats\r\nsync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\n"}}
	}
	transfer := []LogLine{at(1, logSaveStarted, 7), at(2, logSaveDone), at(3, logSendStarted, 8), at(5, logSendBySignal, 10)}
	assert.Empty(t, CheckInfoCounters(InfoCountersInput{Lines: transfer, Nodes: info("2")}))
	v := CheckInfoCounters(InfoCountersInput{Lines: transfer, Nodes: info("1")})
	require.Len(t, v, 1, "the killed transfer not timed")
	assert.Contains(t, v[0].Detail, "rdb_last_bgsave_time_sec")
}
