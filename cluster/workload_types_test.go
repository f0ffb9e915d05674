package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Registry commands read back from the list as OpCmd with their keys, and
// Format writes them back as they were.
func TestParseTypedCommands(t *testing.T) {
	text := opsHeader + "\nclient c4 db=1\nc1 HSET h1 f0 \"a b\" f1 2\nc4 SUNIONSTORE d1:s0 d1:s1 d1:s2\nc2 SINTERCARD 2 s1 s2 LIMIT 1\n" +
		"c1 BLMPOP 0.1 2 l1 l2 LEFT COUNT 2\nc4 BLMOVE d1:l0 d1:l3 RIGHT LEFT 0.5\nc2 BRPOP l1 l2 1\n"
	l, err := ParseOps("t", text)
	require.NoError(t, err)
	require.Len(t, l.Ops, 6)
	assert.Equal(t, checker.Op{Kind: checker.OpCmd, Key: "h1", Args: []string{"HSET", "h1", "f0", "a b", "f1", "2"}}, l.Ops[0].Op)
	assert.Equal(t, []string{"d1:s0", "d1:s1", "d1:s2"}, OpKeys(&l.Ops[1].Op))
	assert.Equal(t, []string{"s1", "s2"}, OpKeys(&l.Ops[2].Op))
	assert.Equal(t, []string{"l1", "l2"}, OpKeys(&l.Ops[3].Op), "BLMPOP's keys follow its timeout and numkeys")
	assert.Equal(t, []string{"d1:l0", "d1:l3"}, OpKeys(&l.Ops[4].Op))
	assert.Equal(t, []string{"l1", "l2"}, OpKeys(&l.Ops[5].Op), "BRPOP's timeout is no key")
	assert.Equal(t, text, l.Format())
	require.NoError(t, l.Check(fault.Topology{Replicas: 2, Clients: 4}))
}

// A client of db 1 sends registry commands whose keys, and only those,
// carry the db prefix.
func TestCmdKeysTakeTheDBPrefix(t *testing.T) {
	op := checker.Op{Kind: checker.OpCmd, Args: []string{"SMOVE", "s1", "s2", "s3"}}
	cmdKeys(&op, 1)
	assert.Equal(t, []string{"SMOVE", "d1:s1", "d1:s2", "s3"}, op.Args)
	assert.Equal(t, "d1:s1", op.Key)
	op = checker.Op{Kind: checker.OpCmd, Args: []string{"SINTERCARD", "2", "s1", "s2"}}
	cmdKeys(&op, 0)
	assert.Equal(t, "s1", op.Key)
}

// The hash, set and list families draw every command their models know, each
// of a form the model judges (arity, distinct keys of the family's
// namespace), and sometimes the key commands any type answers.
func TestTypedFamiliesDrawEveryCommand(t *testing.T) {
	for _, f := range []struct {
		draw func(*sim.Rand, *checker.Op, int)
		ns   string
		want []string
	}{
		{drawHash, "h", []string{"HSET", "HMSET", "HSETNX", "HGET", "HMGET", "HDEL", "HLEN", "HEXISTS", "HINCRBY",
			"HINCRBYFLOAT", "HGETALL", "HKEYS", "HVALS", "HSTRLEN", "HRANDFIELD", "HSCAN"}},
		{drawSet, "s", []string{"SADD", "SREM", "SISMEMBER", "SMISMEMBER", "SCARD", "SMEMBERS", "SPOP", "SRANDMEMBER",
			"SSCAN", "SMOVE", "SINTER", "SUNION", "SDIFF", "SINTERCARD", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}},
		{drawList, "l", []string{"LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET",
			"LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP", "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP"}},
	} {
		r := sim.NewRand(7, "test")
		seen := map[string]bool{}
		kinds := map[checker.OpKind]bool{}
		for i := 0; i < 5000; i++ {
			op := checker.Op{Key: f.ns + itoa(r.IntN(8))}
			f.draw(r, &op, 8)
			kinds[op.Kind] = true
			if op.Kind != checker.OpCmd {
				continue
			}
			seen[op.Args[0]] = true
			require.NoError(t, checker.CheckCmd(op.Args), "%v", op.Args)
			keys := map[string]bool{}
			for _, p := range checker.CmdKeys(op.Args) {
				k := op.Args[p]
				assert.Equal(t, f.ns, k[:1], "%v", op.Args)
				assert.False(t, keys[k], "key twice in %v", op.Args)
				keys[k] = true
			}
		}
		for _, c := range f.want {
			assert.True(t, seen[c], "%s never drawn", c)
		}
		assert.True(t, kinds[checker.OpExpire] && kinds[checker.OpDel], "key commands on %s keys", f.ns)
	}
}
