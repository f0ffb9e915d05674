package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// Each of plantLooseAOF's forms leaves the node's AOF loading as before:
// the first command (SELECT 1) still selects db 1 for the SET after it.
func TestLooseAOFFormsLoadOnNode(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	for _, form := range looseAOFForms {
		t.Run(form.name, func(t *testing.T) {
			cfg := node.DefaultConfig()
			cfg.AppendOnly, cfg.Save = true, nil
			h := nodetest.New(t, cfg)
			require.NoError(t, h.Node.Load())
			c := h.Conn()
			require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "1"))
			require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "value"))
			fs := h.Env.Disk()
			original, err := fs.ReadFile(incr)
			require.NoError(t, err)
			loose, ok := form.apply(original)
			require.True(t, ok, "%q", original)
			require.NotEqual(t, original, loose)
			require.NoError(t, writeSynced(fs, incr, loose))

			n := node.New(cfg, h.Env)
			h.Env.Node, h.Node = n, n
			require.NoError(t, n.Load())
			c = h.Conn()
			assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "k"))
			require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "1"))
			assert.Equal(t, "$5\r\nvalue\r\n", h.DoString(c, "GET", "k"))
		})
	}
}

// splitAOFHead takes only a whole, well-formed first command.
func TestSplitAOFHead(t *testing.T) {
	h, ok := splitAOFHead([]byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"))
	require.True(t, ok)
	assert.Equal(t, aofHead{count: []byte("2"), length: []byte("6"), arg: []byte("SELECT"), rest: []byte("$1\r\n0\r\n")}, h)
	for _, bad := range []string{"", "*2\r\n", "*x\r\n$1\r\na\r\n", "*1\r\n$4\r\nPI", "*1\r\n$2\r\nPING\r\n", "#TS:1\r\n*1\r\n$4\r\nPING\r\n"} {
		_, ok := splitAOFHead([]byte(bad))
		assert.False(t, ok, "%q", bad)
	}
}
