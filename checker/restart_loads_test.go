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

	for _, k := range []string{"disk_bitflip", "disk_crash_loss", "disk_write_error", "disk_fsync_error", "disk_meta_error", "disk_aof_error", "disk_rdb_error"} {
		assert.Empty(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: k, Node: "n2"}, failed}), k)
	}
	// A fault on another node, or after, excuses nothing.
	assert.Len(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: "disk_bitflip", Node: "n3"}, failed, {At: 60, Kind: "disk_bitflip", Node: "n2"}}), 1)
}

// After the harness put "*-1" at the head of an incr AOF, Redis refuses to
// start until the files are wiped: a refusal is excused, a start is not,
// unless a disk fault may have changed the files.
func TestRestartLoadsBadAOF(t *testing.T) {
	bad := NodeEvent{At: 10, Kind: EventAOFBadFormat, Node: "n2", Detail: "appendonly.aof.1.incr.aof"}
	failed := NodeEvent{At: 10, Kind: EventRestartFailed, Node: "n2", Detail: "load: Bad file format"}
	started := NodeEvent{At: 10, Kind: EventRestart, Node: "n2"}
	vs := CheckRestartLoads([]NodeEvent{bad, started})
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check)
	assert.Contains(t, vs[0].Detail, `n2 started at 0.000000s from an incr AOF whose first command has argument count -1: Redis exits with "Bad file format reading the append only file"`)

	// Refused twice (the file is still there), then wiped and started.
	wiped := NodeEvent{At: 20, Kind: EventRestartWiped, Node: "n2"}
	assert.Empty(t, CheckRestartLoads([]NodeEvent{bad, failed, failed, wiped, {At: 30, Kind: EventRestart, Node: "n2"}}))
	// A refusal after a bad AOF is still a refusal to explain once wiped.
	assert.Len(t, CheckRestartLoads([]NodeEvent{bad, failed, wiped, {At: 40, Kind: EventRestartFailed, Node: "n2"}}), 1)
	// A disk fault may have changed what the load read.
	assert.Empty(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: "disk_bitflip", Node: "n2"}, bad, started}))
	// Another node's bad AOF says nothing of n2.
	assert.Empty(t, CheckRestartLoads([]NodeEvent{{At: 5, Kind: EventAOFBadFormat, Node: "n3"}, started}))
}

// A refusal for an unexpected end of the AOF after the harness tore its
// head is excused here (CheckAOFTails judges it by aof-load-truncated);
// another refusal after it, or that one without the torn head, is not.
func TestRestartLoadsTornHead(t *testing.T) {
	uxeof := "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof (last complete command ends at offset 0)"
	torn := NodeEvent{At: 1, Kind: EventAOFTornHead, Node: "n1"}
	failed := NodeEvent{At: 1, Kind: EventRestartFailed, Node: "n1", Detail: uxeof}
	assert.Empty(t, CheckRestartLoads([]NodeEvent{torn, failed}))
	assert.Len(t, CheckRestartLoads([]NodeEvent{failed}), 1)
	other := failed
	other.Detail = "Bad file format reading the append only file appendonly.aof.1.incr.aof"
	assert.Len(t, CheckRestartLoads([]NodeEvent{torn, other}), 1)
}
