package checker

import (
	"fmt"
	"strings"
)

// Redis refuses a command with -OOM only when the command may grow memory
// (its "denyoom" flag) and memory is over maxmemory with nothing the policy
// may evict, or when it is queued inside MULTI then (any command but EXEC,
// DISCARD, MULTI, WATCH, QUIT and RESET). DEL, reads and the other
// commands that only free memory always run. An OOM is an error reply, so
// the model already treats it as having no effect; CheckOOM checks it
// came only where Redis can give it.

// denyOOM are the commands Redis 7.0.15 flags denyoom (COMMAND INFO).
var denyOOM = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`append bitfield bitop blmove brpoplpush copy decr decrby geoadd georadius
		georadiusbymember geosearchstore getset hincrby hincrbyfloat hmset hset hsetnx incr incrby incrbyfloat
		linsert lmove lpush lpushx lset mset msetnx pfadd pfdebug pfmerge psetex restore restore-asking
		rpoplpush rpush rpushx sadd sdiffstore set setbit setex setnx setrange sinterstore sort sunionstore
		xadd xsetid zadd zdiffstore zincrby zinterstore zrangestore zunionstore`) {
		denyOOM[c] = true
	}
}

// IsOOM reports whether err is Redis's maxmemory refusal.
func IsOOM(err string) bool { return strings.HasPrefix(err, "OOM ") }

// commandName is the command op sent, lower case ("" when it is not one
// command: WAIT's and MULTI's are judged elsewhere).
func commandName(op *Op) string {
	if len(op.Args) > 0 {
		return strings.ToLower(op.Args[0])
	}
	switch op.Kind {
	case OpGet:
		return "get"
	case OpSet:
		return "set"
	case OpIncr:
		return "incr"
	case OpDel:
		return "del"
	}
	return ""
}

// mayOOM reports whether Redis may answer op with -OOM. A transaction's
// EXEC is refused when one of its commands may grow memory.
func mayOOM(op *Op) bool {
	if op.Kind == OpTx {
		for i := range op.Sub {
			if mayOOM(&op.Sub[i]) {
				return true
			}
		}
		return false
	}
	if op.Kind == OpMulti {
		return true // two SETs
	}
	name := commandName(op)
	return name == "" || denyOOM[name]
}

// CheckOOM checks that no command that cannot grow memory was refused
// with -OOM.
func CheckOOM(ops []Op) []Violation {
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if op.Kind == OpTx && op.Err == "" && !op.Unknown {
			for j := range op.Sub {
				if IsOOM(op.Sub[j].Err) {
					agg.addV("oom/exec", Violation{Detail: fmt.Sprintf(
						"client %d's EXEC on %s at %s ran a command that answered -OOM: Redis checks memory when a command is queued, never inside EXEC: %s",
						op.Client, op.Node, seconds(op.Call), op.Describe()),
						At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
				}
			}
		}
		if op.Unknown || !IsOOM(op.Err) || mayOOM(op) {
			continue
		}
		agg.addV("oom/"+commandName(op), Violation{Detail: fmt.Sprintf(
			"client %d sent %s to %s at %s and got -OOM: Redis never refuses it for memory (it is not a denyoom command)",
			op.Client, op.Describe(), op.Node, seconds(op.Call)),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropAccess)
}
