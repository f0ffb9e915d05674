package node

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/tap"
)

// streamTapEnv records the units the node reports to the checkers' tap.
type streamTapEnv struct {
	*fakeEnv
	units []string
}

func (e *streamTapEnv) Stream(replid string, start int64, p []byte, replica bool) {
	e.units = append(e.units, string(p))
}
func (e *streamTapEnv) FullSync(string, int64, []tap.KeyValue) {}
func (e *streamTapEnv) Promote([]tap.KeyValue, tap.ReplStatus) {}

// The DELs of keys SCAN finds expired go out unwrapped, as Redis sends
// them, and each is its own unit for a replica: the checkers must not take
// a replica that applied one and not yet the other for half a write (seed
// 1176 of the broadened chaos workload). An EXEC's writes stay one unit.
func TestScanExpiryDeletesAreSeparateUnits(t *testing.T) {
	env := &streamTapEnv{fakeEnv: newFakeEnv(nil)}
	n := New(persistConfig(), env)
	env.node = n
	tn := &testNode{t: t, env: env.fakeEnv, n: n, conn: 7}
	n.OnAccept(tn.conn, "127.0.0.1:5000")
	n.Load()
	tn.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	n.repl.createBacklog()
	tn.do("SET", "a", "1", "PX", "10")
	tn.do("SET", "b", "2", "PX", "10")
	tn.advance(100)
	env.units = nil
	tn.do("SCAN", "0")
	assert.Len(t, env.units, 2, "one unit per DEL: %q", env.units)

	env.units = nil
	tn.do("MULTI")
	tn.do("SET", "x", "1")
	tn.do("SET", "y", "2")
	tn.do("EXEC")
	assert.Len(t, env.units, 1, "a transaction is one unit: %q", env.units)
}
