package cluster

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// redis-server 7.0.15 loads each of plantLooseAOF's forms as the command
// it was: the first command (SELECT 1) still selects db 1 for the SET
// after it. So the node must load them too (TestLooseAOFFormsLoadOnNode).
func TestLooseAOFLoadsOnRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes")
	c := srv.Dial(t)
	require.Equal(t, "OK", c.Do(t, "SELECT", "1").String())
	require.Equal(t, "OK", c.Do(t, "SET", "k", "value").String())
	files := map[string][]byte{}
	for _, name := range []string{"appendonly.aof.manifest", "appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof"} {
		data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", name))
		require.NoError(t, err)
		files[name] = data
	}
	for _, form := range looseAOFForms {
		t.Run(form.name, func(t *testing.T) {
			run := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(run, "appendonlydir"), 0o755))
			for name, data := range files {
				if name == "appendonly.aof.1.incr.aof" {
					loose, ok := form.apply(data)
					require.True(t, ok, "%q", data)
					data = loose
				}
				require.NoError(t, os.WriteFile(filepath.Join(run, "appendonlydir", name), data, 0o644))
			}
			srv := redistest.StartIn(t, run, bin, "--save", "", "--appendonly", "yes")
			c := srv.Dial(t)
			assert.True(t, c.Do(t, "GET", "k").Null)
			require.Equal(t, "OK", c.Do(t, "SELECT", "1").String())
			assert.Equal(t, `"value"`, c.Do(t, "GET", "k").String())
		})
	}
}
