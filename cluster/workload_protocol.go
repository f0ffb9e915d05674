package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// The "protocol" family: a hostile client sends raw bytes, malformed RESP
// or inline requests (Mode "PROTOX", judged exactly by
// checker/fixed_replies.go). Redis answers a request it cannot parse with
// "-ERR Protocol error: ..." and closes the connection, the rest of the
// request unread (networking.c's setProtocolError). Each erroneous request
// carries a PING behind the bad bytes: a node that went on reading would
// answer it, which the client records (Op.AfterError) and the checker
// flags; the client then waits for the close and connects again. The
// too-big forms are 100,000 bytes with no line end (past the 64 KB
// PROTO_INLINE_MAX_SIZE): nothing can follow them. The others are
// requests Redis parses in ways a client would not expect (an empty or
// negative multibulk count, "\x4A" escapes), whose reply is fixed too.
//
// Every reply was taken from redis-server 7.0.15 over a raw socket.

// protoReq is one raw request: its name (the operation's second word),
// bytes and reply (as the recorder shows it); unauth, if set, is the
// reply on a connection that has not authenticated while a password is
// required (Op.Value2): Redis refuses a multibulk count over 10 there
// before it reads on (networking.c's processMultibulkBuffer).
type protoReq struct {
	name, raw, reply, unauth string
	// closes: a request Redis answers and then closes the connection
	// after (QUIT), the PING behind it unanswered, as after a protocol
	// error.
	closes bool
}

var protoReqs = []protoReq{
	{"mbulk-abc", "*abc\r\n", "ERR Protocol error: invalid multibulk length", "", false},
	{"mbulk-1a", "*1a\r\n", "ERR Protocol error: invalid multibulk length", "", false},
	{"mbulk-zero-lead", "*01\r\n", "ERR Protocol error: invalid multibulk length", "", false},
	{"mbulk-plus", "*+1\r\n", "ERR Protocol error: invalid multibulk length", "", false},
	{"mbulk-overflow", "*99999999999999999999\r\n", "ERR Protocol error: invalid multibulk length", "", false},
	{"mbulk-big", "*1048577\r\n", "ERR Protocol error: expected '$', got 'P'", "ERR Protocol error: unauthenticated multibulk length", false},
	{"mbulk-11", "*11\r\n", "ERR Protocol error: expected '$', got 'P'", "ERR Protocol error: unauthenticated multibulk length", false},
	{"bulk-abc", "*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-neg", "*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-neg-zero", "*1\r\n$-0\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-zero-lead", "*1\r\n$01\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-space", "*1\r\n$ 1\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-over-max", "*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-int64", "*1\r\n$9223372036854775808\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-uint64", "*1\r\n$18446744073709551616\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"bulk-second", "*2\r\n$4\r\nECHO\r\n$111111111111111111111111111111\r\n", "ERR Protocol error: invalid bulk length", "", false},
	{"no-dollar", "*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'", "", false},
	{"no-dollar-empty", "*1\r\n\r\n", "ERR Protocol error: expected '$', got ' '", "", false},
	{"quote-open", "ECHO \"abc\r\n", "ERR Protocol error: unbalanced quotes in request", "", false},
	{"quote-open-single", "ECHO 'abc\r\n", "ERR Protocol error: unbalanced quotes in request", "", false},
	{"quote-glued", "ECHO \"a\"b\r\n", "ERR Protocol error: unbalanced quotes in request", "", false},
	{"quote-glued-single", "ECHO 'a'b\r\n", "ERR Protocol error: unbalanced quotes in request", "", false},
	{"big-inline", strings.Repeat("A", 100000), "ERR Protocol error: too big inline request", "", false},
	{"big-mbulk-count", "*" + strings.Repeat("1", 100000), "ERR Protocol error: too big mbulk count string", "", false},
	{"big-bulk-count", "*1\r\n$" + strings.Repeat("1", 100000), "ERR Protocol error: too big bulk count string", "", false},
	// Parsed, not refused: the connection stays.
	{"mbulk-neg", "*-1\r\nPING\r\n", "PONG", "", false},
	{"mbulk-neg5", "*-5\r\nPING\r\n", "PONG", "", false},
	{"mbulk-empty", "*0\r\nPING\r\n", "PONG", "", false},
	{"inline-empty", "\r\nPING\r\n", "PONG", "", false},
	{"inline-hex", "ECHO \"\\x4A\\x4a\\x4G\"\r\n", `"JJx4G"`, "", false},
	{"bulk-empty-arg", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", `""`, "", false},
	{"bulk-empty-cmd", "*1\r\n$0\r\n\r\n", "ERR unknown command '', with args beginning with: ", "", false},
	// Answered, then the connection closes (CLIENT_CLOSE_AFTER_REPLY),
	// authenticated or not (QUIT is CMD_NO_AUTH).
	{name: "quit-inline", raw: "QUIT\r\n", reply: "OK", unauth: "OK", closes: true},
	{name: "quit", raw: "*1\r\n$4\r\nQUIT\r\n", reply: "OK", unauth: "OK", closes: true},
}

// protoCloses reports whether op (Mode "PROTOX") is a request after whose
// reply the node closes the connection: a protocol error, or one of the
// requests marked closes that got its reply.
func protoCloses(op *checker.Op) bool {
	if strings.HasPrefix(op.Err, checker.ProtocolError) {
		return true
	}
	for _, p := range protoReqs {
		if p.closes && len(op.Args) == 2 && op.Args[1] == p.name {
			return op.Err == "" && op.Reply == p.reply
		}
	}
	return false
}

// protoCmds are protoReqs as table commands ("PROTO name"), for drawing
// and for operation lists.
var protoCmds = func() []tableCmd {
	t := make([]tableCmd, len(protoReqs))
	for i, p := range protoReqs {
		t[i] = errCmd("PROTO "+p.name, p.reply)
	}
	return t
}()

// protoRequest renders a PROTOX operation's bytes: the raw request, and a
// PING behind an erroneous one that has a line end.
func protoRequest(op *checker.Op) []byte {
	for _, p := range protoReqs {
		if len(op.Args) == 2 && op.Args[1] == p.name {
			req := []byte(p.raw)
			if (strings.HasPrefix(p.reply, checker.ProtocolError) || p.closes) && strings.HasSuffix(p.raw, "\n") {
				req = append(req, "PING\r\n"...)
			}
			return req
		}
	}
	panic("workload_protocol.go: no raw request " + strings.Join(op.Args, " "))
}

func drawProtocol(r *sim.Rand, op *checker.Op, _ int) {
	drawTable(r, op, protoCmds, "PROTOX")
	protoUnauth(op)
}

// protoUnauth sets a PROTOX operation's reply on an unauthenticated
// connection (Op.Value2), if it has one of its own.
func protoUnauth(op *checker.Op) {
	for _, p := range protoReqs {
		if len(op.Args) == 2 && op.Args[1] == p.name {
			op.Value2 = p.unauth
		}
	}
}
