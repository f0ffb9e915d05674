package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckManifestDamages(t *testing.T) {
	report := []string{"\n*** FATAL AOF MANIFEST FILE ERROR ***\n", "Found an empty AOF manifest\n"}
	refused := ManifestDamage{Node: "n1", Form: "empty", At: 5e8, Report: report, Tried: true,
		Lines: append([]string{"some earlier line"}, report...)}
	assert.Empty(t, CheckManifestDamages([]ManifestDamage{refused}))
	assert.Empty(t, CheckManifestDamages([]ManifestDamage{{Node: "n1", Form: "empty", Report: report}}), "never started since: nothing to judge")
	flipped := refused
	flipped.Loaded, flipped.ReadFaulted = true, true
	assert.Empty(t, CheckManifestDamages([]ManifestDamage{flipped}), "a bit flip changed what it read")

	for name, c := range map[string]struct {
		mutate func(*ManifestDamage)
		want   string
	}{
		"loaded":       {func(d *ManifestDamage) { d.Loaded = true }, `n1: AOF manifest damaged (empty): the node started on it; Redis refuses it with "Found an empty AOF manifest\n"`},
		"other reason": {func(d *ManifestDamage) { d.Lines = []string{report[0], "Read AOF manifest failed\n"} }, "the node refused it logging"},
		"no banner":    {func(d *ManifestDamage) { d.Lines = report[1:] }, "the node refused it logging"},
		"silent":       {func(d *ManifestDamage) { d.Lines = nil }, "the node refused it logging []"},
		"line after":   {func(d *ManifestDamage) { d.Lines = append(append([]string(nil), report...), "more") }, "the node refused it logging"},
	} {
		t.Run(name, func(t *testing.T) {
			d := refused
			c.mutate(&d)
			vs := CheckManifestDamages([]ManifestDamage{d})
			require.Len(t, vs, 1)
			assert.Equal(t, PropDurability, vs[0].Check)
			assert.Equal(t, []string{"n1"}, vs[0].Nodes)
			assert.Contains(t, vs[0].Detail, c.want)
		})
	}
}

// A manifest the operator broke excuses the restart it fails, and only
// until it is put back.
func TestRestartLoadsExcuseABrokenManifest(t *testing.T) {
	failed := func(at int64) NodeEvent {
		return NodeEvent{At: at, Kind: EventRestartFailed, Node: "n2", Detail: "AOF manifest: Unknown AOF file type"}
	}
	events := []NodeEvent{{At: 1, Kind: EventManifestDamage, Node: "n2"}, failed(2)}
	assert.Empty(t, CheckRestartLoads(events))
	events = append(events, NodeEvent{At: 3, Kind: EventManifestRepaired, Node: "n2"}, failed(4))
	vs := CheckRestartLoads(events)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "n2 refused to load its own files at 0.000000s")
}
