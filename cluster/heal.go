package cluster

import (
	"slices"
	"strconv"

	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
)

// Heal implements fault.Target: the cluster's part of the heal phase, once
// the injector has ended every fault in force. Wrong masterauths are set
// right, the network heals, crashed nodes restart (wiped if they refuse
// their files), passwords agree again and every node replicates, directly
// or through others, from the master.
func (h *Cluster) Heal() {
	if h.replClient != nil {
		h.replClient.stop()
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
		h.FollowPass(h.wantPass)
	}
	saved := h.retrySaves(nil)
	h.repairTopology()
	// Again for the nodes that refused it: the master-to-be, still a
	// replica with a broken link and replica-serve-stale-data no, refuses
	// BGSAVE (MASTERDOWN) until the repair made it a master (seed 1035184
	// on eb62315).
	h.healSaved = h.retrySaves(saved)
	h.noteHeal()
	if h.savesLeft() {
		h.w.After(sim.Second, sim.EventFunc(func(*sim.World) { h.retrySavesLater(healSaveRetries) }))
	}
}

// savesLeft reports whether a node that is up (paused or not) still has a
// failed last BGSAVE the heal did not restart.
func (h *Cluster) savesLeft() bool {
	return slices.ContainsFunc(h.nodes, func(s *simNode) bool { return needsSave(s, h.healSaved) })
}

// needsSave reports whether s is up, not in done, and its last background
// save failed.
func needsSave(s *simNode, done map[*simNode]bool) bool {
	return s.up && !done[s] && s.node.LastBgsaveFailed()
}

// healSaveRetries bounds how many more times, a second apart, the heal
// asks again for the BGSAVEs it could not start.
const healSaveRetries = 240

// retrySavesLater asks again, a second apart, for the BGSAVE of each node
// whose last one failed and that refused the heal's: a replica whose link
// was down with replica-serve-stale-data no refuses it (MASTERDOWN) until
// its link is up, and its own replicas' PINGs get MISCONF until a save
// succeeds (sweep seed 4300830: n3 refused at the heal, synced from n1
// two seconds later, and n2 below it never synced).
func (h *Cluster) retrySavesLater(left int) {
	h.healSaved = h.retrySaves(h.healSaved)
	if left > 0 && h.savesLeft() {
		h.w.After(sim.Second, sim.EventFunc(func(*sim.World) { h.retrySavesLater(left - 1) }))
	}
}

// retrySaves runs BGSAVE, as an operator would once the disk is sound
// again, on every node whose last background save failed: otherwise a
// failed BGSAVE (op_bgsave, or one for a replica's sync) that no save rule
// retries keeps it refusing writes and its replicas' PINGs (MISCONF) for
// good (chaos seeds 491, 978, 989, 1846, 1991). It skips the nodes in
// done and returns them with those whose BGSAVE it started. A replica
// whose link is down and has replica-serve-stale-data no refuses BGSAVE
// (MASTERDOWN: Redis 7.0.15's BGSAVE lacks CMD_STALE, server.c
// processCommand), so the heal asks again after repairTopology.
func (h *Cluster) retrySaves(done map[*simNode]bool) map[*simNode]bool {
	if done == nil {
		done = map[*simNode]bool{}
	}
	for _, s := range h.nodes {
		if !s.paused && needsSave(s, done) {
			if err := h.execOK(s.name, "BGSAVE"); err == nil {
				done[s] = true
				h.NoteEnd(EventHealSave, s.name, "")
			}
		}
	}
	return done
}

// restartDown starts a node that is down from its files, or wiped if it
// refuses them.
func (h *Cluster) restartDown(s *simNode) {
	err := h.start(s, EventRestart)
	if err != nil && h.repairManifest(s) {
		err = h.start(s, EventRestart)
	}
	if err != nil {
		h.restartWiped(s)
	}
}

// repairTopology makes the harness's master a master and points every node
// whose chain of masters does not reach it straight at it.
func (h *Cluster) repairTopology() {
	m := h.master
	if !m.up {
		return
	}
	if m.node.Repl().Role != "master" {
		if err := h.execOK(m.name, "SLAVEOF", "NO", "ONE"); err == nil {
			h.epoch++
			h.NoteEnd(EventRepair, m.name, "master again")
		}
	}
	m.cfg.ReplicaOfHost, m.cfg.ReplicaOfPort = "", 0
	for _, s := range h.nodes {
		if s == m || !s.up || h.reachesMaster(s) {
			continue
		}
		if err := h.execOK(s.name, "SLAVEOF", m.name, strconv.Itoa(m.port)); err == nil {
			s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = m.name, m.port
			h.NoteEnd(EventRepair, s.name, "to "+m.name)
		}
	}
}

// reachesMaster reports whether s's live chain of masters ends at the
// harness's master.
func (h *Cluster) reachesMaster(s *simNode) bool {
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
