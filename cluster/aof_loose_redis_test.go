package cluster

import (
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
	files := redisAOFFiles(t, bin, []string{"SELECT", "1"}, []string{"SET", "k", "value"})
	for _, form := range looseAOFForms {
		t.Run(form.name, func(t *testing.T) {
			run := writeAOFDir(t, files, func(incr []byte) []byte {
				loose, ok := form.apply(incr)
				require.True(t, ok, "%q", incr)
				return loose
			})
			srv := redistest.StartIn(t, run, bin, "--save", "", "--appendonly", "yes")
			c := srv.Dial(t)
			assert.True(t, c.Do(t, "GET", "k").Null)
			require.Equal(t, "OK", c.Do(t, "SELECT", "1").String())
			assert.Equal(t, `"value"`, c.Do(t, "GET", "k").String())
		})
	}
}
