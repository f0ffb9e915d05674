package cluster

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stale appendonly.aof goes only beside a manifest that lists incr
// files (Redis 7.0.15 would upgrade it otherwise), and goes away after the
// load.
func TestStaleAOFBesideIncrFilesOnly(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	cfg := node.DefaultConfig()
	cfg.AppendOnly = true
	s := &simNode{h: h, name: "n1", cfg: cfg, fs: disksim.New(w.Rand("disk"))}
	require.NoError(t, s.fs.MkdirAll("appendonlydir"))
	put := func(name, data string) {
		f, err := s.fs.Create(name)
		require.NoError(t, err)
		_, err = f.Write([]byte(data))
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	put("appendonlydir/appendonly.aof.manifest", "file appendonly.aof.1.base.rdb seq 1 type b\n")
	h.writeStaleAOF(s)
	_, err := s.fs.Stat("appendonly.aof")
	assert.Error(t, err, "a base alone: Redis would upgrade a stale file")
	assert.False(t, s.staleAOF)

	put("appendonlydir/appendonly.aof.manifest", "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
	h.writeStaleAOF(s)
	got, err := s.fs.ReadFile("appendonly.aof")
	require.NoError(t, err)
	assert.Equal(t, staleAOF, string(got))
	assert.True(t, s.staleAOF)

	h.cleanStaleAOF(s)
	_, err = s.fs.Stat("appendonly.aof")
	assert.Error(t, err)
	assert.False(t, s.staleAOF)
}

// The bad line goes at the head of the last incr file the manifest lists,
// and is noted; a manifest without incr files is left alone.
func TestBadAOFHeadsLastIncrFile(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w, faults: map[string]int{}}
	cfg := node.DefaultConfig()
	cfg.AppendOnly = true
	s := &simNode{h: h, name: "n1", cfg: cfg, fs: disksim.New(w.Rand("disk"))}
	require.NoError(t, s.fs.MkdirAll("appendonlydir"))
	put := func(name, data string) {
		f, err := s.fs.Create(name)
		require.NoError(t, err)
		_, err = f.Write([]byte(data))
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	put("appendonlydir/appendonly.aof.manifest", "file appendonly.aof.1.base.rdb seq 1 type b\n")
	h.writeBadAOF(s, "*-1\r\n")
	assert.Empty(t, h.timeline)

	put("appendonlydir/appendonly.aof.manifest", "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
	put("appendonlydir/appendonly.aof.2.incr.aof", "*1\r\n$4\r\nPING\r\n")
	h.writeBadAOF(s, "*-1\r\n")
	got, err := s.fs.ReadFile("appendonlydir/appendonly.aof.2.incr.aof")
	require.NoError(t, err)
	assert.Equal(t, "*-1\r\n*1\r\n$4\r\nPING\r\n", string(got))
	require.Len(t, h.timeline, 1)
	assert.Equal(t, EventAOFBadFormat, h.timeline[0].Kind)
	assert.Equal(t, "appendonly.aof.2.incr.aof", h.timeline[0].Detail)
}
