package harness

import "github.com/replsim/replsim/sim"

// scheduleFaults draws the fault schedule from the seed: for now, one reset
// of each replica's link at a seed-chosen moment.
func (h *Harness) scheduleFaults() {
	r := h.w.Rand("faults")
	for _, s := range h.nodes[1:] {
		replica := s
		at := sim.Time(r.Between(int64(200*sim.Millisecond), int64(1500*sim.Millisecond)))
		h.w.At(at, sim.EventFunc(func(w *sim.World) {
			n := h.net.ResetBetween(h.master.name, replica.name)
			w.Log().S("fault net_reset ").S(h.master.name).S("-").S(replica.name).S(" conns=").I(int64(n)).End()
		}))
	}
}
