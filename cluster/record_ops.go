package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// waitTimeoutMs is the timeout of the workload's WAITs.
const waitTimeoutMs = 100

// encodeOp renders op as the request a client sends, and says how many
// replies come before the one that decides it (MULTI's +OK and +QUEUED).
func encodeOp(op *checker.Op) (req []byte, skip int) {
	req = make([]byte, 0, 96) // room for a whole request: one allocation
	if op.Kind == checker.OpTx {
		req = resp.AppendCommandStrings(req, "MULTI")
		for i := range op.Sub {
			req = resp.AppendCommandStrings(req, op.Sub[i].Args...)
		}
		return resp.AppendCommandStrings(req, txEnd(op)), 1 + len(op.Sub)
	}
	if op.Kind == checker.OpRead && op.Mode == "PROTOX" {
		return append(req, protoRequest(op)...), 0 // workload_protocol.go
	}
	if op.Kind == checker.OpRead && (op.Mode == "INLINE" || op.Mode == "INLINEX") {
		return append(append(req, strings.Join(op.Args, " ")...), '\r', '\n'), 0 // workload_admin.go
	}
	if len(op.Args) > 0 {
		return resp.AppendCommandStrings(req, op.Args...), 0
	}
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

// txRoundTrips renders a transaction sent one command per round trip:
// MULTI, each command, EXEC, each sent once the reply to the one before
// has come.
func txRoundTrips(op *checker.Op) [][]byte {
	parts := [][]byte{resp.AppendCommandStrings(nil, "MULTI")}
	for i := range op.Sub {
		parts = append(parts, resp.AppendCommandStrings(nil, op.Sub[i].Args...))
	}
	return append(parts, resp.AppendCommandStrings(nil, txEnd(op)))
}

// txEnd is the command that ends transaction op: EXEC, or DISCARD.
func txEnd(op *checker.Op) string {
	if op.Discard {
		return "DISCARD"
	}
	return "EXEC"
}

// recordReply records the reply v that decides op.
func recordReply(op *checker.Op, v resp.Value) {
	if len(op.Args) > 0 || op.Kind == checker.OpTx {
		recordCommandReply(op, v)
		return
	}
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

// recordCommandReply records the reply to a command sent from op.Args:
// errors, integers and bulk strings in their fields, OK/nil of a
// conditional SET as Int 1/0, MGET's values as Sub, and the reply as text.
func recordCommandReply(op *checker.Op, v resp.Value) {
	op.Reply = strings.ReplaceAll(v.String(), "\n", " ")
	if isWatch(op) {
		recordWatchExec(op, v)
		return
	}
	if op.Kind == checker.OpTx && op.Discard {
		switch {
		case v.Kind == resp.Error:
			op.Err = string(v.Str)
		case v.Kind != resp.SimpleString || string(v.Str) != "OK":
			op.Err = checker.UnexpectedExec + "DISCARD answered " + op.Reply
		}
		return
	}
	if op.Kind == checker.OpTx {
		queued := 0
		for i := range op.Sub {
			if op.Sub[i].Mode != txNested {
				queued++
			}
		}
		switch {
		case v.Kind == resp.Error:
			op.Err = string(v.Str)
		case v.Kind != resp.Array || v.Null || len(v.Array) != queued:
			op.Err = checker.UnexpectedExec + op.Reply
		default:
			j := 0
			for i := range op.Sub {
				if op.Sub[i].Mode != txNested {
					recordCommandReply(&op.Sub[i], v.Array[j])
					j++
				}
			}
		}
		return
	}
	switch v.Kind {
	case resp.Error:
		op.Err = string(v.Str)
	case resp.Integer:
		op.Int = v.Int
		op.Exists = op.Kind == checker.OpCmd // an integer, not a nil (LPOS)
	case resp.BulkString:
		op.Exists, op.Result = !v.Null, string(v.Str)
		if op.Kind == checker.OpSetNX || op.Kind == checker.OpSetXX {
			op.Int = 0 // SET NX/XX answers nil when it did not set
		}
	case resp.SimpleString:
		op.Int = 1
	case resp.Array:
		if op.Kind == checker.OpCmd {
			// A nil array (LPOP key count of no list) is not an empty one.
			op.Items, op.Exists = appendItems(op.Items[:0], v), !v.Null
		}
		if op.Kind == checker.OpMGet {
			for _, e := range v.Array {
				op.Sub = append(op.Sub, checker.Op{Kind: checker.OpGet, Exists: !e.Null, Result: string(e.Str)})
			}
		}
	}
}

// appendItems appends an array reply's elements as Items, nested arrays
// flattened, integers in decimal.
func appendItems(dst []checker.Item, v resp.Value) []checker.Item {
	for _, e := range v.Array {
		switch e.Kind {
		case resp.Array:
			dst = appendItems(dst, e)
		case resp.Integer:
			dst = append(dst, checker.Item{Str: strconv.FormatInt(e.Int, 10)})
		default:
			dst = append(dst, checker.Item{Str: string(e.Str), Nil: e.Null})
		}
	}
	return dst
}
