package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// testAOFNames are appendfilename values the damage tests run with: the
// default, and names the manifest quotes.
var testAOFNames = []string{"appendonly.aof", `say "hi".aof`, "append only.aof"}

// testManifestPath is the manifest of appendfilename name.
func testManifestPath(name string) string { return "appendonlydir/" + name + ".manifest" }

// The node refuses every damage the fault makes with the report the fault
// predicts (checker.CheckManifestDamages holds it to that), and loads its
// data again once the manifest is put back.
func TestManifestDamageMatchesNode(t *testing.T) {
	for _, name := range testAOFNames {
		for _, form := range fault.ManifestForms() {
			t.Run(name+"/"+form, func(t *testing.T) { testManifestDamageOnNode(t, name, form) })
		}
	}
}

func testManifestDamageOnNode(t *testing.T, name, form string) {
	cfg := node.DefaultConfig()
	cfg.AppendOnly, cfg.Save, cfg.AppendFilename = true, nil, name
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	fs := h.Env.Disk()
	original, err := fs.ReadFile(testManifestPath(name))
	require.NoError(t, err)
	damaged, report, err := fault.DamageManifest(form, original)
	require.NoError(t, err)
	require.NoError(t, writeSynced(fs, testManifestPath(name), damaged))

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

	require.NoError(t, writeSynced(fs, testManifestPath(name), original))
	require.NoError(t, restart())
	assert.Equal(t, "$1\r\nv\r\n", h.DoString(h.Conn(), "GET", "k"))
}
