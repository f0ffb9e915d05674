package checker

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplIDs(t *testing.T) {
	id := func(c string) string { return strings.Repeat(c, 40) }
	line := func(node string, gen int, format string, args ...any) LogLine {
		l := LogLine{Node: node, Gen: gen, Format: format, Msg: fmt.Sprintf(format, args...)}
		for _, a := range args {
			l.Args = append(l.Args, fmt.Sprint(a))
		}
		return l
	}
	log := []LogLine{
		line("m", 0, logBacklogCreated, id("b"), zeroReplID), // 0
		line("r", 0, logTryPartial, id("c"), 11),             // 1
		line("r", 0, logFullFromMaster, id("b"), 1),          // 2
		line("r", 0, logFullSyncDone),                        // 3
		line("r", 0, logSecondaryID, id("b"), 120, id("d")),  // 4
		line("m", 0, logBacklogFreed, 3),                     // 5
		line("m", 0, logReplidChanged, id("d")),              // 6
		line("x", 0, logTryPartial, id("c"), 11),             // 7
		line("x", 0, logFullFromMaster, id("b"), 1),          // 8
		line("x", 0, logTryPartial, id("c"), 11),             // 9
		line("x", 0, logRetrySync),                           // 10
		line("x", 0, logFullSyncDone),                        // 11
		line("z", 0, logTryPartial, id("c"), 11),             // 12
		line("z", 0, logRetrySync),                           // 13
		line("z", 0, logFullSyncDone),                        // 14
		line("z", 0, logSecondaryID, "", 40, id("6")),        // 15
	}
	sample := func(node string, gen, logs int, a, b, off string) ReplIDSample {
		return ReplIDSample{Node: node, Gen: gen, Logs: logs, ID: a, ID2: b, Second: off}
	}
	good := []ReplIDSample{
		sample("m", 0, 0, id("a"), zeroReplID, "-1"),
		sample("r", 0, 0, id("c"), zeroReplID, "-1"),
		sample("m", 0, 1, id("b"), zeroReplID, "-1"), // the first replica's backlog
		sample("r", 0, 3, id("c"), zeroReplID, "-1"), // the transfer runs
		sample("r", 0, 4, id("b"), zeroReplID, "-1"), // loaded
		sample("r", 0, 5, id("d"), id("b"), "120"),   // REPLICAOF NO ONE
		sample("m", 0, 6, id("e"), zeroReplID, "-1"), // a freed backlog's new ID
		sample("m", 0, 7, id("d"), id("e"), "4711"),  // +CONTINUE with another ID
		sample("x", 0, 7, id("c"), zeroReplID, "-1"),
		sample("x", 0, 12, id("b"), zeroReplID, "-1"), // SYNC takes the last +FULLRESYNC's ID
		sample("m", 1, 12, id("9"), id("8"), "77"),    // a new process
		sample("z", 0, 12, id("c"), zeroReplID, "-1"),
		sample("z", 0, 15, "", zeroReplID, "-1"), // SYNC with no +FULLRESYNC in the process: blank
		sample("z", 0, 16, id("6"), "", "40"),    // a shift moves the blank ID to the second
	}
	assert.Empty(t, CheckReplIDs(ReplIDInput{Lines: log, Samples: good}))

	t.Run("backlog created with a secondary ID", func(t *testing.T) {
		v := CheckReplIDs(ReplIDInput{Lines: []LogLine{line("m", 0, logBacklogCreated, id("b"), id("a"))},
			Samples: []ReplIDSample{sample("m", 0, 1, id("b"), id("a"), "-1")}})
		require.Len(t, v, 1, "%v", v)
		assert.Equal(t, "repl_ids", v[0].Check)
	})

	t.Run("second offset after +CONTINUE with another ID", func(t *testing.T) {
		log := []LogLine{
			line("y", 0, logTryPartial, id("c"), 501),
			line("y", 0, logReplidChanged, id("d")),
		}
		ok := sample("y", 0, 2, id("d"), id("c"), "501")
		assert.Empty(t, CheckReplIDs(ReplIDInput{Lines: log, Samples: []ReplIDSample{ok}}))
		for _, off := range []string{"500", "-1", "502"} {
			bad := sample("y", 0, 2, id("d"), id("c"), off)
			v := CheckReplIDs(ReplIDInput{Lines: log, Samples: []ReplIDSample{bad}})
			require.Len(t, v, 1, "%v", v)
			assert.Contains(t, v[0].Detail, "second_repl_offset")
		}
	})

	for name, bad := range map[int]ReplIDSample{
		2:  sample("m", 0, 1, id("a"), zeroReplID, "-1"), // a new backlog without the new ID
		3:  sample("r", 0, 3, id("b"), zeroReplID, "-1"), // the ID taken before the load
		5:  sample("r", 0, 5, id("d"), zeroReplID, "-1"), // the shift without replid2
		7:  sample("m", 0, 7, id("d"), id("d"), "4711"),  // replid2 not the old ID
		10: sample("m", 1, 12, id("7"), id("8"), "77"),   // a change with no line
		6:  sample("m", 0, 6, id("e"), id("b"), "-1"),    // a freed backlog keeping replid2
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			samples := append(append([]ReplIDSample{}, good[:name]...), bad)
			if name == 10 {
				samples = append(append([]ReplIDSample{}, good[:11]...), bad)
			}
			v := CheckReplIDs(ReplIDInput{Lines: log, Samples: samples})
			require.Len(t, v, 1, "%v", v)
			assert.Equal(t, "repl_ids", v[0].Check)
		})
	}

	// After a SYNC fallback the load takes the last +FULLRESYNC's ID of
	// the process, or a blank one; a shift moves it to the second.
	for name, tc := range map[string]struct {
		prefix int
		bad    ReplIDSample
	}{
		"SYNC not taking the last +FULLRESYNC's ID": {9, sample("x", 0, 12, id("f"), zeroReplID, "-1")},
		"SYNC keeping the replica's own ID":         {12, sample("z", 0, 15, id("c"), zeroReplID, "-1")},
		"the shift not moving the blank ID":         {13, sample("z", 0, 16, id("6"), id("c"), "40")},
	} {
		t.Run(name, func(t *testing.T) {
			v := CheckReplIDs(ReplIDInput{Lines: log, Samples: append(append([]ReplIDSample{}, good[:tc.prefix]...), tc.bad)})
			require.Len(t, v, 1, "%v", v)
			assert.Equal(t, "repl_ids", v[0].Check)
		})
	}

	t.Run("a blank ID in a process with no full sync", func(t *testing.T) {
		v := CheckReplIDs(ReplIDInput{Samples: []ReplIDSample{sample("w", 0, 0, "", zeroReplID, "-1")}})
		require.Len(t, v, 1, "%v", v)
		assert.Contains(t, v[0].Detail, "a blank ID")
	})

	t.Run("a freed backlog keeping its ID (mutant backlog_ttl.go:28:2)", func(t *testing.T) {
		samples := append(append([]ReplIDSample{}, good[:6]...), sample("m", 0, 6, id("b"), zeroReplID, "-1"))
		v := CheckReplIDs(ReplIDInput{Lines: log, Samples: samples})
		require.Len(t, v, 1, "%v", v)
		assert.Contains(t, v[0].Detail, "the ID it had before")
	})
}
