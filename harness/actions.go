package harness

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// Node returns the simulated node called name, or nil.
func (h *Harness) Node(name string) *simNode {
	for _, s := range h.nodes {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Exec runs a command on a node as an operator at its console (no network).
func (h *Harness) Exec(name string, args ...string) (resp.Value, error) {
	s := h.Node(name)
	if s == nil {
		return resp.Value{}, fmt.Errorf("no node %q", name)
	}
	if !s.up {
		return resp.Value{}, fmt.Errorf("node %s is down", name)
	}
	v, err := s.node.AdminValue(args...)
	l := h.w.Log().S("op ").S(name)
	for _, a := range args {
		l.S(" ").S(a)
	}
	l.S(" -> ").S(v.String()).End()
	return v, err
}

// Promote makes name the master: SLAVEOF NO ONE on it, then every other
// live node (the old master included) is pointed at it. Clients follow.
func (h *Harness) Promote(name string) error {
	s := h.Node(name)
	if s == nil || !s.up {
		return fmt.Errorf("promote: node %q is not up", name)
	}
	if _, err := h.Exec(name, "SLAVEOF", "NO", "ONE"); err != nil {
		return err
	}
	h.master = s
	h.epoch++
	h.note("op_promote", name, "")
	for _, o := range h.nodes {
		if o != s && o.up {
			if _, err := h.Exec(o.name, "SLAVEOF", s.name, strconv.Itoa(s.port)); err != nil {
				return err
			}
		}
	}
	for _, c := range h.clients {
		c.retarget()
	}
	return nil
}

// Crash kills node name (kill -9 semantics): its connections reset, its
// disk keeps what the crash mode leaves, it processes nothing until Restart.
// A crashed master ends the master epoch.
func (h *Harness) Crash(name string, mode disksim.CrashMode) error {
	s := h.Node(name)
	if s == nil || !s.up {
		return fmt.Errorf("crash: node %q is not up", name)
	}
	s.up = false
	s.gen++
	h.net.ResetHost(name)
	h.net.Unlisten(name, s.port)
	h.net.SetHandler(name, nil)
	report, err := s.fs.Crash(mode)
	if err != nil {
		return err
	}
	if s == h.master {
		h.epoch++
	}
	h.note("proc_crash", name, report.String())
	return nil
}

// Restart starts a crashed node again from its own files and config.
func (h *Harness) Restart(name string) error {
	s := h.Node(name)
	if s == nil || s.up {
		return fmt.Errorf("restart: node %q is not down", name)
	}
	s.node = node.New(s.cfg, s)
	if err := s.node.Load(); err != nil {
		h.note("proc_restart_failed", name, err.Error())
		return err
	}
	h.onRestart(s)
	s.up = true
	h.net.SetHandler(name, s)
	if err := h.net.Listen(name, s.port); err != nil {
		return err
	}
	h.w.After(sim.Time(s.rng.Int64N(int64(tickInterval))), &nodeTick{s: s, gen: s.gen})
	h.note("proc_restart", name, "")
	return nil
}

// Partition cuts the network between two groups of hosts until Heal.
func (h *Harness) Partition(a, b []string) {
	h.net.Partition(a, b)
	h.note("net_partition", "", fmt.Sprint(a, b))
}

// Heal removes every partition and blackhole.
func (h *Harness) Heal() { h.net.HealAll(); h.w.Log().S("heal all").End() }

// Network exposes the simulated network for fault injection.
func (h *Harness) Network() *netsim.Network { return h.net }
