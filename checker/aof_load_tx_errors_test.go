package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFTxErrors(t *testing.T) {
	nested := line(2, logAOFClientError, "ERR MULTI calls can not be nested", "multi")
	v := aofTxErrors([]LogLine{nested})
	require.Len(t, v, 1, "mutant aof_load.go:390:27 ran the commands of a MULTI at once and queued its EXEC")
	assert.Contains(t, v[0].Detail, "an AOF holds each transaction whole")
	assert.Empty(t, aofTxErrors([]LogLine{line(2, logAOFClientError, "ERR invalid expire time in 'set' command", "set")}))
}
