package checker

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOffsetAheadWarned(t *testing.T) {
	refused := func(at, req, off int64) LogLine {
		return LogLine{Node: "n1", At: at, ReplOffset: off, Format: logNoBacklog, Args: []string{"n2:6379", strconv.FormatInt(req, 10)},
			Msg: "Unable to partial resync with replica n2:6379 for lack of backlog (Replica request was: " + strconv.FormatInt(req, 10) + ")."}
	}
	warn := func(at int64) LogLine {
		return LogLine{Node: "n1", At: at, Format: logOffsetAhead, Args: []string{"n2:6379"}}
	}
	other := func(at int64) LogLine {
		return LogLine{Node: "n1", At: at, Format: logFullRequested, Args: []string{"n2:6379"}}
	}
	elsewhere := LogLine{Node: "n3", At: 1, Format: "x"}

	assert.Empty(t, offsetAheadWarned([]LogLine{refused(1, 500, 400), elsewhere, warn(1), other(1)}), "ahead, warned")
	assert.Empty(t, offsetAheadWarned([]LogLine{refused(1, 5, 400), other(1)}), "behind, no warning")
	assert.Empty(t, offsetAheadWarned([]LogLine{refused(1, 401, 400), warn(1)}), "one past the offset is ahead")

	v := offsetAheadWarned([]LogLine{refused(1, 500, 400), other(1)})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "no warning after it")
	}
	v = offsetAheadWarned([]LogLine{refused(1, 400, 400), warn(1)})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "the warning after it")
	}
	assert.Len(t, offsetAheadWarned([]LogLine{refused(1, 900, 400)}), 1, "the last line of the log")
}
