package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/fault"
)

// StuckWorkload explains a workload that did not finish: every client with
// work left, the node it targets (and whether that node is down or
// paused), and what the client is doing.
func (h *Cluster) StuckWorkload() string {
	var parts []string
	for _, c := range h.clients {
		if c.done() {
			continue
		}
		var b strings.Builder
		b.WriteString(c.name + " on " + c.target.name)
		switch {
		case !c.target.up:
			b.WriteString(" (down)")
		case c.target.paused:
			b.WriteString(" (paused)")
		}
		b.WriteString(": " + strconv.Itoa(c.opsLeft) + " ops left, ")
		switch {
		case c.pending >= 0:
			b.WriteString("waiting for a reply since " + fault.FormatSeconds(c.sentAt) + "s")
		case c.authing:
			b.WriteString("waiting for its AUTH reply")
		case c.connected:
			b.WriteString("connected, idle")
		default:
			b.WriteString("connecting")
		}
		parts = append(parts, b.String())
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}
