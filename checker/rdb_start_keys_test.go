package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRDBStartKeysCountsEachKeyOnce(t *testing.T) {
	proc := func(l LogLine) LogLine { l.Node, l.Proc = "n1", 2; return l }
	in := func(replica bool, lines ...LogLine) LogInput {
		return LogInput{Lines: lines, RDBStarts: []RDBStart{{Node: "n1", Proc: 2, Keys: 10, Replica: replica}}}
	}
	// A master skips the keys already expired; a later load (DEBUG
	// RELOAD, a full sync) is another file; another process is not judged.
	assert.Empty(t, checkRDBStartKeys(in(false, proc(line(1, logRDBLoaded, 7, 3)), proc(line(2, logRDBLoaded, 4, 0)))))
	assert.Empty(t, checkRDBStartKeys(in(true, proc(line(1, logRDBLoaded, 10, 0)))))
	other := line(1, logRDBLoaded, 1, 0)
	other.Node, other.Proc = "n1", 3
	assert.Empty(t, checkRDBStartKeys(in(false, other)))

	cases := []struct {
		replica bool
		line    LogLine
		want    string
	}{
		// The expired keys loaded as well.
		{false, proc(line(1, logRDBLoaded, 10, 3)), "holding 10 keys"},
		{false, proc(line(1, logRDBLoaded, 6, 3)), "holding 10 keys"},
		{true, proc(line(1, logRDBLoaded, 7, 3)), "started as a replica"},
	}
	for _, tc := range cases {
		vs := checkRDBStartKeys(in(tc.replica, tc.line))
		require.Len(t, vs, 1, tc.line.Msg)
		assert.Equal(t, "node_log", vs[0].Check)
		assert.Contains(t, vs[0].Detail, tc.want)
	}
}
