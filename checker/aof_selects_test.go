package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// incrWrite is what process 1 of n1 appended to f from 10s to 20s.
func incrWrite(origin IncrOrigin, data ...[]byte) AOFIncrWrite {
	w := AOFIncrWrite{Node: "n1", Proc: 1, Name: "appendonly.aof.2.incr.aof", Origin: origin, From: 10e9, To: 20e9}
	for _, d := range data {
		w.Data = append(w.Data, d...)
	}
	return w
}

func procLine(sec int64, format string, args ...any) LogLine {
	l := line(sec, format, args...)
	l.Proc = 1
	return l
}

// A process's SELECTs in an incr file follow aof_selected_db.
func TestAOFSelectsFollowTheSelectedDB(t *testing.T) {
	good := enc(cmd("SELECT", "0"), cmd("SET", "a", "1"), cmd("INCR", "b"), cmd("SELECT", "1"), cmd("SET", "c", "1"),
		cmd("SELECT", "0"), cmd("MULTI"), cmd("SET", "a", "2"), cmd("EXEC"))
	ts := []byte("#TS:1767225600\r\n")
	for _, origin := range []IncrOrigin{IncrAtStart, IncrOnRewrite, IncrTemp} {
		assert.Empty(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(origin, ts, good)}, nil, nil), origin)
	}

	repeated := incrWrite(IncrAtStart, enc(cmd("SELECT", "0"), cmd("SET", "a", "1"), cmd("SELECT", "0"), cmd("SET", "b", "1")))
	v := CheckAOFSelects([]AOFIncrWrite{repeated}, nil, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "1 SELECT(s) of the db already selected (the first, SELECT 0, at byte 50)")

	missing := incrWrite(IncrTemp, enc(cmd("SET", "a", "1"), cmd("SELECT", "0"), cmd("SET", "b", "1")))
	v = CheckAOFSelects([]AOFIncrWrite{missing}, nil, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "the first command, SET a 1, has no SELECT before it")

	// What the file cannot be read past is left alone.
	torn := incrWrite(IncrAtStart, good, []byte("*2\r\n$6\r\nSEL"))
	assert.Empty(t, CheckAOFSelects([]AOFIncrWrite{torn}, nil, nil))
}

// The log may show where aof_selected_db was reset inside a file.
func TestAOFSelectsResetsTheLogShows(t *testing.T) {
	carried := enc(cmd("SET", "a", "1"), cmd("SELECT", "0"), cmd("SET", "b", "1"), cmd("SELECT", "0"), cmd("SET", "c", "1"))
	writeErr := procLine(5, logAOFWriteError, "No space left on device")
	made := procLine(10, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof")
	lines := []LogLine{writeErr, made}
	assert.Empty(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrOnRewrite, carried)}, lines, nil),
		"a failed write's buffer carried into the new file, ahead of the reset")
	assert.Len(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrOnRewrite, carried)}, []LogLine{made}, nil), 1,
		"with no failed write, the new file starts after the reset")
	assert.Len(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrTemp, carried)}, lines, nil), 1,
		"the rewrite that turns the AOF on starts with an empty buffer")

	repeated := enc(cmd("SELECT", "0"), cmd("SET", "a", "1"), cmd("SELECT", "0"), cmd("SET", "b", "1"))
	openFailed := procLine(15, logAOFOpenFailed, "appendonly.aof.3.incr.aof", "Input/output error")
	assert.Empty(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrAtStart, repeated)}, []LogLine{openFailed}, nil),
		"a rewrite's start reset aof_selected_db and could not switch files")
	otherProc := openFailed
	otherProc.Proc = 2
	assert.Len(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrAtStart, repeated)}, []LogLine{otherProc}, nil), 1)

	dropped := []DiskFault{{At: 12e9, Node: "n1", Op: "sync", Path: "appendonlydir/appendonly.aof.2.incr.aof"}}
	assert.Empty(t, CheckAOFSelects([]AOFIncrWrite{incrWrite(IncrAtStart, repeated)}, nil, dropped),
		"a failed fsync may have dropped a SELECT")
}
