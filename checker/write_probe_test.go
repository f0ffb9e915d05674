package checker

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckWriteProbe(t *testing.T) {
	assert.Empty(t, CheckWriteProbe(nil), "no probe: the run did not converge")
	assert.Empty(t, CheckWriteProbe(&WriteProbe{Node: "n1", Reply: "(integer) 0"}))
	assert.Empty(t, CheckWriteProbe(&WriteProbe{Node: "n1", Reply: "NOREPLICAS Not enough good replicas to write.", Refused: true}),
		"min-replicas-to-write may rightly refuse")
	noreplicas := WriteProbe{Node: "n1", Reply: "NOREPLICAS Not enough good replicas to write.", Refused: true, GoodReplicas: 1, MinReplicas: 2}
	assert.Empty(t, CheckWriteProbe(&noreplicas), "fewer good replicas than asked for")
	// Mutant min_replicas.go:36:50: refused with enough good replicas.
	noreplicas.GoodReplicas = 2
	require.Len(t, CheckWriteProbe(&noreplicas), 1)
	v := CheckWriteProbe(&WriteProbe{Node: "n1", At: 12e9, Reply: "MISCONF Errors writing to the AOF file: No space left on device", Refused: true})
	require.Len(t, v, 1)
	assert.Equal(t, PropLiveness, v[0].Check)
	assert.Contains(t, v[0].Detail, "the master n1 refused a write at 12.000000s: MISCONF")
}

// An AOF write error whose data a failed rewrite (the one that was to turn
// the AOF on) dropped has nothing left to retry: Redis keeps refusing.
func TestCheckWriteProbeStuckAOFError(t *testing.T) {
	p := &WriteProbe{Node: "n1", At: 12e9, Reply: "MISCONF Errors writing to the AOF file: No space left on device", Refused: true,
		Lines: []LogLine{line(1, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), line(1, logAOFWriteError, "No space left on device"),
			line(2, logAOFRWErrorBare), line(2, logTempIncrGone, "temp-appendonly.aof.incr")}}
	assert.Empty(t, CheckWriteProbe(p))
	solved := *p
	solved.Lines = append(solved.Lines, line(3, logAOFWriteSolved))
	assert.Len(t, CheckWriteProbe(&solved), 1)
	kept := *p
	kept.Lines = []LogLine{line(1, logAOFWriteError, "No space left on device")}
	assert.Len(t, CheckWriteProbe(&kept), 1, "the data is still in aof_buf: the cron's retry writes it")
}

// The probe's line on a monitor comes from the harness's operator client,
// which has no address: it is not a format violation; any other line
// without an address is.
func TestMonitorSkipsTheProbe(t *testing.T) {
	in := MonitorInput{Sessions: []MonitorSession{{Node: "n1", Client: "m1", Lines: []MonitorLine{
		{At: 1, Text: `1767225609.449734 [0 ] "DEL" "` + ProbeKey + `"`}}}}}
	assert.Empty(t, CheckMonitor(in))
	in.Sessions[0].Lines[0].Text = `1767225609.449734 [0 ] "DEL" "k1"`
	assert.NotEmpty(t, CheckMonitor(in))
}

// A stuck AOF write error lasts from the cleanup that emptied aof_buf to
// the line that clears it, or to the node's next incarnation; a second
// failure while stuck does not start another span.
func TestStuckAOFWriteSpans(t *testing.T) {
	at := func(l LogLine, t int64, gen int) LogLine { l.At, l.Gen = t*sec, gen; return l }
	lines := []LogLine{
		at(line(0, logAOFWriteError, "x"), 1, 0), at(line(0, logTempIncrGone, "t"), 2, 0),
		at(line(0, logAOFWriteError, "x"), 3, 0), at(line(0, logTempIncrGone, "t"), 4, 0),
		at(line(0, logReopenWriteErr), 5, 0),
		at(line(0, logTempIncrGone, "t"), 6, 0), // no failed write: not stuck
		at(line(0, logAOFWriteError, "x"), 7, 0), at(line(0, logTempIncrGone, "t"), 8, 0),
		at(line(0, logAOFCreatedOnRW, "t"), 9, 1), // restarted
		at(line(0, logAOFWriteError, "x"), 10, 1), at(line(0, logTempIncrGone, "t"), 11, 1),
	}
	assert.Equal(t, []timeSpan{{2 * sec, 5 * sec}, {8 * sec, 9 * sec}, {11 * sec, math.MaxInt64}}, stuckAOFWriteSpans(lines, nil, "n1"))
	assert.Empty(t, stuckAOFWriteSpans(lines, nil, "n2"))

	// After a logged error, a failed write on the incr AOF may start an
	// error the 30 s rate limit leaves unlogged; before any, it is logged.
	hidden := []DiskFault{{At: 5500 * 1e6, Node: "n1", Op: "write", Path: "appendonlydir/appendonly.aof.2.incr.aof"}}
	assert.Equal(t, []timeSpan{{2 * sec, 5 * sec}, {6 * sec, 9 * sec}, {11 * sec, math.MaxInt64}}, stuckAOFWriteSpans(lines, hidden, "n1"))
	first := []LogLine{at(line(0, logAOFCreatedOnRW, "t"), 1, 0), at(line(0, logTempIncrGone, "t"), 3, 0)}
	assert.Empty(t, stuckAOFWriteSpans(first, []DiskFault{{At: 2 * sec, Node: "n1", Op: "write", Path: "appendonlydir/appendonly.aof.1.incr.aof"}}, "n1"))
}

// Chaos seed 6031382: a paused node resumes and, in one instant, its
// writes fail and succeed in turn; the last one fails (unlogged, within
// the rate limit) just before the rewrite's cleanup. Seq orders the fault
// between the lines, so the error is stuck.
func TestStuckAOFWriteSpansOrderWithinAnInstant(t *testing.T) {
	seq := func(l LogLine, n int) LogLine { l.At, l.Seq = 2*sec, n; return l }
	lines := []LogLine{
		{Node: "n1", At: 1 * sec, Seq: 1, Format: logAOFShortWrite, Msg: "short"},
		seq(line(0, logAOFWriteSolved), 3), seq(line(0, logAOFWriteSolved), 5), seq(line(0, logTempIncrGone, "t"), 7),
	}
	fault := func(n int) DiskFault {
		return DiskFault{At: 2 * sec, Seq: n, Node: "n1", Op: "write", Path: "appendonlydir/temp-appendonly.aof.incr"}
	}
	assert.Equal(t, []timeSpan{{2 * sec, math.MaxInt64}}, stuckAOFWriteSpans(lines, []DiskFault{fault(2), fault(4), fault(6)}, "n1"),
		"the last write failed")
	assert.Empty(t, stuckAOFWriteSpans(lines, []DiskFault{fault(2), fault(4)}, "n1"), "the last write succeeded")
}
