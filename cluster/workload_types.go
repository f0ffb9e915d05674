package cluster

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// What the data type families share: registry commands (checker.OpCmd)
// whose keys the database prefix reaches, other keys of the same
// namespace, and the key commands every type answers.

// cmdKeys finishes a registry command drawn for a client of db: its keys
// get the database prefix, and op.Key is its first key.
func cmdKeys(op *checker.Op, db int) {
	keys := checker.CmdKeys(op.Args)
	if db != 0 {
		prefix := "d" + strconv.Itoa(db) + ":"
		for _, p := range checker.CmdKeyArgs(op.Args) {
			op.Args[p] = prefix + op.Args[p]
		}
	}
	if len(keys) > 0 {
		op.Key = op.Args[keys[0]]
	}
}

// siblingKeys returns n keys other than key, distinct, of key's namespace
// ("h3" -> "h0", "h5"); fewer when the key space is too small.
func siblingKeys(r *sim.Rand, key string, keys, n int) []string {
	if len(key) < 2 || keys < 2 {
		return nil
	}
	ns, num := key[:1], key[1:]
	k, _ := strconv.Atoi(num)
	var out []string
	for _, off := range r.Perm(keys - 1) {
		if len(out) == n {
			break
		}
		out = append(out, ns+strconv.Itoa((k+1+off)%keys))
	}
	return out
}

// cmd makes op the registry command args.
func cmd(op *checker.Op, args ...string) {
	op.Kind, op.Args = checker.OpCmd, args
}

// cmdOneOrTwo sets op to the command name k e, with a second element e2
// three times in ten (HDEL, ZREM): elem draws each.
func cmdOneOrTwo(r *sim.Rand, op *checker.Op, name, k string, elem func() string) {
	cmd(op, name, k, elem())
	if r.Chance(0.3) {
		op.Args = append(op.Args, elem())
	}
}

// drawKeyCommand draws a command any type answers, on op.Key: a TTL set or
// removed, a deletion, an existence or type check.
func drawKeyCommand(r *sim.Rand, op *checker.Op) {
	switch r.IntN(6) {
	case 0, 1:
		op.Kind, op.TTL = checker.OpExpire, 50+r.Int64N(950)
	case 2:
		op.Kind = checker.OpPersist
	case 3:
		op.Kind = checker.OpDel
	case 4:
		op.Kind = checker.OpExists
	default:
		op.Kind, op.Mode = checker.OpRead, "TYPE"
	}
}

// bigCount is how many elements a rare big write adds: past the
// thresholds where Redis changes a small collection's encoding.
const bigCount = 130

func itoa(n int) string { return strconv.Itoa(n) }

// cmdOp parses a registry command's words: its keys must be there, not
// empty, and distinct (the checker judges it key by key).
func cmdOp(w []string) (checker.Op, error) {
	if err := checker.CheckCmd(w); err != nil {
		return checker.Op{}, err
	}
	keys := checker.CmdKeys(w)
	if len(keys) == 0 {
		return checker.Op{}, fmt.Errorf("no key")
	}
	seen := map[string]bool{}
	for _, p := range keys {
		if p >= len(w) || w[p] == "" {
			return checker.Op{}, fmt.Errorf("empty key")
		}
		if seen[w[p]] {
			return checker.Op{}, fmt.Errorf("key %s twice (the checker judges a command key by key)", w[p])
		}
		seen[w[p]] = true
	}
	return checker.Op{Kind: checker.OpCmd, Key: w[keys[0]], Args: slices.Clone(w)}, nil
}

// drawTxTyped replaces a transaction's command with a hash, set, list or
// sorted set command of one key on the same key (a string key: it may
// meet WRONGTYPE at EXEC, an error inside the transaction; a blocking pop
// inside MULTI does not block), if one comes in a few draws.
func drawTxTyped(r *sim.Rand, sub *checker.Op) {
	if sub.Key == "" {
		return
	}
	draws := []func(*sim.Rand, *checker.Op, int){drawHash, drawSet, drawList, drawZset}
	draw := draws[r.IntN(len(draws))]
	for try := 0; try < 4; try++ {
		op := checker.Op{Key: sub.Key}
		draw(r, &op, 1)
		if keys := checker.CmdKeys(op.Args); op.Kind == checker.OpCmd && len(keys) == 1 {
			*sub = op
			sub.Key = op.Args[keys[0]]
			return
		}
	}
}
