package cluster

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// Each head plantBadAOF may put before an incr file Redis 7.0.15 wrote
// stops redis-server with "Bad file format reading the append only file",
// whatever aof-load-truncated says: the node must refuse it too.
func TestBadAOFHeadsRefusedByRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	files := redisAOFFiles(t, bin, []string{"SET", "k", "v"})
	for _, head := range badAOFHeads {
		for _, truncated := range []string{"yes", "no"} {
			t.Run(strconv.Quote(head)+"/"+truncated, func(t *testing.T) {
				run := writeAOFDir(t, files, func(incr []byte) []byte { return append([]byte(head), incr...) })
				out := redisExitsOn(t, bin, run, "--appendonly", "yes", "--save", "", "--aof-load-truncated", truncated)
				assert.Contains(t, out, "Bad file format reading the append only file appendonly.aof.1.incr.aof")
			})
		}
	}
}

// redisAOFFiles runs cmds on a fresh redis-server with appendonly yes and
// returns the AOF directory's three files (manifest, base, incr) by name.
func redisAOFFiles(t *testing.T, bin string, cmds ...[]string) map[string][]byte {
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes")
	c := srv.Dial(t)
	for _, cmd := range cmds {
		require.Equal(t, "OK", c.Do(t, cmd...).String(), "%v", cmd)
	}
	files := map[string][]byte{}
	for _, name := range []string{"appendonly.aof.manifest", "appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof"} {
		data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", name))
		require.NoError(t, err)
		files[name] = data
	}
	return files
}

// writeAOFDir writes files into a new directory's appendonlydir, the incr
// file through edit, and returns the directory.
func writeAOFDir(t *testing.T, files map[string][]byte, edit func(incr []byte) []byte) string {
	run := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(run, "appendonlydir"), 0o755))
	for name, data := range files {
		if name == "appendonly.aof.1.incr.aof" {
			data = edit(data)
		}
		require.NoError(t, os.WriteFile(filepath.Join(run, "appendonlydir", name), data, 0o644))
	}
	return run
}
