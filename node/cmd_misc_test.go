package node_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

func TestHello(t *testing.T) {
	e := newCmdEnv(t)
	want := "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n" +
		"$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
	e.expect(
		"HELLO", want,
		"HELLO 2", want,
		"HELLO 3", "-NOPROTO unsupported protocol version\r\n",
		"HELLO 1", "-NOPROTO unsupported protocol version\r\n",
		"HELLO x", "-ERR Protocol version is not an integer or out of range\r\n",
		"HELLO 2 foo", "-ERR Syntax error in HELLO option 'foo'\r\n",
		"HELLO 2 SETNAME", "-ERR Syntax error in HELLO option 'SETNAME'\r\n",
		"HELLO 2 SETNAME conn1", want,
		"CLIENT GETNAME", "$5\r\nconn1\r\n",
	)
}

func TestHelloAuth(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.RequirePass = "pw"
	h := nodetest.New(t, cfg)
	c := h.Conn()
	assert.True(t, strings.HasPrefix(h.DoString(c, "HELLO", "2"), "-NOAUTH HELLO must be called"))
	assert.Equal(t, "-WRONGPASS invalid username-password pair or user is disabled.\r\n", h.DoString(c, "HELLO", "2", "AUTH", "default", "no"))
	assert.True(t, strings.HasPrefix(h.DoString(c, "HELLO", "2", "AUTH", "default", "pw"), "*14\r\n"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
}

func TestClientSubcommands(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"CLIENT ID", ":1\r\n",
		"CLIENT GETNAME", "$-1\r\n",
		"CLIENT SETNAME a\x01", "-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
		"CLIENT SETNAME app", "+OK\r\n",
		"CLIENT GETNAME", "$3\r\napp\r\n",
		"CLIENT SETNAME", "-ERR wrong number of arguments for 'client|setname' command\r\n",
		"client foo", "-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n",
		"CLIENT", "-ERR wrong number of arguments for 'client' command\r\n",
		"CLIENT LIST TYPE bogus", "-ERR Unknown client type 'bogus'\r\n",
		"CLIENT LIST x", "-ERR syntax error\r\n",
	)
	list := e.do("CLIENT", "LIST")
	assert.Regexp(t, regexp.MustCompile(`^\$\d+\r\nid=1 addr=127\.0\.0\.1:\d+ laddr=\S+ fd=\d+ name=app age=0 idle=0 flags=N db=0 .* cmd=client\|list user=default redir=-1 resp=2\n\r\n$`), list)
}

func TestSubcommandErrorsDoomMulti(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"MULTI", "+OK\r\n",
		"CLIENT SETNAME", "-ERR wrong number of arguments for 'client|setname' command\r\n",
		"MULTI", "-ERR MULTI calls can not be nested\r\n",
		"EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n",
		"MULTI", "+OK\r\n",
		"MULTI", "-ERR MULTI calls can not be nested\r\n", // runs, so does not doom
		"SET k v", "+QUEUED\r\n",
		"EXEC", "*1\r\n+OK\r\n",
	)
}

func TestCommandAndFunctionAndDebug(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	require.Equal(t, ":"+strconv.Itoa(node.CommandCount())+"\r\n", e.do("COMMAND", "COUNT"))
	e.expect(
		"COMMAND DOCS nosuch", "*0\r\n",
		// As redis-server 7.0.15 answers.
		"COMMAND INFO get nosuch", "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n$-1\r\n",
		"COMMAND foo", "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n",
		"FUNCTION FLUSH", "+OK\r\n",
		"FUNCTION FLUSH foo", "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n",
		"FUNCTION FLUSH a b", "-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.\r\n",
		"DEBUG DIGEST", "+0000000000000000000000000000000000000000\r\n",
		"DEBUG foo", "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n",
		"SET k v", "+OK\r\n",
	)
	assert.Regexp(t, `^\+[0-9a-f]{40}\r\n$`, e.do("DEBUG", "DIGEST"))
	assert.Regexp(t, `^\*2\r\n\+[0-9a-f]{40}\r\n\+0{40}\r\n$`, e.do("DEBUG", "DIGEST-VALUE", "k", "nokey"))
	all := e.do("COMMAND")
	assert.True(t, strings.HasPrefix(all, "*"+strconv.Itoa(node.CommandCount())+"\r\n"), "COMMAND lists every command")
	assert.Equal(t, []string{"FUNCTION FLUSH", "SET k v"}, e.propagated())
}
