package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// drawSet draws a set command on op.Key (and, for the commands of several
// sets, other keys of its namespace): members mostly small integers (an
// intset), sometimes words (a hashtable), a dozen in all so that
// sets often empty; rarely a big SADD.
func drawSet(r *sim.Rand, op *checker.Op, keys int) {
	k := op.Key
	member := func() string {
		if r.Chance(0.6) {
			return itoa(r.IntN(8))
		}
		return "m" + itoa(r.IntN(4))
	}
	count := func() string { return itoa(r.IntN(8) - 3) }
	others := siblingKeys(r, k, keys, 2)
	switch x := r.IntN(100); {
	case x < 18 && r.Chance(0.1):
		// Every member the family draws: a dozen, for SPOP with a count
		// close to the size and SDIFF's second algorithm.
		cmd(op, "SADD", k)
		for i := range 8 {
			op.Args = append(op.Args, itoa(i))
		}
		for i := range 4 {
			op.Args = append(op.Args, "m"+itoa(i))
		}
	case x < 18:
		cmd(op, "SADD", k, member())
		for n := r.IntN(3); n > 0; n-- {
			op.Args = append(op.Args, member())
		}
	case x < 26 && r.Chance(0.15):
		// Every member the family draws: the set goes, and its key with it.
		cmd(op, "SREM", k)
		for i := range 8 {
			op.Args = append(op.Args, itoa(i))
		}
		for i := range 4 {
			op.Args = append(op.Args, "m"+itoa(i))
		}
	case x < 26:
		cmd(op, "SREM", k, member())
		for n := r.IntN(4); n > 0; n-- {
			op.Args = append(op.Args, member())
		}
	case x < 31:
		cmd(op, "SISMEMBER", k, member())
	case x < 34:
		cmd(op, "SMISMEMBER", k, member(), member())
	case x < 38:
		cmd(op, "SCARD", k)
	case x < 45:
		cmd(op, "SMEMBERS", k)
	case x < 50:
		cmd(op, "SPOP", k)
		switch y := r.IntN(10); {
		case y < 2:
			op.Args = append(op.Args, itoa(r.IntN(4)))
		case y < 3:
			// Close to the set's size (a dozen members, or bigCount
			// after a big SADD): Redis keeps the rest in a new set and
			// pops the old one whole when few members stay.
			op.Args = append(op.Args, itoa(5+r.IntN(7)))
		case y < 4 && r.Chance(0.5):
			op.Args = append(op.Args, itoa(bigCount-1-r.IntN(24)))
		}
	case x < 54:
		cmd(op, "SRANDMEMBER", k)
		if r.Chance(0.6) {
			op.Args = append(op.Args, count())
		}
	case x < 56:
		cmd(op, "SSCAN", k, "0", "COUNT", "100")
	case x < 62 && len(others) >= 1:
		dst := others[0]
		if r.Chance(0.15) {
			dst = k // a no-op Redis answers from the source's membership
		}
		cmd(op, "SMOVE", k, dst, member())
	case x < 70 && len(others) >= 2 && r.Chance(0.3):
		// A big first set less the small others: SDIFF's second
		// algorithm (copy the first, remove the rest).
		cmd(op, "SDIFF", k)
		switch {
		case r.Chance(0.1):
			op.Args = append(op.Args, k) // the same set: nothing is left
		default:
			op.Args = append(op.Args, siblingKeys(r, k, keys, 2+r.IntN(3))...)
		}
	case x < 70 && len(others) >= 1:
		cmd(op, []string{"SINTER", "SUNION", "SDIFF"}[r.IntN(3)], k, others[0])
	case x < 73 && len(others) >= 1:
		cmd(op, "SINTERCARD", "2", k, others[0])
		if r.Chance(0.4) {
			op.Args = append(op.Args, "LIMIT", itoa(r.IntN(3)))
		}
	case x < 79 && len(others) >= 2:
		cmd(op, []string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}[r.IntN(3)], k, others[0], others[1])
		if more := siblingKeys(r, others[0], keys, 3); op.Args[0] == "SDIFFSTORE" && r.Chance(0.3) {
			for _, o := range more {
				if o != k && o != others[1] {
					op.Args = append(op.Args, o)
				}
			}
		}
	case x < 80 && r.IntN(3) == 0:
		args := []string{"SADD", k}
		for i := 0; i < bigCount; i++ {
			args = append(args, "b"+itoa(i))
		}
		cmd(op, args...)
	default:
		drawKeyCommand(r, op)
	}
}
