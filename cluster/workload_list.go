package cluster

import (
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// drawList draws a list command on op.Key (and, for the commands of
// several lists, other keys of its namespace). Elements come from a few
// short words so that LREM, LPOS and LINSERT find them, sometimes long
// enough that quicklist nodes fill and split, rarely a big push. Most
// commands (four pushes in five) go to the namespace's first key, so that
// a client blocked there is often served by another client's push before
// its short timeout (on the node's clock) runs out.
func drawList(r *sim.Rand, op *checker.Op, keys int) {
	k := op.Key
	hot := k[:1] + "0"
	elem := func() string {
		switch x := r.IntN(100); {
		case x < 68:
			return []string{"a", "b", "c", "x"}[r.IntN(4)]
		case x < 88:
			return itoa(r.IntN(10))
		case x < 90:
			// Each of a listpack's integer encodings (13, 16, 24, 32 and
			// 64 bits) and numbers it keeps as strings.
			return []string{"-4000", "20000", "-30000", "1000000", "-8000000", "2000000000", "-5000000000",
				"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "007", "-0", "1e3"}[r.IntN(15)]
		case x < 93:
			return bigListElem(r.IntN(bigCount))
		}
		return strings.Repeat(strconv.Itoa(r.IntN(10)), 1024<<r.IntN(3)) // 1 to 4 KiB: 8 KiB quicklist nodes split
	}
	index := func() string { return itoa(r.IntN(9) - 4) }
	side := func() string { return []string{"LEFT", "RIGHT"}[r.IntN(2)] }
	timeout := func() string { return []string{"0.01", "0.1", "0.2", "0.5", "1", "0.0125"}[r.IntN(6)] } // 12.5 ms: 13
	if keys > 1 && r.Chance(0.6) {
		k = hot
	}
	others := siblingKeys(r, k, keys, 2)
	switch x := r.IntN(127); {
	case x < 30:
		if keys > 1 && r.Chance(0.5) {
			k = hot // half again: blocked clients wait there
		}
		cmd(op, []string{"LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"}[r.IntN(6)], k, elem())
		for n := r.IntN(4) - 1; n > 0; n-- {
			op.Args = append(op.Args, elem())
		}
	case x < 38:
		cmd(op, []string{"LPOP", "RPOP"}[r.IntN(2)], k)
		if r.Chance(0.4) {
			op.Args = append(op.Args, itoa(r.IntN(4)))
		}
	case x < 41:
		cmd(op, "LLEN", k)
	case x < 49:
		cmd(op, "LRANGE", k, "0", "-1")
		if r.Chance(0.3) {
			op.Args[2], op.Args[3] = index(), index()
		}
	case x < 52:
		cmd(op, "LINDEX", k, index())
	case x < 55:
		cmd(op, "LSET", k, index(), elem())
	case x < 58:
		pivot := elem()
		if r.Chance(0.4) && keys > 1 {
			// In the middle of a full node, after a big push.
			k, pivot = hot, bigListElem(r.IntN(bigCount/4))
		}
		cmd(op, "LINSERT", k, []string{"BEFORE", "AFTER"}[r.IntN(2)], pivot, elem())
	case x < 61:
		cmd(op, "LREM", k, itoa(r.IntN(5)-2), elem())
	case x < 64:
		cmd(op, "LTRIM", k, index(), index())
	case x < 67:
		cmd(op, "LPOS", k, elem())
		if r.Chance(0.4) {
			op.Args = append(op.Args, "RANK", []string{"1", "2", "-1", "-2"}[r.IntN(4)])
		}
		if r.Chance(0.4) {
			op.Args = append(op.Args, "COUNT", itoa(r.IntN(3)))
		}
		if r.Chance(0.3) {
			op.Args = append(op.Args, "MAXLEN", itoa(r.IntN(4)))
		}
	case x < 72 && len(others) >= 1:
		if r.Chance(0.3) {
			cmd(op, "RPOPLPUSH", k, others[0])
		} else {
			cmd(op, "LMOVE", k, others[0], side(), side())
		}
	case x < 75 && len(others) >= 1:
		cmd(op, "LMPOP", "2", k, others[0], side())
		if r.Chance(0.5) {
			op.Args = append(op.Args, "COUNT", itoa(1+r.IntN(3)))
		}
	case x < 88:
		cmd(op, []string{"BLPOP", "BRPOP"}[r.IntN(2)], k)
		if len(others) >= 1 && r.Chance(0.3) {
			op.Args = append(op.Args, others[0])
		}
		op.Args = append(op.Args, timeout())
	case x < 94 && len(others) >= 1:
		if r.Chance(0.3) {
			cmd(op, "BRPOPLPUSH", k, others[0], timeout())
		} else {
			cmd(op, "BLMOVE", k, others[0], side(), side(), timeout())
		}
	case x < 98:
		keys := append([]string{k}, others[:min(len(others), r.IntN(2))]...)
		cmd(op, append([]string{"BLMPOP", timeout(), itoa(len(keys))}, keys...)...)
		op.Args = append(op.Args, side())
		if r.Chance(0.5) {
			op.Args = append(op.Args, "COUNT", itoa(1+r.IntN(3)))
		}
	case x < 99:
		args := []string{"RPUSH", hot}
		for i := 0; i < bigCount; i++ {
			args = append(args, bigListElem(i))
		}
		cmd(op, args...)
	case x < 101:
		drawListRefused(r, op, k)
	case x < 108:
		drawKeyCommand(r, op)
	case x < 110:
		drawTable(r, op, listPackedThresholds, "EXPECT")
	case x < 116:
		drawTable(r, op, listFills, "ADMIN")
	case x < 119:
		drawUnblock(r, op)
	default:
		// The layout's edges: an insert or a replacement in the middle
		// of a node of a count-based fill (list-max-listpack-size 2..8),
		// or of a full 8 KB node after a big push, often of a big
		// element (a plain node below the packed threshold, else a split).
		v := elem()
		if r.Chance(0.5) {
			v = []string{bigListElem(r.IntN(bigCount)), strings.Repeat("y", 2048)}[r.IntN(2)]
		}
		pivot := elem()
		if keys > 1 && r.Chance(0.3) {
			k, pivot = hot, bigListElem(r.IntN(bigCount))
		}
		if r.Chance(0.3) {
			cmd(op, "LSET", k, index(), v)
		} else {
			cmd(op, "LINSERT", k, []string{"BEFORE", "AFTER"}[r.IntN(2)], pivot, v)
		}
	}
}

// The node-wide list layout settings, which change how a list is stored
// and never what it holds (the models do not look at them; the node's
// quicklist and its RDB must keep the elements whatever they are):
//
//   - listPackedThresholds (Mode "EXPECT", a fixed reply): DEBUG
//     QUICKLIST-PACKED-THRESHOLD, under which an element at least that
//     long is a plain node of its own (2: the big elements; 1: every
//     element; 0: back to 1 GB), and sizes Redis refuses.
//   - listFills (Mode "ADMIN"): CONFIG SET list-max-listpack-size, of
//     lists made afterwards, to element counts (0 and 1: a node per
//     element) and the size classes -1..-5 (-6 is taken and clamped to
//     -5 when used), and CONFIG GET of it (checker/config_get.go judges
//     it); a value Redis refuses is in listPackedThresholds.
//
// Every reply was taken from redis-server 7.0.15.
var listPackedThresholds = []tableCmd{
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 2", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 1", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 100", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 1kb", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 2K", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 0", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 0", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 0", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 3gb", "OK"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD 4gb", "ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD -1", "ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
	errCmd("DEBUG QUICKLIST-PACKED-THRESHOLD abc", "ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
	errCmd("CONFIG SET list-max-listpack-size abc", "ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument couldn't be parsed into an integer"),
	errCmd("CONFIG SET list-max-listpack-size 2147483648", "ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument must be between -2147483648 and 2147483647 inclusive"),
}

var listFills = []tableCmd{
	tcmd("CONFIG SET list-max-listpack-size 1"), tcmd("CONFIG SET list-max-listpack-size 2"),
	tcmd("CONFIG SET list-max-listpack-size 3"), tcmd("CONFIG SET list-max-listpack-size 5"),
	tcmd("CONFIG SET list-max-listpack-size 8"), tcmd("CONFIG SET list-max-listpack-size 0"),
	tcmd("CONFIG SET list-max-listpack-size -1"), tcmd("CONFIG SET list-max-listpack-size -2"),
	tcmd("CONFIG SET list-max-listpack-size -3"), tcmd("CONFIG SET list-max-listpack-size -4"),
	tcmd("CONFIG SET list-max-listpack-size -5"), tcmd("CONFIG SET list-max-listpack-size -6"),
	tcmd("CONFIG GET list-max-listpack-size"), tcmd("CONFIG GET list-max-listpack-size"),
}

// blockFor is how long a blocking command may block on the node (its
// timeout argument), for the client's deadline; 0 for others.
func blockFor(op *checker.Op) sim.Time {
	if op.Kind != checker.OpCmd || len(op.Args) < 3 {
		return 0
	}
	var arg string
	switch op.Args[0] {
	case "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH":
		arg = op.Args[len(op.Args)-1]
	case "BLMPOP":
		arg = op.Args[1]
	default:
		return 0
	}
	s, err := strconv.ParseFloat(arg, 64)
	if err != nil || s <= 0 || s > 60 {
		return 0
	}
	return sim.Time(s * float64(sim.Second))
}

// bigListElem is element i of a big push: 13 KiB in all, so the list
// spans quicklist nodes and an LINSERT or LSET in the middle of a full
// one splits it.
func bigListElem(i int) string { return "b" + itoa(i) + strings.Repeat(".", 100) }

// drawListRefused draws a list command with an argument Redis refuses
// (a bad timeout, count or side): an error, and no effect.
func drawListRefused(r *sim.Rand, op *checker.Op, k string) {
	switch r.IntN(12) {
	case 0:
		cmd(op, "BLPOP", k, []string{"-1", "x", "inf"}[r.IntN(3)])
	case 9:
		// A bad index, looked at only when the list exists.
		if r.Chance(0.5) {
			cmd(op, "LINDEX", k, "x")
		} else {
			cmd(op, "LSET", k, "x", "a")
		}
	case 10:
		cmd(op, "LPOP", k, "1", "2")
	case 11:
		cmd(op, "LMOVE", k, k+"x", "LEFT", "LEFT")
		op.Args[3+r.IntN(2)] = "UP"
	case 6:
		cmd(op, "BLPOP", k, "1e30") // past LLONG_MAX ms: negative
	case 7:
		cmd(op, "BRPOPLPUSH", k, k+"x", "x")
	case 8:
		cmd(op, "BLMOVE", k, k+"x", "LEFT", "UP", "0.1")
		if r.Chance(0.5) {
			op.Args[4], op.Args[5] = "RIGHT", "-1"
		}
	case 1:
		cmd(op, "BLMOVE", k, k+"x", "UP", "LEFT", "0.1")
	case 2:
		cmd(op, "LPOP", k, "-1")
	case 3:
		cmd(op, "LMPOP", "1", k, "LEFT", "COUNT", "0")
	case 4:
		cmd(op, "LPOS", k, "a", "RANK", "0")
	case 5:
		cmd(op, "BLMPOP", "0.1", "1", k, "MIDDLE")
	}
}

// CLIENT UNBLOCK of another client (Mode "ADMIN", judged by
// checker.CheckClientUnblocks): the operation names its target as
// "client:N", the harness's client N (op.Client), drawn as "client:?"
// and chosen when it is sent: a client of the same node waiting for a
// blocking command's or a WAIT's reply, else one that is not (the node
// answers 0), else the sender itself (0 too). The request carries the
// node's id of the target's connection (CLIENT ID; 0 when the node has
// none).
const unblockAny = "client:?"

// blockingCommands are the commands a client blocks in until a key can
// serve it.
var blockingCommands = []string{"BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"}

func drawUnblock(r *sim.Rand, op *checker.Op) {
	*op = checker.Op{Kind: checker.OpRead, Mode: "ADMIN", Args: []string{"CLIENT", "UNBLOCK", unblockAny}}
	switch r.IntN(3) {
	case 0:
		op.Args = append(op.Args, "TIMEOUT")
	case 1:
		op.Args = append(op.Args, "ERROR")
	}
}

// parseUnblock reads CLIENT UNBLOCK client:N [TIMEOUT|ERROR] back from
// an operation list.
func parseUnblock(w []string) (checker.Op, bool) {
	if len(w) < 3 || len(w) > 4 || w[0] != "CLIENT" || w[1] != "UNBLOCK" || !strings.HasPrefix(w[2], "client:") {
		return checker.Op{}, false
	}
	if _, ok := checker.UnblockTarget(w); !ok && w[2] != unblockAny {
		return checker.Op{}, false
	}
	if len(w) == 4 && w[3] != "TIMEOUT" && w[3] != "ERROR" {
		return checker.Op{}, false
	}
	return checker.Op{Kind: checker.OpRead, Mode: "ADMIN", Args: slices.Clone(w)}, true
}

// resolveUnblock names op's target when it is a CLIENT UNBLOCK drawn
// with any target, and returns the operation as sent: its target as the
// node's client id. Any other op is sent as it is.
func (c *simClient) resolveUnblock(op *checker.Op) checker.Op {
	if op.Kind != checker.OpRead || op.Mode != "ADMIN" || len(op.Args) < 3 || op.Args[0] != "CLIENT" || op.Args[1] != "UNBLOCK" {
		return *op
	}
	if op.Args[2] == unblockAny {
		t := c
		for _, o := range c.h.clients {
			if o == c || o.replicaReads || o.bad != nil || o.target != c.target || !o.connected {
				continue
			}
			if o.pending >= 0 && blocks(&(*o.history())[o.pending]) {
				t = o
				break
			}
			if t == c && !o.busy() {
				t = o
			}
		}
		op.Args = slices.Clone(op.Args)
		op.Args[2] = "client:" + strconv.Itoa(t.id)
	}
	wire := *op
	wire.Args = slices.Clone(op.Args)
	wire.Args[2] = "0"
	if n, ok := checker.UnblockTarget(op.Args); ok && n < len(c.h.clients) {
		t := c.h.clients[n]
		if t.connected && t.target == c.target && c.target.node != nil {
			if id, ok := c.target.node.ClientIDOf(node.ConnID(c.h.net.Peer(t.conn))); ok {
				wire.Args[2] = strconv.FormatInt(id, 10)
			}
		}
	}
	return wire
}

// blocks says op is a command the node may block its client in: a
// blocking pop or move, or WAIT.
func blocks(op *checker.Op) bool {
	return op.Kind == checker.OpWait || (op.Kind == checker.OpCmd && len(op.Args) > 0 && slices.Contains(blockingCommands, op.Args[0]))
}
