package node

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseManifest(t *testing.T) {
	m, err := parseManifest("m", []byte("# comment\nfile appendonly.aof.2.base.rdb seq 2 type b\n"+
		"file appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.3.incr.aof seq 3 type i\n"+
		"file appendonly.aof.4.incr.aof seq 4 type i extra field\n"))
	require.NoError(t, err)
	require.NotNil(t, m.base)
	assert.Equal(t, "appendonly.aof.2.base.rdb", m.base.name)
	assert.Equal(t, []aofInfo{{"appendonly.aof.1.incr.aof", 1, 'h'}}, m.history)
	assert.Equal(t, []aofInfo{{"appendonly.aof.3.incr.aof", 3, 'i'}, {"appendonly.aof.4.incr.aof", 4, 'i'}}, m.incr)
	assert.Equal(t, int64(2), m.baseSeq)
	assert.Equal(t, int64(4), m.incrSeq)

	type refusal struct {
		num  int
		line string // "-" when Redis prints none
		msg  string
	}
	long := strings.Repeat("a", 1100)
	for name, c := range map[string]struct {
		data string
		want refusal
	}{
		"empty":            {"", refusal{0, "-", "Found an empty AOF manifest"}},
		"blank line":       {"file a seq 1 type b\n\n", refusal{2, "", "Invalid AOF manifest file format"}},
		"spaces only":      {"file a seq 1 type b\n \t\r\n", refusal{2, "", "Invalid AOF manifest file format"}},
		"few fields":       {"file a seq 1\n", refusal{1, "file a seq 1", "Invalid AOF manifest file format"}},
		"odd fields":       {"file a seq 1 type b x\n", refusal{1, "file a seq 1 type b x", "Invalid AOF manifest file format"}},
		"seq 0":            {"file a seq 0 type b\n", refusal{1, "file a seq 0 type b", "Invalid AOF manifest file format"}},
		"seq not a number": {"# c\nfile a seq x1 type b\n", refusal{2, "file a seq x1 type b", "Invalid AOF manifest file format"}},
		"empty type":       {"file a seq 1 type \"\"\n", refusal{1, `file a seq 1 type ""`, "Invalid AOF manifest file format"}},
		"no file":          {"name a seq 1 type b\n", refusal{1, "name a seq 1 type b", "Invalid AOF manifest file format"}},
		"path":             {"file ../a seq 1 type b\n", refusal{1, "file ../a seq 1 type b", "File can't be a path, just a filename"}},
		"backslash":        {"file d\\a seq 1 type b\n", refusal{1, "file d\\a seq 1 type b", "File can't be a path, just a filename"}},
		"two bases":        {"file a seq 1 type b\nfile b seq 2 type b\n", refusal{2, "file b seq 2 type b", "Found duplicate base file information"}},
		"non-monotonic":    {"file a seq 2 type i\nfile b seq 2 type i\n", refusal{2, "file b seq 2 type i", "Found a non-monotonic sequence number"}},
		"unknown type":     {"file a seq 1 type x\n", refusal{1, "file a seq 1 type x", "Unknown AOF file type"}},
		"unterminated":     {"file a seq 1 type b\nfile b seq 1 type i", refusal{2, "-", "The AOF manifest file contains too long line"}},
		"nul":              {"file a\x00 seq 1 type b\n", refusal{1, "-", "The AOF manifest file contains too long line"}},
		"bad quotes":       {"file \"a seq 1 type b\n", refusal{1, "file \"a seq 1 type b", "Invalid AOF manifest file format"}},
		"too long":         {"file " + long + " seq 1 type b\n", refusal{1, "-", "The AOF manifest file contains too long line"}},
		"quote then txt":   {"file \"a\"b seq 1 type b\n", refusal{1, "file \"a\"b seq 1 type b", "Invalid AOF manifest file format"}},
		// fgets reads a long comment 1024 bytes at a time: only the first
		// piece starts with '#'.
		"long comment": {"#" + long + "\nfile a seq 1 type b\n", refusal{2, long[1023:], "Invalid AOF manifest file format"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseManifest("dir/x.manifest", []byte(c.data))
			var me *manifestError
			require.ErrorAs(t, err, &me)
			got := refusal{me.num, "-", me.msg}
			if me.hasLine {
				got.line = me.line
			}
			if !me.hasLine && c.want.num == 0 {
				got.num = 0
			}
			assert.Equal(t, c.want, got)
			assert.Contains(t, err.Error(), "dir/x.manifest")
		})
	}
}

// Manifests Redis reads although it never writes them so: keys in any
// case, quoted names, an unknown key, a seq with trailing text (atoll),
// comments, and a name given twice (the last counts).
func TestParseManifestAsRedisReads(t *testing.T) {
	m, err := parseManifest("m", []byte("# written by hand\nFILE \"b.rdb\" SEQ 7 TYPE b\n"+
		"file x seq 2 type i file i.aof extra 1\nfile j.aof seq 3abc type i\n"))
	require.NoError(t, err)
	require.NotNil(t, m.base)
	assert.Equal(t, aofInfo{"b.rdb", 7, 'b'}, *m.base)
	assert.Equal(t, []aofInfo{{"i.aof", 2, 'i'}, {"j.aof", 3, 'i'}}, m.incr)
}

// TestAtoll: the manifest reads seq as atoll does (strtoll, rdb_log.go).
func TestAtoll(t *testing.T) {
	for in, want := range map[string]int64{
		"12": 12, " +7": 7, "-3x": -3, "x3": 0, "": 0, "-": 0,
		"9223372036854775807": math.MaxInt64, "9223372036854775808": math.MaxInt64,
		"-9223372036854775808": math.MinInt64, "-99999999999999999999": math.MinInt64,
		"123456789012345678901234567890": math.MaxInt64,
	} {
		assert.Equal(t, want, strtoll(in), in)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	var m aofManifest
	m.newBase("weird name\x01.aof")
	m.newIncr("weird name\x01.aof")
	m.newIncr("weird name\x01.aof")
	m.incrToHistory()
	m.newBase("weird name\x01.aof")
	s := m.String()
	assert.Contains(t, s, `file "weird name\x01.aof.2.base.rdb" seq 2 type b`)
	back, err := parseManifest("m", []byte(s))
	require.NoError(t, err)
	assert.Equal(t, m, back)
}

func TestParseAOFCommands(t *testing.T) {
	set := string(encodeCommand("SET", "k", "v"))
	multi := string(encodeCommand("MULTI"))
	exec := string(encodeCommand("EXEC"))
	cases := []struct {
		name   string
		data   string
		count  int
		cut    int
		revert bool
	}{
		{"empty", "", 0, -1, false},
		{"one", set, 1, -1, false},
		{"annotation", "#TS:1700000000\r\n" + set, 1, -1, false},
		{"unterminated annotation at end", set + "#TS:17", 1, -1, false},
		{"torn count", set + "*3", 1, len(set), false},
		{"torn length", set + "*3\r\n$3\r\nSET\r\n$", 1, len(set), false},
		{"torn bulk", set + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab", 1, len(set), false},
		{"torn crlf", set + set[:len(set)-1], 1, len(set), false},
		{"whole multi", multi + set + exec, 3, -1, false},
		{"open multi", set + multi + set, 1, len(set), true},
		// valid_up_to and valid_before_multi stay before an annotation
		// (real redis-server 7.0.15 cuts there too).
		{"torn after annotation", set + "#TS:1234\r\n*3\r\n$3\r\nSE", 1, len(set), false},
		{"open multi after annotation", set + "#TS:1\r\n" + multi + set, 1, len(set), true},
		{"open multi torn", set + multi + set + "*1\r\n", 1, len(set), false},
		{"empty bulk", "*2\r\n$3\r\nGET\r\n$0\r\n\r\n", 1, -1, false},
		// The two bytes after an argument are discarded unchecked
		// (redis-server 7.0.15 loads "$1\r\nvXX" as "v").
		{"no crlf", "*1\r\n$4\r\nPINGxx", 1, -1, false},
		// Counts and lengths are atoi's and strtol's (checked on
		// redis-server 7.0.15: these load).
		{"loose count", "*1x\r\n$4\r\nPING\r\n* +1\r\n$4\r\nPING\r\n", 2, -1, false},
		{"lf-only count", "*1\n$4\r\nPING\r\n", 1, -1, false},
		{"loose length", "*2\r\n$ 3\r\nGET\r\n$01junk\r\nk\r\n", 1, -1, false},
		{"length not a number", "*2\r\n$3\r\nGET\r\n$x\r\n\r\n", 1, -1, false},
		{"count wraps as an int", "*4294967297\r\n$4\r\nPING\r\n", 1, -1, false},
		// The LF-only bulk leaves one byte for the two discarded: the
		// file ends inside the command.
		{"lf only", "*1\n$4\nPING\n", 0, 0, false},
		{"huge bulk", "*1\r\n$999999999999\r\n", 0, 0, false},
		{"saturated bulk", "*1\r\n$99999999999999999999\r\nPING\r\n", 0, 0, false},
		{"huge count", "*99999999999\r\n$4\r\nPING\r\n", 0, 0, false},
		{"star at the end", set + "*", 1, len(set), false},
		// A line longer than fgets's buffer is read in pieces: the
		// annotation's rest is a line of its own, here a comment too.
		{"long annotation", "#" + strings.Repeat("a", 1022) + "#rest\r\n" + set, 1, -1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmds, cut, revert, err := parseAOFCommands([]byte(c.data))
			require.NoError(t, err)
			assert.Len(t, cmds, c.count)
			assert.Equal(t, c.cut, cut)
			assert.Equal(t, c.revert, revert)
		})
	}
	for name, bad := range map[string]string{
		"not a multibulk": "SET k v\r\n",
		"zero args":       "*0\r\n",
		"bad count":       "*x\r\n",
		"negative count":  "*-1\r\n",
		"count then NUL":  "*\x00\r\n",
		"not a bulk":      "*1\r\n+PING\r\n",
		"negative bulk":   "*1\r\n$-1\r\n",
		"long annotation": "#" + strings.Repeat("a", 1022) + "rest\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, _, err := parseAOFCommands([]byte(bad))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "offset")
		})
	}
}

// FuzzParseAOFCommands checks that any bytes give commands, a cut or an
// error, never a panic, and that a cut is a prefix that parses cleanly.
func FuzzParseAOFCommands(f *testing.F) {
	f.Add([]byte(string(encodeCommand("SET", "k", "v")) + "*3\r\n$3"))
	f.Add([]byte("#TS:1\r\n*1\r\n$5\r\nMULTI\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cmds, cut, _, err := parseAOFCommands(data)
		if err != nil {
			return
		}
		if cut < 0 {
			return
		}
		require.LessOrEqual(t, cut, len(data))
		again, cut2, _, err := parseAOFCommands(data[:cut])
		require.NoError(t, err)
		require.Equal(t, -1, cut2)
		require.Equal(t, len(cmds), len(again))
	})
}

// FuzzParseManifest checks that any bytes give a manifest or an error, and
// that a manifest renders to text that parses back to it.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"))
	f.Add([]byte("file \"a b\" seq 3 type h\n# x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseManifest("m", data)
		if err != nil {
			return
		}
		back, err := parseManifest("m", []byte(m.String()))
		if m.empty() && len(m.history) == 0 {
			return
		}
		require.NoError(t, err)
		require.Equal(t, m, back)
	})
}
