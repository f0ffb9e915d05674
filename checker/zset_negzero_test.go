package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
)

// Redis 7.0.15 stores a zero score of a small sorted set as 0 whatever
// its sign (ZUNIONSTORE z5 1 z1 WEIGHTS -1 of a member scored 0, then
// ZSCORE, answers 0): the replay must reach the snapshot's 0 (seed 575).
func TestReplayZsetNegativeZeroIsZero(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SELECT", "0"))
	w.write("n1", "R", cmd("ZADD", "z1", "1", "a", "0", "b"))
	c := w.write("n1", "R", cmd("ZUNIONSTORE", "z5", "1", "z1", "WEIGHTS", "-1"))
	snap := []tap.KeyValue{
		typedKV("z1", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: 1}, {Member: "b", Score: 0}})),
		typedKV("z5", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: -1}, {Member: "b", Score: 0}})),
	}
	w.fullSync("n3", "n1", "R", c.End(), snap, snap)
	w.readOp("n3", Op{Kind: OpCmd, Key: "z5", Args: []string{"ZSCORE", "z5", "b"}, Exists: true, Result: "0", Reply: "0"})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Checked)
}
