package checker

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	// Op.Reply holds INFO's text quoted as redis-cli shows it ("\r\n"
	// escaped).
	replBuffersField = regexp.MustCompile(`(?:^|\\n|\n)mem_total_replication_buffers:([0-9]+)`)
	backlogHistField = regexp.MustCompile(`(?:^|\\n|\n)repl_backlog_histlen:([0-9]+)`)
)

// CheckInfoReplBuffers judges INFO replies that hold both the memory and
// the replication section: Redis 7.0.15's mem_total_replication_buffers is
// server.repl_buffer_mem, the blocks of the one replication buffer the
// backlog and the replicas' output share, and the backlog's history
// (repl_backlog_histlen) is bytes of those blocks; so the first is never
// below the second.
func CheckInfoReplBuffers(ops []Op) []Violation {
	var out []Violation
	for i := range ops {
		op := &ops[i]
		if op.Kind != OpRead || len(op.Args) == 0 || !strings.EqualFold(op.Args[0], "INFO") || op.Unknown || op.Err != "" {
			continue
		}
		mem, hist := replBuffersField.FindStringSubmatch(op.Reply), backlogHistField.FindStringSubmatch(op.Reply)
		if mem == nil || hist == nil {
			continue
		}
		m, _ := strconv.ParseInt(mem[1], 10, 64)
		h, _ := strconv.ParseInt(hist[1], 10, 64)
		if m < h {
			out = append(out, Violation{Check: "info_counters", At: op.Return, Nodes: []string{op.Node}, Ops: []OpRef{op.Ref()},
				Detail: fmt.Sprintf("%s answered client %d's %s with mem_total_replication_buffers:%d below repl_backlog_histlen:%d: the backlog's history is held in the replication buffer Redis counts there",
					op.Node, op.Client, strings.Join(op.Args, " "), m, h)})
		}
	}
	return out
}
