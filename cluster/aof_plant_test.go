package cluster

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The torn SELECT goes only into an empty last incr file, is noted, and
// the start's record holds the file as the load finds it.
func TestTornHeadOnlyInEmptyLastIncr(t *testing.T) {
	h, s, put := aofPlantNode(t)
	put("appendonlydir/appendonly.aof.1.incr.aof", "*1\r\n$4\r\nPING\r\n")
	h.writeTornHead(s)
	assert.Empty(t, h.timeline, "a file with commands is left alone")

	put("appendonlydir/appendonly.aof.1.incr.aof", "")
	h.writeTornHead(s)
	got, err := s.fs.ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	assert.NotEmpty(t, got)
	assert.Less(t, len(got), len(firstAOFCommand))
	assert.True(t, strings.HasPrefix(firstAOFCommand, string(got)))
	require.Len(t, h.timeline, 1)
	assert.Equal(t, EventAOFTornHead, h.timeline[0].Kind)

	s.procs = 3
	h.recordAOFStart(s)
	require.Len(t, h.rec.aofStarts, 1)
	st := h.rec.aofStarts[0]
	assert.Equal(t, "appendonly.aof.1.incr.aof", st.Last)
	assert.Equal(t, 3, st.Proc)
	assert.Equal(t, got, st.Data)
}

// The refused command goes only after a whole last incr file, and is
// noted.
func TestRefusedCommandAfterWholeLastIncr(t *testing.T) {
	h, s, put := aofPlantNode(t)
	put("appendonlydir/appendonly.aof.1.incr.aof", "*1\r\n$4\r\nPI")
	h.writeRefusedCommand(s)
	assert.Empty(t, h.timeline, "a torn file is left alone")

	put("appendonlydir/appendonly.aof.1.incr.aof", "*1\r\n$4\r\nPING\r\n")
	h.writeRefusedCommand(s)
	got, err := s.fs.ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	assert.Equal(t, "*1\r\n$4\r\nPING\r\n"+refusedAOFCommand, string(got))
	require.Len(t, h.timeline, 1)
	assert.Equal(t, EventAOFRefusedCommand, h.timeline[0].Kind)
}

// aofPlantNode is an AOF-on node whose manifest lists base 1 and incr 1,
// and put, which writes a file on its disk.
func aofPlantNode(t *testing.T) (*Cluster, *simNode, func(name, data string)) {
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
	put("appendonlydir/appendonly.aof.manifest", "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
	return h, s, put
}

// aofHasFlushAll finds a FLUSHALL among the AOF's commands, in any case,
// and only there.
func TestAOFHasFlushAll(t *testing.T) {
	h, s, put := aofPlantNode(t)
	put("appendonlydir/appendonly.aof.1.base.rdb", "REDIS0010")
	put("appendonlydir/appendonly.aof.1.incr.aof", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8\r\nFLUSHALX\r\n")
	assert.False(t, h.aofHasFlushAll(s))
	put("appendonlydir/appendonly.aof.1.incr.aof", "*2\r\n$8\r\nflushall\r\n$5\r\nASYNC\r\n")
	assert.True(t, h.aofHasFlushAll(s))
}
