package harness

import (
	"strconv"

	"github.com/replsim/replsim/netsim"
)

// healAll is the heal phase: every fault in force ends, the network heals,
// crashed nodes restart (wiped if they refuse their files), paused nodes
// resume, passwords agree again and every node replicates, directly or
// through others, from the master. Clocks keep their offsets.
func (h *Harness) healAll() {
	h.w.Log().S("heal: faults stop").End()
	for len(h.active) > 0 {
		f := h.active[0]
		h.active = h.active[1:]
		h.noteEnd(f.kind+"_end", f.node, "heal")
		f.undo()
	}
	for _, s := range h.wrongAuth {
		if s.up {
			_ = h.execOK(s.name, "CONFIG", "SET", "masterauth", s.cfg.MasterAuth) // best effort, as the undo
		}
	}
	h.wrongAuth = nil
	h.net.HealAll()
	for _, host := range h.dialFaults {
		_ = h.net.FailDials(host, netsim.ErrRefused, 0) // the arguments are valid
	}
	h.dialFaults = nil
	for _, s := range h.nodes {
		if s.up {
			continue
		}
		h.restartDown(s)
	}
	if h.passChanged {
		h.followPass(h.wantPass)
	}
	h.repairTopology()
	h.healed = true
	h.noteEnd("heal", "", "")
}

// restartDown starts a node that is down from its files, or wiped if it
// refuses them.
func (h *Harness) restartDown(s *simNode) {
	if err := h.start(s, "proc_restart"); err != nil {
		h.restartWiped(s)
	}
}

// repairTopology makes the harness's master a master and points every node
// whose chain of masters does not reach it straight at it.
func (h *Harness) repairTopology() {
	m := h.master
	if !m.up {
		return
	}
	if m.node.Repl().Role != "master" {
		if err := h.execOK(m.name, "SLAVEOF", "NO", "ONE"); err == nil {
			h.epoch++
			h.noteEnd("op_repair", m.name, "master again")
		}
	}
	m.cfg.ReplicaOfHost, m.cfg.ReplicaOfPort = "", 0
	for _, s := range h.nodes {
		if s == m || !s.up || h.reachesMaster(s) {
			continue
		}
		if err := h.execOK(s.name, "SLAVEOF", m.name, strconv.Itoa(m.port)); err == nil {
			s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = m.name, m.port
			h.noteEnd("op_repair", s.name, "to "+m.name)
		}
	}
}

// reachesMaster reports whether s's live chain of masters ends at the
// harness's master.
func (h *Harness) reachesMaster(s *simNode) bool {
	x := s
	for i := 0; i <= len(h.nodes); i++ {
		host := x.node.Repl().MasterHost
		if host == "" {
			return x == h.master
		}
		x = h.Node(host)
		if x == nil || !x.up {
			return false
		}
	}
	return false
}
