package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	tailSelect = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
	tailSet    = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
	tailMulti  = "*1\r\n$5\r\nMULTI\r\n"
	tailExec   = "*1\r\n$4\r\nEXEC\r\n"
)

// The offsets are those real redis-server 7.0.15 logged for the same
// bytes in its last incr file.
func TestScanAOFTail(t *testing.T) {
	whole := tailSelect + tailSet // 50 bytes
	for name, c := range map[string]struct {
		data string
		want aofTail
	}{
		"empty":                    {"", aofTail{judged: true}},
		"whole":                    {whole, aofTail{judged: true}},
		"whole multi":              {whole + tailMulti + tailSet + tailExec, aofTail{judged: true}},
		"partial annotation":       {whole + "#TS:12", aofTail{judged: true}},
		"torn first command":       {tailSelect[:13], aofTail{judged: true, short: true, cut: 0}},
		"torn star":                {"*", aofTail{judged: true, short: true, cut: 0}},
		"torn after annotation":    {whole + "#TS:1234\r\n*3\r\n$3\r\nSE", aofTail{judged: true, short: true, cut: 50}},
		"torn crlf":                {whole + tailSet[:len(tailSet)-1], aofTail{judged: true, short: true, cut: 50}},
		"open multi":               {whole + tailMulti + tailSet, aofTail{judged: true, short: true, revert: true, cut: 50}},
		"open multi after comment": {whole + "#TS:1\r\n" + tailMulti + tailSet, aofTail{judged: true, short: true, revert: true, cut: 50}},
		"torn inside multi":        {whole + tailMulti + tailSet + "*3\r\n$3\r\nSE", aofTail{short: true, cut: 92}},
		"bad format":               {"*-1\r\n" + whole, aofTail{}},
		"no crlf after argument":   {"*1\r\n$4\r\nPINGxx", aofTail{}},
		"rdb preamble":             {"REDIS0010\xff", aofTail{}},
		// An empty line where a count belongs (gate seed 35784 panicked).
		"empty line":      {whole + "\n" + tailSet, aofTail{}},
		"empty bulk line": {"*1\r\n\n", aofTail{}},
	} {
		assert.Equal(t, c.want, scanAOFTail([]byte(c.data)), name)
	}
}

func TestAOFTailsJudgeTheLoad(t *testing.T) {
	const name = "appendonly.aof.1.incr.aof"
	start := func(data string) []AOFStart {
		return []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(data)}}
	}
	loaded := line(2, logAOFLoaded)
	short := []LogLine{line(2, logShortRead, name), line(2, logTruncating, name, 0), line(2, logTruncated, name), loaded}
	torn := start(tailSelect[:5])
	// Redis's lines for a torn first command, and none for a whole file.
	assert.Empty(t, CheckAOFTails(torn, short, nil))
	assert.Empty(t, CheckAOFTails(start(tailSelect), []LogLine{loaded}, nil))
	// A refused start, or one whose read was hit, is not judged.
	assert.Empty(t, CheckAOFTails(torn, nil, nil))
	assert.Empty(t, CheckAOFTails(torn, []LogLine{loaded}, []DiskFault{{At: 2e9, Node: "n1", Op: "bitflip"}}))
	// A revert: its line first.
	open := start(tailSelect + tailMulti + tailSet)
	revert := append([]LogLine{line(2, logRevertMulti, name)}, short[:1]...)
	revert = append(revert, line(2, logTruncating, name, 23), short[2], loaded)
	assert.Empty(t, CheckAOFTails(open, revert, nil))

	for what, c := range map[string]struct {
		starts []AOFStart
		lines  []LogLine
		want   string
	}{
		"torn head loaded silently":     {torn, []LogLine{loaded}, "ends inside a command, its last whole command ending at offset 0"},
		"cut elsewhere":                 {torn, append(short[:1:1], line(2, logTruncating, name, 3), loaded), `truncation at "3"`},
		"a short read of a whole file":  {start(tailSelect), short, "ends after a whole command"},
		"revert not logged":             {open, revert[1:], "Redis logs \"Revert incomplete MULTI/EXEC transaction in AOF file " + name + "\" before its short read"},
		"revert logged for a torn file": {torn, append([]LogLine{line(2, logRevertMulti, name)}, short...), "does not end inside a MULTI"},
	} {
		vs := CheckAOFTails(c.starts, c.lines, nil)
		require.Len(t, vs, 1, what)
		assert.Contains(t, vs[0].Detail, c.want, what)
	}
	// Lines of another process at the same instant are not the load's.
	other := append([]LogLine(nil), short[:3]...)
	for i := range other {
		other[i].Proc = 1
	}
	vs := CheckAOFTails(torn, append(other, loaded), nil)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "the node logged short read false")
}

// With aof-load-truncated no a file that ends inside a command is refused
// with Redis's line, and with yes it is loaded: the other way round is
// caught.
func TestAOFTailsAofLoadTruncatedNo(t *testing.T) {
	const name = "appendonly.aof.1.incr.aof"
	start := func(no bool) []AOFStart {
		return []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect[:5]), NoLoadTruncated: no}}
	}
	uxeof := []LogLine{line(2, logUnexpectedAOFEnd, name)}
	short := []LogLine{line(2, logShortRead, name), line(2, logTruncating, name, 0), line(2, logTruncated, name), line(2, logAOFLoaded)}
	assert.Empty(t, CheckAOFTails(start(true), uxeof, nil))
	v := CheckAOFTails(start(true), short, nil)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "with aof-load-truncated no: Redis logs \"Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can:")
		assert.Contains(t, v[0].Detail, "but the node loaded it (short read true, truncation at \"0\")")
	}
	assert.Empty(t, CheckAOFTails(start(true), nil, nil), "refused before the file: CheckRestartLoads judges it")
	v = CheckAOFTails(start(false), uxeof, nil)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "and aof-load-truncated is yes: Redis truncates it and loads it, but the node refused it")
	}

	// A file that ends inside a MULTI logs the revert before the refusal,
	// and a torn one does not.
	open := []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect + tailMulti + tailSet), NoLoadTruncated: true}}
	reverted := append([]LogLine{line(2, logRevertMulti, name)}, uxeof...)
	assert.Empty(t, CheckAOFTails(open, reverted, nil))
	v = CheckAOFTails(open, uxeof, nil)
	if assert.Len(t, v, 1, "the revert not logged") {
		assert.Contains(t, v[0].Detail, "with aof-load-truncated no: Redis logs \"Revert incomplete MULTI/EXEC transaction in AOF file "+name+"\" before")
	}
	v = CheckAOFTails(start(true), reverted, nil)
	if assert.Len(t, v, 1, "a revert logged for a torn command") {
		assert.Contains(t, v[0].Detail, "Redis reverts no MULTI there")
	}
}

// A truncation that fails (a disk fault) ends as Redis's does: "Error
// truncating the AOF file", then the unexpected end, and no load. Without
// a fault, that line is a refusal of a file Redis loads.
func TestAOFTailsFailedTruncation(t *testing.T) {
	const name = "appendonly.aof.1.incr.aof"
	torn := []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect[:5])}}
	failed := []LogLine{line(2, logShortRead, name), line(2, logTruncating, name, 0),
		line(2, logTruncateFailed, name, "Input/output error"), line(2, logUnexpectedAOFEnd, name)}
	written := []DiskFault{{At: 2e9, Node: "n1", Op: "write"}}
	assert.Empty(t, CheckAOFTails(torn, failed, written))
	v := CheckAOFTails(torn, failed, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with no disk fault in that instant")
	v = CheckAOFTails(torn, []LogLine{line(2, logUnexpectedAOFEnd, name)}, written)
	require.Len(t, v, 1, "the unexpected end with no failed truncation: a refusal")
	assert.Contains(t, v[0].Detail, "but the node refused it")
}
