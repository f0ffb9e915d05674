package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRestartLoads(t *testing.T) {
	failed := NodeEvent{At: 50, Kind: EventRestartFailed, Node: "n2", Detail: "load: Bad file format"}
	vs := CheckRestartLoads([]NodeEvent{{At: 10, Kind: "proc_crash", Node: "n2"}, failed})
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "n2 refused to load its own files at 0.000000s though no disk fault had touched them")

	for _, k := range []string{"disk_bitflip", "disk_crash_loss", "disk_write_error", "disk_fsync_error"} {
		assert.Empty(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: k, Node: "n2"}, failed}), k)
	}
	// A fault on another node, or after, excuses nothing.
	assert.Len(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: "disk_bitflip", Node: "n3"}, failed, {At: 60, Kind: "disk_bitflip", Node: "n2"}}), 1)
}
