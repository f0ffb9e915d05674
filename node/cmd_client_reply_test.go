package node_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// CLIENT REPLY, pipelined as redis-server 7.0.15 was asked: OFF silences
// until ON, SKIP only the next command (and is ignored while OFF), errors
// too; inside EXEC the switch takes effect at once.
func TestClientReply(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	in := "CLIENT REPLY SKIP\r\nCLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nNOSUCH\r\nCLIENT REPLY SKIP\r\nNOSUCH\r\nPING\r\n" +
		"CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nPING\r\nCLIENT REPLY ON\r\nMULTI\r\nCLIENT REPLY OFF\r\nEXEC\r\nPING\r\nCLIENT REPLY ON\r\nRESET\r\n"
	want := "+OK\r\n-ERR unknown command 'NOSUCH', with args beginning with: \r\n+PONG\r\n+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n+RESET\r\n"
	assert.Equal(t, want, string(h.DoRaw(c, []byte(in))))
	assert.Equal(t, "-ERR syntax error\r\n", h.DoString(c, "CLIENT", "REPLY", "bad"))
	// Errors are counted even when not sent (the two NOSUCH, the syntax
	// error).
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "total_error_replies:3\r\n")
}

func TestResetAndTime(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.RequirePass = "pw"
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "AUTH", "pw"))
	h.Do(c, "SELECT", "3")
	h.Do(c, "CLIENT", "SETNAME", "me")
	h.Do(c, "WATCH", "k")
	h.Do(c, "MULTI")
	assert.Equal(t, "+RESET\r\n", h.DoString(c, "RESET"), "RESET runs inside MULTI")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", h.DoString(c, "CLIENT", "GETNAME"), "authentication is reset")
	require.Equal(t, "+OK\r\n", h.DoString(c, "AUTH", "pw"))
	assert.Equal(t, "$-1\r\n", h.DoString(c, "CLIENT", "GETNAME"))
	assert.Contains(t, h.DoString(c, "CLIENT", "INFO"), " db=0 ")
	assert.Equal(t, "-ERR wrong number of arguments for 'reset' command\r\n", h.DoString(c, "RESET", "x"))

	h.Env.SetNow(1796336028_000766_000)
	assert.Equal(t, "*2\r\n$10\r\n1796336028\r\n$3\r\n766\r\n", h.DoString(c, "TIME"))
}

func TestMonitor(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	m, c := h.Conn(), h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(m, "MONITOR"))
	h.Env.SetNow(1339518083_107412_000)
	h.Do(c, "SET", "foo", "bar\n\"x\"")
	h.Do(c, "AUTH", "secret")
	h.Do(c, "CONFIG", "GET", "port") // admin: not shown
	h.Do(c, "MULTI")
	h.Do(c, "SELECT", "2")
	h.Do(c, "GET", "foo")
	h.Do(c, "EXEC")
	h.Do(c, "MULTI")
	h.Do(c, "NOSUCH")
	h.Do(c, "EXEC")
	h.Do(c, "NOSUCH") // rejected: not shown
	got := string(h.Env.Take(m))
	got = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(got, "ADDR")
	want := strings.Join([]string{
		`+1339518083.107412 [0 ADDR] "SET" "foo" "bar\n\"x\""`,
		`+1339518083.107412 [0 ADDR] "AUTH" "(redacted)"`,
		`+1339518083.107412 [0 ADDR] "MULTI"`,
		`+1339518083.107412 [2 ADDR] "SELECT" "2"`, // the db after the command, as Redis
		`+1339518083.107412 [2 ADDR] "GET" "foo"`,
		`+1339518083.107412 [2 ADDR] "EXEC"`,
		`+1339518083.107412 [2 ADDR] "MULTI"`,
		`+1339518083.107412 [2 ADDR] "EXEC"`,
		``,
	}, "\r\n")
	assert.Equal(t, want, got)
	// RESET ends monitoring.
	h.Do(m, "RESET")
	h.Env.Take(m)
	h.Do(c, "PING")
	assert.Empty(t, h.Env.Take(m))
}

func TestDebugHelpAndProtocol(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	help := h.DoString(c, "DEBUG", "HELP")
	assert.True(t, strings.HasPrefix(help, "*106\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help[:60])
	for typ, want := range map[string]string{
		"string": "$11\r\nHello World\r\n", "integer": ":12345\r\n", "double": "$5\r\n3.141\r\n",
		"bignum": "$37\r\n1234567999999999999999999999999999999\r\n", "null": "$-1\r\n",
		"array": "*3\r\n:0\r\n:1\r\n:2\r\n", "set": "*3\r\n:0\r\n:1\r\n:2\r\n",
		"map": "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "attrib": "$39\r\nSome real reply following the attribute\r\n",
		"push": "-ERR RESP2 is not supported by this command\r\n", "verbatim": "$25\r\nThis is a verbatim\nstring\r\n",
		"true": ":1\r\n", "false": ":0\r\n",
		"nosuch": "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
	} {
		assert.Equal(t, want, h.DoString(c, "DEBUG", "PROTOCOL", typ), typ)
	}
	assert.Equal(t, "-ERR unknown subcommand or wrong number of arguments for 'PROTOCOL'. Try DEBUG HELP.\r\n", h.DoString(c, "DEBUG", "PROTOCOL"))
}

// CLIENT LIST shows a monitor (O) and a client whose WATCHed key changed
// (d), as Redis's flags.
func TestClientListFlagsMonitorAndDirtyCAS(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	m, c := h.Conn(), h.Conn()
	h.Do(m, "MONITOR")
	h.Env.Take(m)
	assert.Contains(t, h.DoString(c, "CLIENT", "LIST"), " flags=O ")
	h.Do(c, "WATCH", "k")
	h.Do(c, "SET", "k", "v")
	assert.Contains(t, h.DoString(c, "CLIENT", "INFO"), " flags=d ")
}
