package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// PEXPIRE with an option propagates as PEXPIREAT with it (Redis 7.0): the
// replay sets the TTL only where the option allows, as a replica does,
// and goes on modelling the stream past it.
func TestReplayExpireAtWithOptions(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SELECT", "0"))
	w.write("n1", "R", cmd("SET", "a", "1"), cmd("SET", "b", "1"), cmd("SET", "c", "1"), cmd("SET", "d", "1"))
	w.write("n1", "R", cmd("PEXPIREAT", "a", "5000", "NX"), cmd("PEXPIREAT", "a", "9000", "NX"))
	w.write("n1", "R", cmd("PEXPIREAT", "b", "5000", "XX"), cmd("PEXPIREAT", "b", "5000", "GT"), cmd("PEXPIREAT", "b", "5000", "LT"))
	w.write("n1", "R", cmd("PEXPIREAT", "c", "5000", "LT"), cmd("PEXPIREAT", "c", "7000", "GT"), cmd("PEXPIREAT", "c", "6000", "LT"))
	c := w.write("n1", "R", cmd("PEXPIREAT", "d", "5000"), cmd("PEXPIREAT", "d", "4000", "GT"), cmd("PEXPIREAT", "d", "8000", "XX"))
	snap := []tap.KeyValue{{Key: "a", Value: "1", ExpireAt: 5000}, {Key: "b", Value: "1", ExpireAt: 5000},
		{Key: "c", Value: "1", ExpireAt: 6000}, {Key: "d", Value: "1", ExpireAt: 8000}}
	w.fullSync("n3", "n1", "R", c.End(), snap, snap)
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)

	w.in.FullSyncs[len(w.in.FullSyncs)-1].RDB[0].ExpireAt = 9000 // as if the second NX had replaced a TTL
	res = CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `key a: stream "1" (expires at 5000), snapshot "1"`)
}
