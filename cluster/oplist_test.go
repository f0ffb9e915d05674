package cluster

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleOps = `# replsim workload: [at SECONDS] CLIENT COMMAND, one operation per line
client c4 db=1
c1 GET k1
c1 SET k1 5 PX 300
at 0.250000 c2 SET k2 "a b" EX 2
c4 MULTI ; SET d1:k0 v7 ; INCR d1:k0 ; INCR ; EXEC
c3 rt MULTI ; APPEND k2 a ; GETSET k2 "" ; INCRBY k2 -3 ; EXEC
c1 pair MULTI ; SET k1 1 ; SET k2 2 ; EXEC
c1 WAIT 2 100
c2 SET k3 "7"*40
c2 SET k3 ";" GET
c2 DECRBY k1 5
c2 SCAN 0 COUNT 100
c2 FLUSHALL
c1 reply-off APPEND k1 x
c1 reply-rewrite INCR k1
r1 GET k1
`

// The text form reads into the operations the workload draws, and Format
// writes it back byte for byte.
func TestParseOpsReadsTheWorkloadsOps(t *testing.T) {
	l, err := ParseOps("sample", sampleOps)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"c4": 1}, l.DBs)
	require.Len(t, l.Ops, 15)
	assert.Equal(t, ClientOp{Client: "c1", Op: checker.Op{Kind: checker.OpGet, Key: "k1"}}, l.Ops[0])
	assert.Equal(t, checker.Op{Kind: checker.OpSet, Key: "k1", Value: "5", TTL: 300}, l.Ops[1].Op, "SET PX is the core SET with a TTL")
	assert.Equal(t, ClientOp{Client: "c2", At: 250 * sim.Millisecond, Op: checker.Op{Kind: checker.OpSet, Key: "k2", Value: "a b", TTL: 2000, Mode: "EX",
		Args: []string{"SET", "k2", "a b", "EX", "2"}}}, l.Ops[2])
	tx := l.Ops[3].Op
	assert.Equal(t, checker.OpTx, tx.Kind)
	assert.Equal(t, "", tx.Mode)
	assert.Equal(t, []checker.Op{
		{Kind: checker.OpSet, Key: "d1:k0", Value: "v7", Args: []string{"SET", "d1:k0", "v7"}},
		{Kind: checker.OpIncr, Key: "d1:k0", Args: []string{"INCR", "d1:k0"}},
		{Kind: checker.OpRead, Args: []string{"INCR"}},
	}, tx.Sub)
	assert.Equal(t, "RT", l.Ops[4].Op.Mode)
	assert.Equal(t, checker.Op{Kind: checker.OpIncrBy, Key: "k2", Mode: "INCRBY", By: -3, Args: []string{"INCRBY", "k2", "-3"}}, l.Ops[4].Op.Sub[2])
	assert.Equal(t, checker.Op{Kind: checker.OpMulti, Key: "k1", Value: "1", Key2: "k2", Value2: "2"}, l.Ops[5].Op)
	assert.Equal(t, checker.Op{Kind: checker.OpWait, Replicas: 2}, l.Ops[6].Op)
	assert.Equal(t, strings.Repeat("7", 40), l.Ops[7].Op.Value)
	assert.Equal(t, checker.Op{Kind: checker.OpSetGet, Key: "k3", Value: ";", Mode: "GET", Args: []string{"SET", "k3", ";", "GET"}}, l.Ops[8].Op)
	assert.Equal(t, int64(-5), l.Ops[9].Op.By)
	assert.Equal(t, checker.Op{Kind: checker.OpRead, Mode: "SCAN", Args: []string{"SCAN", "0", "COUNT", "100"}}, l.Ops[10].Op)
	assert.Equal(t, checker.Op{Kind: checker.OpFlush, Mode: "ALL", Args: []string{"FLUSHALL"}}, l.Ops[11].Op)
	assert.Equal(t, "OFF", l.Ops[12].Op.Quiet, "sent with CLIENT REPLY OFF")
	assert.Equal(t, "APPEND", l.Ops[12].Op.Args[0])
	assert.Equal(t, "REWRITE", l.Ops[13].Op.Quiet, "sent with CLIENT REPLY OFF and a BGREWRITEAOF after it")
	assert.Equal(t, sampleOps, l.Format())
	assert.Equal(t, []string{"c1", "c2", "c3", "c4", "r1"}, l.Clients())
	assert.Equal(t, []string{"d1:k0", "k1", "k2", "k3"}, l.Keys())
	assert.Equal(t, 6, l.Count("c2"))
	assert.Equal(t, 0, l.Count("c9"))
}

// A bad-auth client's line and its AUTHs read back as the list records
// them (clients_auth.go).
func TestParseOpsBadAuthClients(t *testing.T) {
	text := "# replsim workload: [at SECONDS] CLIENT COMMAND, one operation per line\n" +
		"client a1 auth=stale redial=3\nclient c2 db=1\n" +
		"a1 AUTH pw-1\na1 GET k1\nc2 GET d1:k1\nat 0.500000 a1 AUTH \"\"\n"
	l, err := ParseOps("auth", text)
	require.NoError(t, err)
	assert.Equal(t, map[string]AuthClient{"a1": {Mode: "stale", Redial: 3}}, l.Auth)
	assert.Equal(t, map[string]int{"c2": 1}, l.DBs)
	assert.Equal(t, authOp("pw-1"), l.Ops[0].Op)
	assert.True(t, l.Ops[3].Op.IsAuth())
	assert.Equal(t, text, l.Format())
	assert.Equal(t, l, l.Clone())
	assert.NoError(t, l.Check(fault.Topology{Replicas: 1, Clients: 2}))
}

// Bad input is an error that names the file and line, never a different
// operation.
func TestParseOpsErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"c1 GET k1\nc1 get k1", `f.txt:2: command "get": write command names in capitals (GET)`},
		{"c1 SET k1", "f.txt:1: SET: wrong number of arguments (1)"},
		{"c1 MULTI ; SELECT 01 ; EXEC", "f.txt:1: transaction: SELECT 01: want a db in 0..15"},
		{"c1 MULTI ; SELECT ; EXEC", "f.txt:1: transaction: SELECT: want SELECT DB"},
		{"c1 SET k1 5 PX 0", "f.txt:1: SET: want an integer in 1..1000000000000, got \"0\""},
		{"c1 SET k1 5 px 5", `f.txt:1: SET: options "px 5": want PX N, EX N, NX [PX N], XX, GET or KEEPTTL`},
		{"c1 INCRBY k1 +5", "f.txt:1: INCRBY: not in the form the workload sends; write INCRBY k1 5"},
		{"c1 XADD x * f v", "f.txt:1: XADD: not a command the workload sends"},
		{"c1 HGET h", "f.txt:1: HGET: want 2 arguments, got 1"},
		{"c1 SINTER s1 s1", "f.txt:1: SINTER: key s1 twice"},
		{"\n\nc1 SET k1 \"abc", "f.txt:3: column 11: unterminated quote"},
		{"c1 SET k1 ab\"c", "f.txt:1: column 13: a quote inside a word"},
		{"c1 SET k1 \"a\"*0", "f.txt:1: column 14: want a count of at least 1 after '*'"},
		{"c1 SET k1 \"ab\"*600000", "f.txt:1: column 11: a value of more than 1048576 bytes"},
		{"c1 SETRANGE k1 99999999 x", "f.txt:1: SETRANGE: want an integer in 0..1048576"},
		{"c1 MULTI ; SET k1 5 ; EXEC ;", "f.txt:1: transaction: no command at position 4"},
		{"c1 MULTI ; SET k1 5", "f.txt:1: a transaction is MULTI ; COMMAND ; ... ; EXEC"},
		{"c1 MULTI ; WAIT 1 100 ; EXEC", "f.txt:1: transaction: WAIT: not a command a transaction holds"},
		{"c1 rt GET k1", `f.txt:1: "rt" marks a transaction`},
		{"c1 reply-skip MULTI ; SET k1 5 ; EXEC", "f.txt:1: client c1: reply-skip marks one command, not a transaction"},
		{"c1 pair MULTI ; SET k1 1 ; INCR k1 ; EXEC", "f.txt:1: pair: want pair MULTI ; SET KEY VALUE ; SET KEY VALUE ; EXEC"},
		{"at x c1 GET k1", `f.txt:1: bad seconds "x"`},
		{"at", "f.txt:1: want: at SECONDS CLIENT COMMAND"},
		{"at 1.5", "f.txt:1: want a client name"},
		{"1c GET k1", "f.txt:1: want a client name"},
		{"c1", "f.txt:1: client c1: no command"},
		{"client c4 db=1\nclient c4 db=2", "f.txt:2: client c4: second client line (first on line 1)"},
		{"client c4 db=16", `f.txt:1: client c4: want db=N with N in 0..15, got "db=16"`},
		{"c1 WAIT 2 50", "f.txt:1: WAIT: not in the form the workload sends; write WAIT 2 100"},
		{"c1 GET \"\"", "f.txt:1: GET: empty key"},
		{"client a1 auth=sometimes redial=1", "f.txt:1: client a1: auth=sometimes is not one of none wrong stale relapse"},
		{"client a1 auth=wrong redial=0", `f.txt:1: client a1: want redial=N with N in 1..1000, got "redial=0"`},
		{"client a1 auth=wrong", "f.txt:1: want: client NAME db=N, or client NAME auth=MODE redial=N"},
		{"a1 AUTH", "f.txt:1: AUTH: want AUTH PASSWORD"},
	} {
		_, err := ParseOps("f.txt", tc.text)
		if assert.Error(t, err, "%q", tc.text) {
			assert.Contains(t, err.Error(), tc.want, "%q", tc.text)
		}
	}
}

// Check holds a list to what a topology's clients can send.
func TestOpListCheck(t *testing.T) {
	topo := fault.Topology{Replicas: 1, Clients: 2}
	check := func(text string) error {
		l, err := ParseOps("t", text)
		require.NoError(t, err)
		return l.Check(topo)
	}
	assert.NoError(t, check("client c2 db=1\nc1 SET k1 1\nc2 GET d1:k1\nr1 GET k1\nr1 SET k1 r5"))
	assert.ErrorContains(t, check("c3 GET k1"), "operation 1 (c3 GET k1): no client c3 in topology replicas=1 chained=0 clients=2 (clients c1 c2 r1)")
	assert.NoError(t, check("r1 INCR k1\nr1 DEL k1\nr1 HSET h1 f v"))
	assert.NoError(t, check("r1 HGET h1 f\nr1 ZRANGE z1 0 -1 WITHSCORES\nr1 SUNION s1 s2\nr1 EXISTS k1\nr1 TYPE h1"))
	assert.ErrorContains(t, check("r1 DBSIZE"), "a reader sends only reads of a key")
	assert.ErrorContains(t, check("r1 MGET k1 k2"), "a reader sends only reads of a key")
	assert.NoError(t, check("r1 SET xlr1k0 v PX 100\nr1 PEXPIRE xlr1k0 500"))
	assert.ErrorContains(t, check("r1 SET k1 v EX 1"), "a reader sends only reads of a key")
	assert.ErrorContains(t, check("c1 GET d1:k1"), "key d1:k1 belongs to db 1, client c1 works in db 0")
	assert.ErrorContains(t, check("client c2 db=1\nc2 MSET d1:k1 1 k2 2"), "key k2 belongs to db 0, client c2 works in db 1")
	assert.NoError(t, check("client c2 db=1\nc1 MULTI ; SET k1 1 ; SELECT 1 ; INCR d1:k1 ; SELECT 0 ; EXEC\nc2 rt MULTI ; SELECT 0 ; GET k1 ; SELECT 1 ; EXEC"))
	assert.ErrorContains(t, check("c1 MULTI ; SELECT 1 ; SET k1 1 ; SELECT 0 ; EXEC"), "key k1 belongs to db 0, the transaction works in db 1 there")
	assert.ErrorContains(t, check("c1 MULTI ; SELECT 1 ; SET d1:k1 1 ; EXEC"), "the transaction ends in db 1, client c1 works in db 0: SELECT 0 before EXEC")
	assert.ErrorContains(t, check("client r1 db=1"), "a reader works in db 0")
	assert.ErrorContains(t, check("client c7 db=1"), "client c7: no such client")
	assert.ErrorContains(t, check("c1 AUTH x"), "operation 1 (c1 AUTH x): only a client that authenticates badly sends AUTH")
	assert.ErrorContains(t, check("client c1 auth=none redial=2"), "client c1: a client of topology replicas=1 chained=0 clients=2 cannot also authenticate badly")
	assert.NoError(t, check("client a2 auth=relapse redial=4\na2 AUTH wrong-a2\na2 INCR k1"))
	assert.Equal(t, 1, ClientDB(fault.Topology{Clients: 2}, "c2"))
	assert.Equal(t, 0, ClientDB(fault.Topology{Clients: 1}, "c1"))
}

// FuzzParseOps: any text either fails to parse or reads back as itself
// after Format; never a panic.
func FuzzParseOps(f *testing.F) {
	f.Add(sampleOps)
	f.Add("c1 SET k \"\\x00\"*3\n")
	f.Add("at 0.1 c1 rt MULTI ; INCR ; EXEC")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseOps("fuzz", text)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			return
		}
		out := l.Format()
		again, err := ParseOps("formatted", out)
		require.NoError(t, err, "Format wrote text ParseOps refuses:\n%s", out)
		assert.Equal(t, l, again)
		assert.Equal(t, out, again.Format())
	})
}
