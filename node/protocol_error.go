package node

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// protoDumpLen is PROTO_DUMP_LEN: how much of the unparsed input a
// protocol error's log line shows, half from each end when there is more.
const protoDumpLen = 128

// queryBufferSample is the end of setProtocolError's log line (Redis
// 7.0.15 networking.c): the unparsed input as C's snprintf prints it into
// a 256-byte buffer (a string ends at its first NUL byte, the whole is cut
// at 255 bytes), with every byte that is not printable ASCII shown as '.'.
func queryBufferSample(in []byte) string {
	var s string
	if len(in) < protoDumpLen {
		s = fmt.Sprintf("Query buffer during protocol error: '%s'", cString(in))
	} else {
		s = fmt.Sprintf("Query buffer during protocol error: '%s' (... more %d bytes ...) '%s'",
			cString(in[:protoDumpLen/2]), len(in)-protoDumpLen, cString(in[len(in)-protoDumpLen/2:]))
	}
	if len(s) > 255 {
		s = s[:255]
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '.'
		}
	}
	return string(b)
}

// errorReplyToMaster logs an error reply to the master's link, which
// Redis never sends but logs, with the newest bytes of the replica's
// backlog, the command's own not among them yet (networking.c
// afterErrorReply, replication.c showLatestBacklog). msg is the reply
// without its '-'.
func (n *Node) errorReplyToMaster(c *client, msg string) {
	n.stats.unexpectedErrors++
	cmd := c.lastCmd
	if cmd == "" {
		cmd = "<unknown>"
	}
	n.logWarning("== CRITICAL == This replica is sending an error to its master: '%s' after processing the command '%s'", afterErrorReplyText(msg), cmd)
	if b := n.repl.backlog; b != nil && b.histlen > 0 {
		from := b.first + b.histlen - min(b.histlen, latestBacklogLen)
		n.logWarning("Latest backlog is: '%s'", resp.Repr(string(b.from(from))))
	}
}

// afterErrorReplyText is an error reply as afterErrorReply logs it: a
// plain error (addReplyError) without its "ERR ", a shared one (WRONGTYPE,
// ...) with its '-', at most 4096 bytes.
func afterErrorReplyText(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "ERR "); ok {
		msg = rest
	} else {
		msg = "-" + msg
	}
	return truncate(msg, 4096)
}

// latestBacklogLen is how much of the backlog showLatestBacklog prints.
const latestBacklogLen = 256
