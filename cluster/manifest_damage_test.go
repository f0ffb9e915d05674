package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

const testManifestPath = "appendonlydir/appendonly.aof.manifest"

// The node refuses every damage the fault makes with the report the fault
// predicts (checker.CheckManifestDamages holds it to that), and loads its
// data again once the manifest is put back.
func TestManifestDamageMatchesNode(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.AppendOnly, cfg.Save = true, nil
	for _, form := range fault.ManifestForms() {
		t.Run(form, func(t *testing.T) {
			h := nodetest.New(t, cfg)
			require.NoError(t, h.Node.Load())
			c := h.Conn()
			require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
			fs := h.Env.Disk()
			original, err := fs.ReadFile(testManifestPath)
			require.NoError(t, err)
			damaged, report, err := fault.DamageManifest(form, original)
			require.NoError(t, err)
			require.NoError(t, writeSynced(fs, testManifestPath, damaged))

			restart := func() error {
				n := node.New(cfg, h.Env)
				h.Env.Node, h.Node = n, n
				return n.Load()
			}
			before := len(h.Env.Logs())
			require.Error(t, restart())
			logs := h.Env.Logs()[before:]
			require.GreaterOrEqual(t, len(logs), len(report), "%q", logs)
			assert.Equal(t, report, logs[len(logs)-len(report):])

			require.NoError(t, writeSynced(fs, testManifestPath, original))
			require.NoError(t, restart())
			assert.Equal(t, "$1\r\nv\r\n", h.DoString(h.Conn(), "GET", "k"))
		})
	}
}
