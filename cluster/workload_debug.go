package cluster

import (
	_ "embed" // DEBUG HELP's reply, as redis-server 7.0.15 gives it
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// The "debug" family: DEBUG HELP, DEBUG PROTOCOL and the forms of DEBUG
// POPULATE and CLIENT REPLY whose replies do not depend on the data (judged exactly,
// as the errors family's: checker/fixed_replies.go), and writes sent
// quietly, with CLIENT REPLY OFF or SKIP (client_reply.go). DEBUG RELOAD
// is the operator's (the op_debug_reload fault, reload.go). DEBUG
// POPULATE of a real count is not sent: it writes keys on one node only,
// which no model here follows.

// debugHelpText is redis-server 7.0.15's DEBUG HELP, one line per
// element, as redis-cli prints it (captured, not the node's copy: the
// node's text is what is judged).
//
//go:embed debug_help.txt
var debugHelpText string

// debugHelpReply renders DEBUG HELP's reply (an array of status lines)
// as the client records it.
func debugHelpReply() string {
	lines := strings.Split(strings.TrimSuffix(debugHelpText, "\n"), "\n")
	v := resp.Value{Kind: resp.Array, Array: make([]resp.Value, len(lines))}
	for i, l := range lines {
		v.Array[i] = resp.Value{Kind: resp.SimpleString, Str: []byte(l)}
	}
	return string(appendReplyLine(nil, v))
}

// debugCmds get the same reply whatever the data (checked against Redis
// 7.0.15 with enable-debug-command yes).
var debugCmds = []tableCmd{
	errCmd("DEBUG HELP", debugHelpReply()),
	errCmd("DEBUG HELP x", "ERR unknown subcommand or wrong number of arguments for 'HELP'. Try DEBUG HELP."),
	errCmd("DEBUG NOSUCH", "ERR unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP."),
	errCmd("DEBUG POPULATE", "ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP."),
	errCmd("DEBUG POPULATE 0 p 10 x", "ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP."),
	errCmd("DEBUG POPULATE -1", "ERR value is out of range, must be positive"),
	errCmd("DEBUG POPULATE abc", "ERR value is out of range, must be positive"),
	errCmd("DEBUG POPULATE 1 p -5", "ERR value is out of range, must be positive"),
	errCmd("DEBUG POPULATE 1 p x", "ERR value is out of range, must be positive"),
	errCmd("DEBUG POPULATE 0", "OK"),
	errCmd("DEBUG POPULATE 0 $k 5", "OK"),
	errCmd("DEBUG RELOAD foo", "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."),
	errCmd("CLIENT REPLY", "ERR wrong number of arguments for 'client|reply' command"),
	errCmd("CLIENT REPLY foo", "ERR syntax error"),
	errCmd("CLIENT REPLY on x", "ERR wrong number of arguments for 'client|reply' command"),
	errCmd("CLIENT REPLY ON", "OK"),
	// DEBUG PROTOCOL's RESP2 forms, as redis-server sends them.
	errCmd("DEBUG PROTOCOL string", rawReply("$11\r\nHello World\r\n")),
	errCmd("DEBUG PROTOCOL integer", rawReply(":12345\r\n")),
	errCmd("DEBUG PROTOCOL double", rawReply("$5\r\n3.141\r\n")),
	errCmd("DEBUG PROTOCOL bignum", rawReply("$37\r\n1234567999999999999999999999999999999\r\n")),
	errCmd("DEBUG PROTOCOL null", rawReply("$-1\r\n")),
	errCmd("DEBUG PROTOCOL array", rawReply("*3\r\n:0\r\n:1\r\n:2\r\n")),
	errCmd("DEBUG PROTOCOL set", rawReply("*3\r\n:0\r\n:1\r\n:2\r\n")),
	errCmd("DEBUG PROTOCOL map", rawReply("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n")),
	errCmd("DEBUG PROTOCOL attrib", rawReply("$39\r\nSome real reply following the attribute\r\n")),
	errCmd("DEBUG PROTOCOL push", rawReply("-ERR RESP2 is not supported by this command\r\n")),
	errCmd("DEBUG PROTOCOL verbatim", rawReply("$25\r\nThis is a verbatim\nstring\r\n")),
	errCmd("DEBUG PROTOCOL true", rawReply(":1\r\n")),
	errCmd("DEBUG PROTOCOL false", rawReply(":0\r\n")),
	errCmd("DEBUG PROTOCOL nosuch", rawReply("-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n")),
}

// rawReply renders a reply given in RESP as the client records it (an
// error as its text).
func rawReply(p string) string {
	v, _, err := resp.ParseValue([]byte(p))
	if err != nil {
		panic("workload_debug.go: bad RESP " + strconv.Quote(p))
	}
	if v.Kind == resp.Error {
		return string(v.Str)
	}
	return string(appendReplyLine(nil, v))
}

func drawDebug(r *sim.Rand, op *checker.Op, _ int) {
	if r.IntN(2) == 0 {
		drawTable(r, op, debugCmds, "EXPECT")
		return
	}
	// A core write sent quietly.
	switch r.IntN(3) {
	case 0:
		op.Kind, op.Value = checker.OpSet, strconv.Itoa(r.IntN(1000))
	case 1:
		op.Kind = checker.OpIncr
	default:
		op.Kind = checker.OpDel
	}
	// REWRITE pipelines a BGREWRITEAOF behind the write, replies still
	// off: the rewrite starts with the write in the AOF buffer, which
	// Redis flushes to the old incr file first (flushAppendOnlyFile(1)).
	op.Quiet = []string{"OFF", "SKIP", "REWRITE"}[r.IntN(3)]
}
