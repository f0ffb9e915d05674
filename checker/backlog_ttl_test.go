package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBacklogTTL(t *testing.T) {
	line := func(clockMs int64, format string, args ...any) LogLine {
		l := LogLine{Node: "m", Proc: 1, ClockMs: clockMs, Format: format, Msg: fmt.Sprintf(format, args...)}
		for _, a := range args {
			l.Args = append(l.Args, fmt.Sprint(a))
		}
		return l
	}
	log := []LogLine{
		line(10_000, "Server initialized"),     // 0
		line(10_500, logAsksSync, "r:6379"),    // 1
		line(12_300, logReplicaLost, "r:6379"), // 2: alone from 12 s
		line(15_100, logBacklogFreed, 2),       // 3
	}
	idle := func(logs int, clockMs int64, backlog bool) ReplIDSample {
		return ReplIDSample{Node: "m", Logs: logs, ClockMs: clockMs, Master: true, Backlog: backlog, BacklogTTLSec: 2}
	}
	good := []ReplIDSample{
		idle(1, 10_400, false),
		{Node: "m", Logs: 2, ClockMs: 11_400, Master: true, Replicas: 1, Backlog: true, BacklogTTLSec: 2},
		idle(3, 13_300, true),
		idle(3, 14_300, true), // 14 - 12 = 2 whole seconds: not more than the ttl
		idle(4, 15_100, false),
	}
	assert.Empty(t, CheckBacklogTTL(ReplIDInput{Lines: log, Samples: good}))

	for name, bad := range map[string]ReplIDSample{
		"kept past the ttl (mutant backlog_ttl.go:21:24)": idle(3, 15_000, true),
	} {
		t.Run(name, func(t *testing.T) {
			samples := append(append([]ReplIDSample{}, good[:4]...), bad)
			v := CheckBacklogTTL(ReplIDInput{Lines: log, Samples: samples})
			require.Len(t, v, 1, "%v", v)
			assert.Equal(t, PropBacklogTTL, v[0].Check)
			assert.Contains(t, v[0].Detail, "3 whole seconds after")
		})
	}

	t.Run("not judged", func(t *testing.T) {
		for name, smp := range map[string]ReplIDSample{
			"a replica":          {Node: "m", Logs: 3, ClockMs: 20_000, Backlog: true, BacklogTTLSec: 2},
			"with a replica":     {Node: "m", Logs: 3, ClockMs: 20_000, Master: true, Replicas: 1, Backlog: true, BacklogTTLSec: 2},
			"repl-backlog-ttl 0": {Node: "m", Logs: 3, ClockMs: 20_000, Master: true, Backlog: true},
		} {
			assert.Empty(t, CheckBacklogTTL(ReplIDInput{Lines: log, Samples: []ReplIDSample{smp}}), name)
		}
	})

	t.Run("a new process starts the count again", func(t *testing.T) {
		restart := append(append([]LogLine{}, log[:3]...), LogLine{Node: "m", Proc: 2, Gen: 1, ClockMs: 14_900, Msg: "Server initialized"})
		smp := idle(4, 15_500, true)
		smp.Gen = 1
		assert.Empty(t, CheckBacklogTTL(ReplIDInput{Lines: restart, Samples: []ReplIDSample{smp}}))
	})
}
