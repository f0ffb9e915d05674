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

// aofRewriteLimited's delay starts at a minute and doubles (mutant
// aof_rewrite_limit.go:27:2 left it at 0).
func TestRewriteLimitDelays(t *testing.T) {
	limit := func(minutes string) LogLine {
		return LogLine{Node: "n1", Proc: 1, Format: logRewriteLimited, Args: []string{minutes},
			Msg: "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in " + minutes + " minutes"}
	}
	start := LogLine{Node: "n1", Proc: 1, Format: logAOFRWStarted, Args: []string{"9"}}

	assert.Empty(t, rewriteLimitDelays([]LogLine{limit("1"), start, limit("2"), start, limit("4")}))
	var doubling []LogLine
	for _, m := range []string{"1", "2", "4", "8", "16", "32", "60", "60"} {
		doubling = append(doubling, limit(m), start)
	}
	assert.Empty(t, rewriteLimitDelays(doubling), "capped at an hour")

	v := rewriteLimitDelays([]LogLine{limit("0")})
	require.Len(t, v, 1, "the corrupted first line")
	assert.Contains(t, v[0].Detail, "starts at 1 minute")

	v = rewriteLimitDelays([]LogLine{limit("1"), start, limit("1")})
	require.Len(t, v, 1, "not doubled, one rewrite between")
	assert.Contains(t, v[0].Detail, "with 1 rewrites started since")
	assert.Empty(t, rewriteLimitDelays([]LogLine{limit("1"), start, limit("2"), start, start, start, limit("1")}), "a new streak")
	other := limit("1")
	other.Proc = 2
	assert.Empty(t, rewriteLimitDelays([]LogLine{limit("1"), start, other}), "another process starts again")
}
