package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChildPidsNamed(t *testing.T) {
	line := func(at int64, format, arg string) LogLine {
		return LogLine{Node: "n1", Proc: 1, At: at, Format: format, Args: []string{arg}, Msg: format[:len(format)-2] + arg}
	}
	good := []LogLine{line(1, logSaveStarted, "3"), line(2, logAOFRWStarted, "4"), line(3, logRWKillChild, "4"), line(4, logSendStarted, "5")}
	assert.Empty(t, childPidsNamed(good))

	v := childPidsNamed([]LogLine{line(2, logAOFRWStarted, "0")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "fork() gives the parent a child's pid, above 0")

	v = childPidsNamed([]LogLine{line(2, logAOFRWStarted, "4"), line(3, logAOFRWStarted, "6"), line(4, logRWKillChild, "4")})
	require.Len(t, v, 1, "the kill names an older rewrite's pid")
	assert.Contains(t, v[0].Detail, "the running rewrite's start line named pid 6")
}
