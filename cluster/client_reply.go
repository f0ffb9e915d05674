package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// A quiet operation (checker.Op.Quiet) is one command sent with its reply
// switched off: CLIENT REPLY OFF, the command (in mode REWRITE, then
// BGREWRITEAOF), CLIENT REPLY ON; or CLIENT REPLY SKIP, the command, ECHO. Its request gets one reply, the last
// command's (checker/client_reply.go).

// quietRequest wraps the request of op's command (one command) in the
// CLIENT REPLY commands of its mode.
func quietRequest(op *checker.Op, cmd []byte) []byte {
	mode := op.Quiet
	if mode == "REWRITE" {
		mode = "OFF"
	}
	req := resp.AppendCommandStrings(make([]byte, 0, len(cmd)+80), "CLIENT", "REPLY", mode)
	req = append(req, cmd...)
	if op.Quiet == "REWRITE" {
		req = resp.AppendCommandStrings(req, "BGREWRITEAOF")
	}
	if mode == "OFF" {
		return resp.AppendCommandStrings(req, "CLIENT", "REPLY", "ON")
	}
	return resp.AppendCommandStrings(req, "ECHO", checker.QuietEcho)
}

// completeQuiet records the one reply a quiet operation's request got: the
// command's own outcome is unknown. A reply other than the last command's
// (an error refusing CLIENT REPLY itself, say NOAUTH, or the quiet
// command's own) may have others after it: the connection is closed so
// they cannot pass for the next operation's.
func (c *simClient) completeQuiet(op *checker.Op, v resp.Value) {
	switch v.Kind {
	case resp.Integer:
		op.QuietReply = strconv.FormatInt(v.Int, 10)
	case resp.Array:
		op.QuietReply = v.String()
	default:
		op.QuietReply = string(v.Str)
		if v.Null {
			op.QuietReply = "(nil)"
		}
	}
	op.Unknown = true
	c.pending = -1
	if op.QuietReply != checker.QuietWant(op.Quiet) {
		c.h.net.Close(c.conn)
		c.lost()
		return
	}
	c.lastDone = op.ID
}
