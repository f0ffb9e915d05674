package cluster

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/require"
)

// The sorted set model against real Redis 7.0: the zset family's commands
// sent one at a time to a redis-server make a history the model must
// accept (reply formats, range edge cases, flag combinations, errors),
// so the model is Redis's, not only the node's.
func TestZsetModelAcceptsRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
	conn := srv.Dial(t)
	for seed := uint64(1); seed <= 8; seed++ {
		conn.Do(t, "FLUSHALL")
		r := sim.NewRand(seed, "zset-vs-redis")
		var ops []checker.Op
		for i := int64(0); i < 300; i++ {
			op := checker.Op{Key: "z" + itoa(r.IntN(4))}
			drawZset(r, &op, 4)
			if op.Kind != checker.OpCmd {
				continue
			}
			cmdKeys(&op, 0)
			shortTimeout(&op)
			op.ID, op.Node, op.Call, op.Return = len(ops), "n1", 2*i, 2*i+1
			recordReply(&op, conn.Do(t, op.Args...))
			ops = append(ops, op)
		}
		res := checker.CheckLinearizable(ops, 10*time.Second)
		require.Equal(t, porcupine.Ok, res.Result, "seed %d: %+v", seed, res.Violations)
	}
}

// shortTimeout makes a blocking pop's timeout 10 ms (nobody else writes).
func shortTimeout(op *checker.Op) {
	switch op.Args[0] {
	case "BZPOPMIN", "BZPOPMAX":
		op.Args[len(op.Args)-1] = "0.01"
	case "BZMPOP":
		op.Args[1] = "0.01"
	}
}
