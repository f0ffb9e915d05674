package node

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// As redis-server 7.0.15 does with appendonly no: it reads the manifest
// at startup (aofLoadManifestFromDisk) and exits on a bad one with its
// report.
func TestBadManifestFatalWithAOFOff(t *testing.T) {
	fs := disksim.New(sim.NewRand(1, "disk"))
	require.NoError(t, fs.MkdirAll("appendonlydir"))
	require.NoError(t, writeSynced(fs, "appendonlydir/appendonly.aof.manifest", []byte("garbage line\n")))
	b := newTestNode(t, persistConfig(), fs)
	err := b.n.Load()
	require.Error(t, err)
	assert.True(t, Logged(err))
	assert.Equal(t, []string{"\n*** FATAL AOF MANIFEST FILE ERROR ***\n", "Reading the manifest file, at line 1\n",
		">>> 'garbage line'\n", "Invalid AOF manifest file format\n"}, b.env.logsFrom("\n*** FATAL", 4))
}

// The manifest read at startup is the one CONFIG SET appendonly yes works
// from, whatever the disk holds by then (Redis keeps it in memory).
func TestManifestReadAtStartWithAOFOff(t *testing.T) {
	fs := disksim.New(sim.NewRand(1, "disk"))
	require.NoError(t, fs.MkdirAll("appendonlydir"))
	require.NoError(t, writeSynced(fs, "appendonlydir/appendonly.aof.manifest",
		[]byte("file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.5.incr.aof seq 5 type i\n")))
	b := startNode(t, persistConfig(), fs)
	require.NoError(t, writeSynced(fs, "appendonlydir/appendonly.aof.manifest", []byte("garbage line\n")))
	assert.Equal(t, "OK", b.do("CONFIG", "SET", "appendonly", "yes"))
	b.runJobs() // the rewrite that turns the AOF on persists the manifest at its end
	got := content(t, fs, "appendonlydir/appendonly.aof.manifest")
	assert.Contains(t, got, "file appendonly.aof.4.base.rdb seq 4 type b\n")
	assert.Contains(t, got, "file appendonly.aof.6.incr.aof seq 6 type i\n")
}
