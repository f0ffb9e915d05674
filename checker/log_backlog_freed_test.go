package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBacklogTTLZeroNeverFrees(t *testing.T) {
	freed := func(ttl string) LogLine {
		return LogLine{Node: "n1", Format: logBacklogFreed, Args: []string{ttl},
			Msg: "Replication backlog freed after " + ttl + " seconds without connected replicas."}
	}
	assert.Empty(t, checkBacklogTTLZero([]LogLine{freed("3")}))
	v := checkBacklogTTLZero([]LogLine{freed("0")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "repl-backlog-ttl 0 keeps the backlog forever")
}
