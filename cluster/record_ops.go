package cluster

import (
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// waitTimeoutMs is the timeout of the workload's WAITs.
const waitTimeoutMs = 100

// encodeOp renders op as the request a client sends, and says how many
// replies come before the one that decides it (MULTI's +OK and +QUEUED).
func encodeOp(op *checker.Op) (req []byte, skip int) {
	req = make([]byte, 0, 96) // room for a whole request: one allocation
	switch op.Kind {
	case checker.OpGet:
		req = resp.AppendCommandStrings(req, "GET", op.Key)
	case checker.OpSet:
		if op.TTL > 0 {
			req = resp.AppendCommandStrings(req, "SET", op.Key, op.Value, "PX", strconv.FormatInt(op.TTL, 10))
		} else {
			req = resp.AppendCommandStrings(req, "SET", op.Key, op.Value)
		}
	case checker.OpIncr:
		req = resp.AppendCommandStrings(req, "INCR", op.Key)
	case checker.OpDel:
		req = resp.AppendCommandStrings(req, "DEL", op.Key)
	case checker.OpWait:
		req = resp.AppendCommandStrings(req, "WAIT", strconv.Itoa(op.Replicas), strconv.Itoa(waitTimeoutMs))
	case checker.OpMulti:
		req = resp.AppendCommandStrings(req, "MULTI")
		req = resp.AppendCommandStrings(req, "SET", op.Key, op.Value)
		req = resp.AppendCommandStrings(req, "SET", op.Key2, op.Value2)
		req = resp.AppendCommandStrings(req, "EXEC")
		skip = 3
	}
	return req, skip
}

// recordReply records the reply v that decides op.
func recordReply(op *checker.Op, v resp.Value) {
	switch {
	case v.Kind == resp.Error:
		op.Err = string(v.Str)
	case op.Kind == checker.OpGet:
		op.Exists = !v.Null
		op.Result = string(v.Str)
	case op.Kind == checker.OpIncr || op.Kind == checker.OpDel || op.Kind == checker.OpWait:
		op.Int = v.Int
	case op.Kind == checker.OpMulti:
		if v.Kind != resp.Array || v.Null {
			op.Err = "EXECABORT transaction discarded: " + v.String()
		}
		for _, e := range v.Array {
			if e.Kind == resp.Error {
				op.Err = string(e.Str) // a SET cannot fail once queued; the checkers will say
			}
		}
	}
}

// appendReplyLine appends what replyLine returns, without allocating.
func appendReplyLine(dst []byte, v resp.Value) []byte {
	start := len(dst)
	dst = v.AppendText(dst)
	for i := start; i < len(dst); i++ {
		if dst[i] == '\n' {
			dst[i] = ' '
		}
	}
	return dst
}
