package node

import (
	"math"
	"math/big"
)

// The blocking list commands: BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH.
// Each pops at once when it can (propagated as its non-blocking form),
// else blocks its client on the keys (blocking.go) with a serve function
// that does the same pop later.

// parseTimeout is getTimeoutFromObjectOrReply in seconds: the absolute
// deadline in ms (0 for none), computed in long double as Redis does.
func (n *Node) parseTimeout(c *client, arg []byte) (int64, bool) {
	v, ok := parseLongDouble(arg)
	if !ok {
		c.addError(errTimeoutNotFloat)
		return 0, false
	}
	ms := timeoutMs(v)
	if ms < 0 {
		c.addError(errTimeoutNegative)
		return 0, false
	}
	if ms > 0 {
		ms += n.nowMs()
	}
	return ms, true
}

// timeoutMs is (long long) ceill(v * 1000.0); a value out of long long's
// range converts to LLONG_MIN, as on x86-64.
func timeoutMs(v longDouble) int64 {
	if v.f.IsInf() {
		return math.MinInt64
	}
	f := new(big.Float).SetPrec(ldPrec).Mul(v.f, big.NewFloat(1000))
	i, acc := f.Int(nil)
	if acc == big.Below { // f was positive with a fraction: ceil
		i.Add(i, big.NewInt(1))
	}
	if !i.IsInt64() {
		return math.MinInt64
	}
	return i.Int64()
}

func blpopCommand(n *Node, c *client, args [][]byte) {
	blockingPop(n, c, args[1:len(args)-1], true, args[len(args)-1], -1)
}

func brpopCommand(n *Node, c *client, args [][]byte) {
	blockingPop(n, c, args[1:len(args)-1], false, args[len(args)-1], -1)
}

func blmpopCommand(n *Node, c *client, args [][]byte) {
	a, ok := parseLMPOP(c, args, 2)
	if !ok {
		return
	}
	blockingPop(n, c, a.keys, a.head, args[1], a.count)
}

// blockingPop is blockingPopGenericCommand: pop from the first non-empty
// list of keys at once (propagated as LPOP/RPOP, with a count for
// BLMPOP), or block until one is pushed. count is -1 for BLPOP/BRPOP.
func blockingPop(n *Node, c *client, keys [][]byte, head bool, timeoutArg []byte, count int64) {
	deadline, ok := n.parseTimeout(c, timeoutArg)
	if !ok {
		return
	}
	for _, key := range keys {
		l, ok := n.lookupList(c, key)
		if !ok {
			return
		}
		if l == nil || l.len() == 0 {
			continue
		}
		servePop(n, c, l, string(key), head, count, nil)
		return
	}
	if n.denyBlocking(c) {
		c.addNullArray()
		return
	}
	spec := blockSpec{kind: kindList, keys: keyStrings(keys), deadline: deadline}
	var sent [][]byte // the command as sent, for BugBlockingPopVerbatim
	if n.bug(BugBlockingPopVerbatim) {
		for _, a := range c.argv {
			sent = append(sent, append([]byte(nil), a...))
		}
	}
	spec.serve = func(n *Node, c *client, key string) {
		l, _ := n.dbs[c.db].lookup(key).obj.(*listValue)
		servePop(n, c, l, key, head, count, sent)
	}
	n.blockForKeys(c, spec)
}

// servePop answers a blocking pop from key's list l (serveClientBlockedOnList);
// sent, if not nil, is propagated instead of the pop (a planted bug).
func servePop(n *Node, c *client, l *listValue, key string, head bool, count int64, sent [][]byte) {
	if count != -1 {
		n.popWithKey(c, l, key, head, count, sent)
		return
	}
	v := l.pop(head)
	c.addArrayLen(2)
	c.addBulk(key)
	c.addBulk(v)
	n.dirty++
	n.listEmptied(c.db, key, l)
	if sent != nil {
		n.propagate(sent...)
		return
	}
	n.propagateStrings(popName(head), key)
}

func keyStrings(keys [][]byte) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}

func brpoplpushCommand(n *Node, c *client, args [][]byte) {
	deadline, ok := n.parseTimeout(c, args[3])
	if !ok {
		return
	}
	blmoveGeneric(n, c, args, false, true, deadline)
}

func blmoveCommand(n *Node, c *client, args [][]byte) {
	from, ok := listSide(c, args[3])
	if !ok {
		return
	}
	to, ok := listSide(c, args[4])
	if !ok {
		return
	}
	deadline, ok := n.parseTimeout(c, args[5])
	if !ok {
		return
	}
	blmoveGeneric(n, c, args, from, to, deadline)
}

// blmoveGeneric is blmoveGenericCommand: LMOVE at once when the source
// has elements, else block on it. Served at once it propagates as
// RPOPLPUSH src dst or LMOVE with the arguments as given; served later,
// as RPOPLPUSH or LMOVE src dst with lowercase sides (shared.left/right).
func blmoveGeneric(n *Node, c *client, args [][]byte, from, to bool, deadline int64) {
	sl, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	rpoplpush := len(args) == 4
	if sl != nil {
		if !n.moveElement(c, sl, args[1], args[2], from, to) {
			return
		}
		if rpoplpush {
			n.propagate([]byte("RPOPLPUSH"), args[1], args[2])
		} else {
			n.propagate([]byte("LMOVE"), args[1], args[2], args[3], args[4])
		}
		return
	}
	if n.denyBlocking(c) {
		c.addNull()
		return
	}
	srcKey, dstKey := string(args[1]), string(args[2])
	spec := blockSpec{kind: kindList, keys: []string{srcKey}, deadline: deadline}
	spec.serve = func(n *Node, c *client, key string) {
		l, _ := n.dbs[c.db].lookup(key).obj.(*listValue)
		if !n.moveElement(c, l, []byte(srcKey), []byte(dstKey), from, to) {
			return
		}
		if rpoplpush {
			n.propagateStrings("RPOPLPUSH", srcKey, dstKey)
		} else {
			n.propagateStrings("LMOVE", srcKey, dstKey, lowerSide(from), lowerSide(to))
		}
	}
	n.blockForKeys(c, spec)
}

func lowerSide(head bool) string {
	if head {
		return "left"
	}
	return "right"
}
