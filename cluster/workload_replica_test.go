package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
)

// A replica reader's writes are of every type: SET, INCR, DEL and the
// write commands of each data type family (on the family's keys), and
// every one is a write (which a read-only replica must refuse).
func TestReaderWritesAreOfEveryType(t *testing.T) {
	h := New(sim.NewWorld(7), Options{})
	c := &simClient{h: h, name: "r1"}
	wl := &workload{keys: 8, mix: &workloadMix{}}
	seen := map[string]bool{}
	var namespaces []string
	for _, f := range families {
		if f.ns != "" {
			namespaces = append(namespaces, f.ns)
		}
	}
	for range 2000 {
		op := checker.Op{Key: "k3", Kind: checker.OpSet, Value: "r1"}
		wl.readerWrite(c, &op)
		assert.True(t, op.Writes(), "%+v", op)
		assert.True(t, readerOp(&op), "an operation list holds it for a reader: %+v", op)
		name := op.Kind.String()
		if op.Kind == checker.OpCmd {
			name = op.Args[0]
			// A family's key (its hot key, or a sibling, for some).
			assert.Contains(t, namespaces, op.Key[:1], "a family's key: %+v", op)
		}
		seen[name] = true
	}
	for _, want := range []string{"SET", "INCR", "DEL", "HSET", "SADD", "SREM", "HDEL"} {
		assert.True(t, seen[want], "%s never drawn (drew %v)", want, seen)
	}
}
