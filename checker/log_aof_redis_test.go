package checker

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// redisLogLine matches one line of a Redis 7 log: "pid:role dd Mon yyyy
// hh:mm:ss.mmm <level> msg".
var redisLogLine = regexp.MustCompile(`^(\d+):([XCSM]) (\d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3}) ([.\-*#]) (.*)$`)

// formatMatcher turns printf formats into patterns that recover the format
// and the arguments of a message.
type formatMatcher struct {
	formats []string
	res     []*regexp.Regexp
}

func newFormatMatcher(formats []string) *formatMatcher {
	sort.Strings(formats)
	m := &formatMatcher{}
	for _, f := range formats {
		q := regexp.QuoteMeta(f)
		q = strings.NewReplacer("%s", "(.*)", "%v", "(.*)", "%d", `(-?\d+)`, "%ld", `(-?\d+)`).Replace(q)
		m.formats = append(m.formats, f)
		m.res = append(m.res, regexp.MustCompile("^"+q+"$"))
	}
	return m
}

// match returns msg's format and arguments, or the message itself as its
// format when none matches.
func (m *formatMatcher) match(msg string) (string, []string) {
	for i, re := range m.res {
		if sub := re.FindStringSubmatch(msg); sub != nil {
			return m.formats[i], sub[1:]
		}
	}
	return msg, nil
}

// aofLogFormats are the formats the AOF rules judge, for reading a real
// Redis's log.
func aofLogFormats() []string {
	fs := []string{logAOFWriteErr, logAOFSolved, logTruncating, logTruncated, logRenameFailed, logAOFAlwaysExit,
		logFsyncExit, logSaveStarted, logSaveDone}
	for f := range aofGrammar {
		fs = append(fs, f)
	}
	for f := range manifestFailFormats {
		fs = append(fs, f)
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// parseRedisLog reads a real Redis's log as incarnation gen of node n1.
func parseRedisLog(t *testing.T, m *formatMatcher, text string, gen int) []LogLine {
	var out []LogLine
	for _, raw := range strings.Split(text, "\n") {
		sub := redisLogLine.FindStringSubmatch(raw)
		if sub == nil {
			continue
		}
		at, err := time.Parse("02 Jan 2006 15:04:05.000", sub[3])
		require.NoError(t, err)
		msg := sub[5]
		format, args := m.match(msg)
		out = append(out, LogLine{Node: "n1", Gen: gen, At: at.UnixNano(), ClockMs: at.UnixMilli(), Format: format, Args: args, Msg: msg})
	}
	return out
}

// TestAOFLogGrammarHoldsForRealRedis runs a real redis-server 7.0.15 with
// appendonly yes through the AOF's lifecycle (open at start, writes,
// BGREWRITEAOF, CONFIG SET appendonly no / yes, a rewrite with the AOF
// off, DEBUG LOADAOF, SHUTDOWN, a restart that loads the AOF, a restart
// that truncates a torn incr file) and checks that its log breaks none of
// the node log rules: the grammar claims nothing Redis does not do.
func TestAOFLogGrammarHoldsForRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server 7.0.15 is needed")
	dir := t.TempDir()
	args := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "verbose", "--enable-debug-command", "yes"}
	m := newFormatMatcher(aofLogFormats())
	var lines []LogLine
	idle := func(c *redistest.Conn) {
		redistest.Eventually(t, 10*time.Second, func() string {
			if c.InfoField(t, "persistence", "aof_rewrite_in_progress") != "0" ||
				c.InfoField(t, "persistence", "aof_rewrite_scheduled") != "0" {
				return "a rewrite is running or scheduled"
			}
			return ""
		})
	}
	stop := func(s *redistest.Server, c *redistest.Conn, gen int) {
		_, _ = c.DoRaw("SHUTDOWN")
		redistest.Eventually(t, 10*time.Second, func() string {
			if !strings.Contains(s.Log(), "bye bye") {
				return "not exited"
			}
			return ""
		})
		lines = append(lines, parseRedisLog(t, m, s.Log(), gen)...)
	}

	s := redistest.StartIn(t, dir, bin, args...)
	c := s.Dial(t)
	for i := 0; i < 50; i++ {
		c.Do(t, "SET", "k"+string(rune('a'+i%26)), strings.Repeat("v", i))
	}
	c.Do(t, "BGREWRITEAOF")
	idle(c)
	c.Do(t, "RPUSH", "l", "a", "b")
	c.Do(t, "BGREWRITEAOF")
	idle(c)
	// A slow rewrite killed by turning the AOF off (killAppendOnlyChild).
	c.Do(t, "CONFIG", "SET", "rdb-key-save-delay", "1000000")
	c.Do(t, "BGREWRITEAOF")
	c.Do(t, "CONFIG", "SET", "appendonly", "no")
	c.Do(t, "CONFIG", "SET", "rdb-key-save-delay", "0")
	c.Do(t, "SET", "off", "1")
	c.Do(t, "BGREWRITEAOF")
	idle(c)
	// startAppendOnly cannot create appenddirname: CONFIG SET fails and
	// the AOF stays off (updateAppendonly).
	aofDir := filepath.Join(dir, "appendonlydir")
	require.NoError(t, os.Rename(aofDir, aofDir+".away"))
	require.NoError(t, os.WriteFile(aofDir, nil, 0o644))
	v := c.Do(t, "CONFIG", "SET", "appendonly", "yes")
	require.Equal(t, "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.", string(v.Str))
	require.Equal(t, "0", c.InfoField(t, "persistence", "aof_enabled"))
	require.NoError(t, os.Remove(aofDir))
	require.NoError(t, os.Rename(aofDir+".away", aofDir))
	c.Do(t, "CONFIG", "SET", "appendonly", "yes")
	idle(c)
	c.Do(t, "SET", "on", "1")
	// The state a failed persist after a history removal leaves: the
	// disk's manifest lists a history file already removed. DEBUG LOADAOF
	// reads it and removes that file again.
	mf, err := os.OpenFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = mf.WriteString("file appendonly.aof.1.incr.aof seq 1 type h\n")
	require.NoError(t, err)
	require.NoError(t, mf.Close())
	c.Do(t, "DEBUG", "LOADAOF")
	c.Do(t, "INCR", "n")
	stop(s, c, 1)

	s = redistest.StartIn(t, dir, bin, args...)
	c = s.Dial(t)
	c.Do(t, "SET", "again", "1")
	c.Do(t, "BGREWRITEAOF")
	idle(c)
	c.Do(t, "SET", "torn", "1")
	// A slow rewrite killed by SHUTDOWN.
	c.Do(t, "CONFIG", "SET", "rdb-key-save-delay", "1000000")
	c.Do(t, "BGREWRITEAOF")
	stop(s, c, 2)

	// Tear the last incr file: a restart truncates it (aof-load-truncated).
	incrs, err := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.incr.aof"))
	require.NoError(t, err)
	require.NotEmpty(t, incrs)
	sort.Strings(incrs)
	f, err := os.OpenFile(incrs[len(incrs)-1], os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("*3\r\n$3\r\nSET\r\n$1\r\nx")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	s = redistest.StartIn(t, dir, bin, args...)
	c = s.Dial(t)
	c.Do(t, "BGREWRITEAOF")
	idle(c)
	stop(s, c, 3)

	formats := map[string]bool{}
	for _, l := range lines {
		formats[l.Format] = true
	}
	// The run reached the grammar's main paths.
	for _, f := range []string{logAOFBaseAtStart, logAOFCreatedAtStart, logAOFOpened, logAOFCreatedOnRW, logAOFRWStarted,
		logAOFRWSuccess, logRWRenamedBase, logRWRenamedIncr, logHistoryRemoved, logAOFRWFinished, logShortRead,
		logTruncating, logTruncated, logAOFShutdownFsync, logRWKillChild, logKillAOF} {
		require.True(t, formats[f], "the real Redis never logged %q", f)
	}
	// DEBUG LOADAOF removed a history file a rewrite had removed before.
	again := 0
	for _, l := range lines {
		if l.Gen == 1 && l.Format == logHistoryRemoved && l.Args[0] == "appendonly.aof.1.incr.aof" {
			again++
		}
	}
	var hist []string
	for _, l := range lines {
		if l.Format == logHistoryRemoved || l.Format == logLoadedByDebug {
			hist = append(hist, strconv.Itoa(l.Gen)+" "+l.Msg)
		}
	}
	require.Equal(t, 2, again, "appendonly.aof.1.incr.aof's removals: %q", hist)
	vs := CheckNodeLog(LogInput{Lines: lines})
	require.Empty(t, vs, "a real Redis's log breaks the rules")
}
