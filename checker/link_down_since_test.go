package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLinkDownSince(t *testing.T) {
	line := func(node string, gen int, clockMs int64, format string) LogLine {
		return LogLine{Node: node, Gen: gen, ClockMs: clockMs, Format: format, Msg: format}
	}
	log := []LogLine{
		line("r1", 0, 10_900, logFullSyncDone),
		line("r1", 0, 20_900, logMasterLost), // second 20
		line("r2", 0, 21_000, logMasterLost),
		line("r1", 0, 30_000, logPartialDone),
		line("r1", 0, 31_500, logMasterLost), // second 31
		line("r1", 0, 40_000, logMasterMode),
		line("r2", 1, 50_000, "Server initialized"),
	}
	sample := func(node string, gen int, clockMs int64, logs int, v string) LinkDownSample {
		return LinkDownSample{Node: node, Gen: gen, ClockMs: clockMs, Logs: logs, Value: v}
	}
	good := []LinkDownSample{
		sample("r1", 0, 5_000, 0, "-1"),  // never up
		sample("r1", 0, 21_100, 2, "1"),  // seconds 21 - 20, though 200 ms passed
		sample("r2", 0, 25_999, 3, "4"),  // its own loss
		sample("r1", 0, 31_600, 5, "0"),  // the later loss, after a partial resync
		sample("r1", 0, 45_000, 6, "-1"), // REPLICAOF NO ONE, then another master
		sample("r2", 1, 50_500, 7, "-1"), // a new process
		sample("r2", 0, 50_999, 7, "29"), // the old one still counts from its loss
	}
	assert.Empty(t, CheckLinkDownSince(LinkDownInput{Lines: log, Samples: good}))

	for name, bad := range map[string]LinkDownSample{
		"milliseconds, not the clock's seconds": sample("r1", 0, 21_100, 2, "0"),
		"the loss not taken as the link's end":  sample("r1", 0, 21_100, 2, "-1"),
		"the link up not clearing it":           sample("r1", 0, 30_500, 4, "9"),
		"REPLICAOF NO ONE not clearing it":      sample("r1", 0, 45_000, 6, "13"),
		"a restarted process keeping the old":   sample("r2", 1, 50_500, 7, "29"),
		"a value that is no number":             sample("r1", 0, 21_100, 2, ""),
	} {
		t.Run(name, func(t *testing.T) {
			v := CheckLinkDownSince(LinkDownInput{Lines: log, Samples: []LinkDownSample{bad}})
			require.Len(t, v, 1)
			assert.Equal(t, "link_down_since", v[0].Check)
		})
	}
}
