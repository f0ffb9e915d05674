package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// The REPLCONF probe: in the steady tail an internal client of the
// master of the moment pipelines REPLCONF ACK and REPLCONF GETACK, which
// only a replica (ACK) or a master link (GETACK) may send, then a PING.
// Redis's replconfCommand returns from both without a reply for any
// other client (an ACK from a client that is no replica is ignored, a
// GETACK on a master has nothing to answer), so the client reads only
// the PING's reply.

// pingRefusedForDisk says reply is one MISCONF error: after a failed save
// or AOF write Redis refuses PING too (processCommand:
// writeCommandsDeniedByDiskError, "is_write_command || c->cmd->proc ==
// pingCommand").
func pingRefusedForDisk(reply string) bool {
	return strings.HasPrefix(reply, "-MISCONF ") && strings.Index(reply, "\r\n") == len(reply)-2
}

// replconfProbeAfter is when it runs, from the tail's start.
const replconfProbeAfter = 1200 * sim.Millisecond

// replconfProbeRequests is what it sends in one write.
var replconfProbeRequests = append(append(resp.AppendCommandStrings(nil, "REPLCONF", "ACK", "0"),
	resp.AppendCommandStrings(nil, "REPLCONF", "GETACK", "*")...), resp.AppendCommandStrings(nil, "PING")...)

// startReplconfProbe schedules the probe.
func (h *Cluster) startReplconfProbe() {
	h.w.After(replconfProbeAfter, sim.EventFunc(func(*sim.World) {
		m := h.master
		if m == nil || !m.up || m.paused || m.node.Down() || m.node.Busy() {
			return
		}
		p := m.node.AdminPipeline(replconfProbeRequests)
		h.w.Log().S("op ").S(m.name).S(" REPLCONF ACK 0, REPLCONF GETACK * and PING in one write (a client that is no replica)").End()
		got, want := string(p.Replies()), "+PONG\r\n"
		if pingRefusedForDisk(got) {
			want = got // but neither REPLCONF (seed 2520)
		}
		h.rec.operatorExpects = append(h.rec.operatorExpects, checker.OperatorExpect{Node: m.name, At: int64(h.w.Now()),
			Args: []string{"REPLCONF ACK 0", "+", "REPLCONF GETACK *", "+", "PING", "(one write, a client that is no replica)"},
			Want: want, Got: got})
		p.HangUp()
		m.checkExit()
	}))
}
