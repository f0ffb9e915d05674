package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBaseAtStartOnlyWithoutLoad(t *testing.T) {
	// An empty manifest: a base, no load.
	assert.Empty(t, baseAtStartAfterLoad(aofStartLog()))
	// A manifest listing only a base: loaded, then an incr file created.
	lines := []LogLine{line(1, logAOFLoaded), line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof")}
	assert.Empty(t, baseAtStartAfterLoad(lines))
	// A load by an earlier process does not count: here one that loaded,
	// then failed (persisting the manifest), and the next one, of the same
	// incarnation and instant, on wiped files.
	p1 := func(l LogLine) LogLine { l.Proc = 1; return l }
	lines = []LogLine{line(1, logAOFLoaded), p1(line(1, logAOFBaseAtStart, "appendonly.aof.1.base.rdb"))}
	assert.Empty(t, baseAtStartAfterLoad(lines))

	// A load, then a new base as if the manifest had been empty.
	lines = []LogLine{line(1, logAOFLoaded), line(1, logAOFBaseAtStart, "appendonly.aof.2.base.rdb"),
		line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof")}
	vs := baseAtStartAfterLoad(lines)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "Redis creates a base at start only for a manifest listing no file")
}
