package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRestartPsyncOffersTheRDBHistory(t *testing.T) {
	id := "0123456789012345678901234567890123456789"
	proc := func(l LogLine) LogLine { l.Node, l.Proc = "n2", 3; return l }
	in := func(lines ...LogLine) LogInput {
		return LogInput{Lines: lines, RDBStarts: []RDBStart{{Node: "n2", Proc: 3, Replica: true, ReplID: id, Offset: 99}}}
	}
	assert.Empty(t, checkRestartPsync(in(proc(line(1, logTryPartial, id, 100)))))
	// A REPLICAOF first ends the judging; another process is not judged.
	assert.Empty(t, checkRestartPsync(in(proc(line(1, logMasterMode, "id=3")), proc(line(2, logNoCached)))))
	other := proc(line(1, logNoCached))
	other.Proc = 4
	assert.Empty(t, checkRestartPsync(in(other)))
	for _, bad := range []LogLine{
		proc(line(1, logNoCached)),
		proc(line(1, logTryPartial, id, 99)),
		proc(line(1, logTryPartial, "9876543210987654321098765432109876543210", 100)),
	} {
		v := checkRestartPsync(in(bad, proc(line(2, logTryPartial, id, 100))))
		if assert.Len(t, v, 1, bad.Msg) {
			assert.Contains(t, fmt.Sprint(v), "started from an RDB holding replication ID "+id+" at offset 99, then logged "+fmt.Sprintf("%q", bad.Msg))
		}
	}
}
