package checker

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// TestRealRedisRemovesTwiceAFileItsManifestNamesTwice: redis-server
// 7.0.15 loads a manifest that names one incr file twice with growing
// seqs (aofLoadManifestFromFile checks only the seqs), and its rewrite
// logs that file's removal twice. The history rule does not judge a node
// once a bit flip hit a read of its manifest (seed 71009), and judges it
// otherwise.
func TestRealRedisRemovesTwiceAFileItsManifestNamesTwice(t *testing.T) {
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
	write("appendonly.aof.manifest", "file appendonly.aof.1.base.aof seq 1 type b\n"+
		"file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.2.incr.aof seq 5 type i\n")

	s := redistest.StartIn(t, dir, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "verbose")
	c := s.Dial(t)
	require.Equal(t, "2", string(c.Do(t, "GET", "c").Str), "the incr file was loaded twice")
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
