package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisklessDelayKept(t *testing.T) {
	asks := func(name string, at, clockMs int64) LogLine {
		return LogLine{Node: "n1", At: at, ClockMs: clockMs, Format: logAsksSync, Args: []string{name},
			Msg: "Replica " + name + " asks for synchronization"}
	}
	delay := func(at int64) LogLine {
		return LogLine{Node: "n1", At: at, Format: logDelayDiskless, Msg: logDelayDiskless, DisklessSync: true, DisklessDelaySec: 1}
	}
	start := func(at, clockMs, delay, max int64) LogLine {
		return LogLine{Node: "n1", At: at, ClockMs: clockMs, Format: logSyncToSockets, Msg: logSyncToSockets,
			DisklessDelaySec: delay, DisklessMaxReplicas: max}
	}
	lost := func(name string, at int64) LogLine {
		return LogLine{Node: "n1", At: at, Format: logReplicaLost, Args: []string{name}, Msg: "Connection with replica " + name + " lost."}
	}
	cases := []struct {
		name  string
		lines []LogLine
		bad   bool
		want  string
	}{
		{"a delay line without a delay", []LogLine{asks("n2:7002", 1, 10_000),
			{Node: "n1", At: 1, Format: logDelayDiskless, Msg: logDelayDiskless, DisklessSync: true}, start(2, 10_100, 0, 0)}, true, "only with a delay"},
		{"started after the delay", []LogLine{asks("n2:7002", 1, 10_900), delay(1), start(2, 15_000, 5, 0)}, false, ""},
		{"started a whole second too soon", []LogLine{asks("n2:7002", 1, 10_100), delay(1), start(2, 14_900, 5, 0)}, true, ""},
		{"started at once (delay ignored)", []LogLine{asks("n2:7002", 1, 10_000), delay(1), start(2, 10_100, 1, 0)}, true, ""},
		{"no delay", []LogLine{asks("n2:7002", 1, 10_000), delay(1), start(2, 10_100, 0, 0)}, false, ""},
		{"enough replicas wait", []LogLine{asks("n2:7002", 1, 10_000), delay(1), start(2, 10_100, 5, 1)}, false, ""},
		{"a request that did not wait", []LogLine{asks("n2:7002", 1, 10_000), start(1, 10_000, 5, 0)}, false, ""},
		{"an earlier replica still waits", []LogLine{asks("n2:7002", 1, 5_000), delay(1), asks("n3:7003", 2, 10_000), delay(2), start(3, 10_100, 5, 0)}, false, ""},
		{"the earlier replica left", []LogLine{asks("n2:7002", 1, 5_000), delay(1), lost("n2:7002", 2), asks("n3:7003", 2, 10_000), delay(2), start(3, 10_100, 5, 0)}, true, ""},
		{"a second connection of the same replica keeps the first one's wait", []LogLine{
			asks("n3:7003", 1, 5_000), delay(1), asks("n3:7003", 2, 10_000), delay(2), start(3, 10_100, 5, 0)}, false, ""},
		{"a loss takes the later of two connections of one name", []LogLine{
			asks("n3:7003", 1, 5_000), delay(1), asks("n3:7003", 2, 10_000), delay(2), lost("n3:7003", 3), start(4, 10_100, 5, 0)}, false, ""},
		{"two losses take both connections of one name", []LogLine{
			asks("n3:7003", 1, 5_000), delay(1), asks("n3:7003", 2, 10_000), delay(2), lost("n3:7003", 3), lost("n3:7003", 3),
			asks("n2:7002", 4, 10_000), delay(4), start(5, 10_100, 5, 0)}, true, ""},
		{"a request served by an earlier transfer does not count", []LogLine{
			asks("n2:7002", 1, 5_000), delay(1), start(2, 10_000, 5, 0), asks("n2:7002", 3, 11_000), delay(3), start(4, 12_000, 5, 0)}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := disklessDelayKept(c.lines)
			if c.want == "" {
				c.want = "within repl-diskless-sync-delay"
			}
			if !c.bad {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Contains(t, got[0].Detail, c.want)
		})
	}
}
