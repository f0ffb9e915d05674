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
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes")
	c := srv.Dial(t)
	require.Equal(t, "OK", c.Do(t, "SET", "k", "v").String())
	incr := filepath.Join("appendonlydir", "appendonly.aof.1.incr.aof")
	original, err := os.ReadFile(filepath.Join(dir, incr))
	require.NoError(t, err)
	manifest, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	require.NoError(t, err)
	base := filepath.Join("appendonlydir", "appendonly.aof.1.base.rdb")
	baseData, err := os.ReadFile(filepath.Join(dir, base))
	require.NoError(t, err)

	for _, head := range badAOFHeads {
		for _, truncated := range []string{"yes", "no"} {
			t.Run(strconv.Quote(head)+"/"+truncated, func(t *testing.T) {
				run := t.TempDir()
				require.NoError(t, os.MkdirAll(filepath.Join(run, "appendonlydir"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(run, "appendonlydir", "appendonly.aof.manifest"), manifest, 0o644))
				require.NoError(t, os.WriteFile(filepath.Join(run, base), baseData, 0o644))
				require.NoError(t, os.WriteFile(filepath.Join(run, incr), append([]byte(head), original...), 0o644))
				out := redisExitsOn(t, bin, run, "--appendonly", "yes", "--save", "", "--aof-load-truncated", truncated)
				assert.Contains(t, out, "Bad file format reading the append only file appendonly.aof.1.incr.aof")
			})
		}
	}
}
