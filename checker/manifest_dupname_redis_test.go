package checker

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// dupManifest is a manifest naming one incr file twice with growing
// seqs, which redis-server 7.0.15 loads (aofLoadManifestFromFile checks
// only the seqs): a bit flip in the read of a huge_seq-damaged manifest
// gives one (seeds 71009, 71406).
const dupManifest = "file appendonly.aof.1.base.aof seq 1 type b\n" +
	"file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.2.incr.aof seq 5 type i\n"

// startDupManifestRedis starts a real redis-server on dupManifest (base
// "SET a 1", incr "INCR c") and returns it, a connection and its dir.
func startDupManifestRedis(t *testing.T) (*redistest.Server, *redistest.Conn, string) {
	if testing.Short() {
		t.Skip("starts a redis-server")
	}
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server 7.0.15 is needed")
	dir := t.TempDir()
	aofDir := filepath.Join(dir, "appendonlydir")
	require.NoError(t, os.Mkdir(aofDir, 0o755))
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(aofDir, name), []byte(text), 0o644))
	}
	write("appendonly.aof.1.base.aof", "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n")
	write("appendonly.aof.2.incr.aof", "*2\r\n$4\r\nINCR\r\n$1\r\nc\r\n")
	write("appendonly.aof.manifest", dupManifest)
	s := redistest.StartIn(t, dir, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "verbose")
	c := s.Dial(t)
	require.Equal(t, "2", string(c.Do(t, "GET", "c").Str), "the incr file was loaded twice")
	return s, c, dir
}

// Redis counts the twice-named file twice in aof_current_size at the
// load, and what it appends to it since once: aof_sizes does not judge
// such a manifest, and would be wrong to.
func TestRealRedisSizesAManifestNamingAFileTwice(t *testing.T) {
	_, c, dir := startDupManifestRedis(t)
	c.Do(t, "INCR", "c")
	redistest.Eventually(t, 10*time.Second, func() string {
		if c.InfoField(t, "persistence", "aof_buffer_length") != "0" {
			return "the AOF buffer is not written"
		}
		return ""
	})
	f := ManifestFile{Node: "n1", Text: dupManifest, Sizes: map[string]int64{}, Info: string(c.Do(t, "INFO", "persistence").Str)}
	for _, e := range ManifestEntries(dupManifest) {
		st, err := os.Stat(filepath.Join(dir, "appendonlydir", e.Name))
		require.NoError(t, err)
		f.Sizes[e.Name] = st.Size()
	}
	const base, incrAtLoad = 27, 21
	written := f.Sizes["appendonly.aof.2.incr.aof"] - incrAtLoad // SELECT and INCR
	require.Positive(t, written)
	current := strconv.FormatInt(base+2*incrAtLoad+written, 10)
	assert.Equal(t, current, c.InfoField(t, "persistence", "aof_current_size"), "base + the incr file at load twice + what was written since")
	wrong := f
	wrong.Text = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.2.incr.aof seq 5 type i\n"
	assert.NotEmpty(t, CheckAOFSizes([]ManifestFile{wrong}), "the same sizes, had the manifest named it once")
	assert.Empty(t, CheckAOFSizes([]ManifestFile{f}))
}

// Its rewrite logs that file's removal twice: the history rule does not
// judge a node once a bit flip hit a read of its manifest (seed 71009),
// and judges it otherwise.
func TestRealRedisRemovesTwiceAFileItsManifestNamesTwice(t *testing.T) {
	s, c, _ := startDupManifestRedis(t)
	c.Do(t, "BGREWRITEAOF")
	redistest.Eventually(t, 10*time.Second, func() string {
		if !strings.Contains(s.Log(), "Background AOF rewrite finished successfully") {
			return "the rewrite has not finished"
		}
		return ""
	})
	lines := parseRedisLog(t, newFormatMatcher(aofLogFormats()), s.Log(), 0)
	removals := 0
	for _, l := range lines {
		if l.Format == logHistoryRemoved && l.Args[0] == "appendonly.aof.2.incr.aof" {
			removals++
		}
	}
	require.Equal(t, 2, removals)

	vs := CheckNodeLog(LogInput{Lines: lines})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "but the file was removed before in this incarnation")
	flip := DiskFault{At: 0, Node: "n1", Op: "bitflip", Path: "appendonlydir/appendonly.aof.manifest"}
	assert.Empty(t, CheckNodeLog(LogInput{Lines: lines, DiskFaults: []DiskFault{flip}}))
}
