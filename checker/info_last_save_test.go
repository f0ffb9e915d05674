package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLastSave(t *testing.T) {
	end := func(lastSave string) InfoCountersNode {
		return InfoCountersNode{Node: "n1", Gen: 1, Proc: 2, StartClockMs: 1_700_000_000_500,
			Info: "# Persistence\r\nrdb_last_save_time:" + lastSave + "\r\n"}
	}
	saved := LogLine{Node: "n1", Gen: 1, Proc: 2, At: 5e9, ClockMs: 1_700_000_004_900, Msg: logSaveDone}
	older := LogLine{Node: "n1", Gen: 1, Proc: 1, At: 1e9, ClockMs: 1_699_999_990_000, Msg: logDBSaved}

	assert.Empty(t, CheckLastSave(InfoCountersInput{Nodes: []InfoCountersNode{end("1700000000")}}), "no save: the start")
	assert.Empty(t, CheckLastSave(InfoCountersInput{Lines: []LogLine{older, saved}, Nodes: []InfoCountersNode{end("1700000004")}}))

	vs := CheckLastSave(InfoCountersInput{Lines: []LogLine{older, saved}, Nodes: []InfoCountersNode{end("1700000000")}})
	require.Len(t, vs, 1, "a BGSAVE's end that did not set lastsave")
	assert.Contains(t, vs[0].Detail, `INFO rdb_last_save_time:1700000000, but by its clock its last successful save ("Background saving terminated with success" at 5.000000s) was at 1700000004`)
	assert.Len(t, CheckLastSave(InfoCountersInput{Lines: []LogLine{older}, Nodes: []InfoCountersNode{end("1699999990")}}), 1,
		"a save of an earlier process (a failed start) is not this one's")
}
