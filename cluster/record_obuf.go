package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
)

// obufLog is the start of the line a node logs when it frees a client for
// its output buffer limit; the argument is the client's CLIENT LIST line.
const obufLog = "Client %s scheduled to be closed ASAP for overcoming of output buffer limits."

// noteObufDrop records a replica that master s drops for its output
// buffer, with how far behind the master's stream it was (the bound of
// its buffer) and the limits in force, for checker.CheckObufDrops.
func (h *Cluster) noteObufDrop(s *simNode, format string, args []any) {
	if format != obufLog || len(args) != 1 {
		return
	}
	info, _ := args[0].(string)
	fields := strings.Fields(info)
	var addr string
	replica := false
	for _, f := range fields {
		if v, ok := strings.CutPrefix(f, "addr="); ok {
			addr = v
		}
		if v, ok := strings.CutPrefix(f, "flags="); ok {
			replica = strings.Contains(v, "S")
		}
	}
	if !replica {
		return
	}
	host, port, _ := strings.Cut(addr, ":")
	r := h.Node(host)
	if r == nil {
		return
	}
	cfg := s.node.Config()
	lim := cfg.OutputLimits[node.OutputClassReplica]
	d := checker.ObufDrop{At: int64(h.w.Now()), Master: s.name, Replica: host, Behind: -1,
		Hard: lim.Hard, Soft: lim.Soft, SoftSeconds: lim.SoftSeconds, Backlog: cfg.ReplBacklogSize}
	m := s.node.Repl()
	if r.up {
		rr := r.node.Repl()
		// Only the replica's current link holds the stream it applies; a
		// link it abandoned (it crashed or reconnected while the master
		// had not noticed) holds what was queued since that link synced.
		// And only once its link is up: during a full sync its offset is
		// not where the master's buffered stream starts (seed 3004163: a
		// former master waiting for a disk BGSAVE kept its own offset).
		current := strconv.FormatUint(uint64(r.node.MasterLinkConn()), 10) == port
		if current && rr.Role == "slave" && rr.LinkUp && rr.MasterHost == s.name && rr.ReplID == m.ReplID {
			d.Behind = m.Offset - rr.Offset
		}
	}
	h.rec.obufDrops = append(h.rec.obufDrops, d)
}
