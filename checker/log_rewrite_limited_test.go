package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRewriteLimitHeld(t *testing.T) {
	limit := func(clockMs int64, minutes string) LogLine {
		return LogLine{Node: "n1", Proc: 1, At: clockMs * 1e6, ClockMs: clockMs, Format: logRewriteLimited, Args: []string{minutes},
			Msg: "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in " + minutes + " minutes"}
	}
	start := LogLine{Node: "n1", Proc: 1, At: 5e9, ClockMs: 5000, Format: logAOFRWStarted, Args: []string{"9"}}

	v := rewriteLimitHeld([]LogLine{limit(1000, "1"), limit(2000, "2")})
	require.Len(t, v, 1, "the second line a second after the first, which holds for a minute")
	assert.Contains(t, v[0].Detail, "59 s before the retry time")

	assert.Empty(t, rewriteLimitHeld([]LogLine{limit(1000, "1"), limit(61000, "2")}), "at the retry time")
	assert.Empty(t, rewriteLimitHeld([]LogLine{limit(1000, "1"), start, limit(6000, "1")}), "a rewrite started between")
	other := limit(2000, "1")
	other.Proc = 2
	assert.Empty(t, rewriteLimitHeld([]LogLine{limit(1000, "1"), other}), "another process")
}
