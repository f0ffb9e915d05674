package cluster

import (
	"strconv"

	"github.com/replsim/replsim/sim"
)

// scheduleBacklogGrowth makes half the seeds that start with the smallest
// backlog grow it on the master of a moment early in the run (CONFIG SET
// repl-backlog-size, kept in its config file): the backlog then holds
// more than it did, which a master's INFO (checker.CheckBacklogHistlen)
// and its partial resyncs (the "for lack of backlog" rule) must show.
// Such a seed writes big values, so that the stream outgrows the old
// size. Its own stream.
func (h *Cluster) scheduleBacklogGrowth() {
	r := h.w.Rand("setup/backlog-growth")
	if r.IntN(2) != 0 {
		return
	}
	h.workload.bigValues = true
	size := strconv.Itoa([]int{64 << 10, 256 << 10, 1 << 20}[r.IntN(3)])
	at := sim.Time(r.Between(int64(500*sim.Millisecond), int64(4*sim.Second)))
	h.w.After(at, sim.EventFunc(func(*sim.World) {
		m := h.master
		if m == nil || !m.up || m.paused || m.node.Down() {
			return
		}
		err := h.ConfigSet(m.name, "repl-backlog-size", size)
		l := h.w.Log().S("op ").S(m.name).S(" CONFIG SET repl-backlog-size ").S(size).S(" (the backlog's growth)")
		if err != nil {
			l = l.S(": ").S(err.Error())
		}
		l.End()
	}))
}
