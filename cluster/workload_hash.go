package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// drawHash draws a hash command on op.Key: fields from a small set so
// commands meet, values mostly small integers (HINCRBY works on them),
// sometimes words, floats, or long enough to change the encoding; rarely
// a big HSET past the listpack limits.
func drawHash(r *sim.Rand, op *checker.Op, _ int) {
	k := op.Key
	field := func() string { return "f" + itoa(r.IntN(6)) }
	value := func() string {
		switch x := r.IntN(100); {
		case x < 60:
			return itoa(r.IntN(100))
		case x < 80:
			return "v" + itoa(r.IntN(100))
		case x < 95:
			return []string{"1.5", "-0.25", "3.0e2", "0.1"}[r.IntN(4)]
		case x < 98:
			return strings.Repeat("x", 65+r.IntN(40)) // over hash-max-listpack-value
		}
		return ""
	}
	switch x := r.IntN(100); {
	case x < 16:
		cmd(op, "HSET", k, field(), value())
		if r.Chance(0.4) {
			op.Args = append(op.Args, field(), value())
		}
	case x < 19:
		cmd(op, "HMSET", k, field(), value())
	case x < 23:
		cmd(op, "HSETNX", k, field(), value())
	case x < 32:
		cmd(op, "HGET", k, field())
	case x < 35:
		cmd(op, "HMGET", k, field(), field())
	case x < 42:
		cmdOneOrTwo(r, op, "HDEL", k, field)
	case x < 45:
		cmd(op, "HLEN", k)
	case x < 48:
		cmd(op, "HEXISTS", k, field())
	case x < 56:
		cmd(op, "HINCRBY", k, field(), itoa(r.IntN(101)-50))
	case x < 60:
		cmd(op, "HINCRBYFLOAT", k, field(), []string{"1.5", "-0.25", "2", "1e3"}[r.IntN(4)])
	case x < 66:
		cmd(op, "HGETALL", k)
	case x < 68:
		cmd(op, "HKEYS", k)
	case x < 70:
		cmd(op, "HVALS", k)
	case x < 72:
		cmd(op, "HSTRLEN", k, field())
	case x < 78:
		switch r.IntN(4) {
		case 0:
			cmd(op, "HRANDFIELD", k)
		case 1:
			cmd(op, "HRANDFIELD", k, itoa(r.IntN(8)-3))
		default:
			cmd(op, "HRANDFIELD", k, itoa(r.IntN(8)-3), "WITHVALUES")
		}
	case x < 81:
		cmd(op, "HSCAN", k, "0", "COUNT", "100")
	case x < 82 && r.IntN(3) == 0:
		args := []string{"HSET", k}
		for i := 0; i < bigCount; i++ {
			args = append(args, "b"+itoa(i), itoa(i))
		}
		cmd(op, args...)
	default:
		drawKeyCommand(r, op)
	}
}
