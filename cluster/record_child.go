package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// recordChildReply keeps the reply v to an operator's BGSAVE,
// BGREWRITEAOF or SAVE that incarnation gen of s answered at virtual time at, for
// checker.CheckChildJobs; the command's own log lines start at index
// logFrom of the log record; inExec says it ran inside MULTI/EXEC.
func (s *simNode) recordChildReply(gen int, at int64, logFrom int, inExec bool, args []string, v resp.Value, err error) {
	if err != nil || len(args) == 0 {
		return
	}
	if c := strings.ToUpper(args[0]); c != "BGSAVE" && c != "BGREWRITEAOF" && c != "SAVE" {
		return
	}
	var reply string
	switch v.Kind {
	case resp.SimpleString:
		reply = "+" + string(v.Str)
	case resp.Error:
		reply = "-" + string(v.Str)
	default:
		reply = v.String()
	}
	s.h.rec.childReplies = append(s.h.rec.childReplies, checker.ChildReply{Node: s.name, Gen: gen, Call: at, Return: at,
		InExec: inExec, LogFrom: logFrom, LogTo: len(s.h.rec.logs), Args: append([]string(nil), args...), Reply: reply})
}

// ChildJobsInput is every node's log with the replies to the operator's
// BGSAVE and BGREWRITEAOF and the clients' FLUSHALLs that succeeded, for
// checker.CheckChildJobs.
func (h *Cluster) ChildJobsInput() checker.ChildJobsInput {
	in := checker.ChildJobsInput{Lines: h.rec.logs, Replies: h.rec.childReplies, Settings: h.rec.settings}
	for _, ops := range [][]checker.Op{h.masterOps, h.replicaOps} {
		for i := range ops {
			op := &ops[i]
			if op.Kind == checker.OpFlush && op.Mode == "ALL" && op.Err == "" && !op.Unknown && op.Return > 0 {
				in.Flushes = append(in.Flushes, checker.NodeCall{Node: op.Node, Call: int64(op.Call), Return: int64(op.Return)})
			}
		}
	}
	return in
}
