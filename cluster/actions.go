package cluster

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// Node returns the simulated node called name, or nil.
func (h *Cluster) Node(name string) *simNode {
	for _, s := range h.nodes {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Exec runs a command on a node as an operator at its console (no network).
// A down or paused node cannot run it.
func (h *Cluster) Exec(name string, args ...string) (resp.Value, error) {
	s := h.Node(name)
	if s == nil {
		return resp.Value{}, fmt.Errorf("no node %q", name)
	}
	if !s.up {
		return resp.Value{}, fmt.Errorf("node %s is down", name)
	}
	if s.paused {
		return resp.Value{}, fmt.Errorf("node %s is paused", name)
	}
	if s.exiting || s.node.Down() {
		// It has exited (an earlier command's AOF fsync failed under
		// always, or SHUTDOWN) and is only waiting for the harness to
		// take it down: nothing reads its socket any more.
		return resp.Value{}, fmt.Errorf("node %s has exited", name)
	}
	gen, at, logFrom := s.gen, int64(h.w.Now()), len(h.rec.logs)
	call := h.recordOperatorCall(name, at, args)
	v, extra, err := s.node.AdminValue(args...)
	if err == nil {
		h.recordOperatorReply(call, v.String())
	}
	if errors.Is(err, node.ErrNoReply) && len(args) > 0 && !strings.EqualFold(args[0], "SHUTDOWN") && !s.node.Down() {
		// Only a SHUTDOWN that waits for its replicas leaves the
		// operator's console without a reply (or a node that exited).
		h.rec.operatorExpects = append(h.rec.operatorExpects, checker.OperatorExpect{Node: name, At: at,
			Args: append([]string(nil), args...), Want: "a reply", Got: "none"})
	}
	if len(extra) > 0 {
		h.rec.extraReplies = append(h.rec.extraReplies, checker.ExtraReply{Node: name, Gen: gen, At: at,
			Args: append([]string(nil), args...), Reply: v.String(), Extra: string(extra)})
	}
	s.recordChildReply(gen, at, logFrom, false, args, v, err) // record_child.go
	s.checkExit()
	h.observeRoles()
	l := h.w.Log().S("op ").S(name)
	for _, a := range args {
		l.S(" ").S(a)
	}
	l.S(" -> ").S(v.String()).End()
	return v, err
}

// execOK is Exec with an error reply turned into an error.
func (h *Cluster) execOK(name string, args ...string) error {
	v, err := h.Exec(name, args...)
	if err != nil {
		return err
	}
	if v.Kind == resp.Error {
		return fmt.Errorf("%s: %s", name, v.Str)
	}
	return nil
}

// Promote makes name the master: SLAVEOF NO ONE on it, then every other
// live node (the old master included) is pointed at it; nodes that are down
// or paused follow through their config (on restart) or the final heal.
// Clients follow.
func (h *Cluster) Promote(name string) error {
	s := h.Node(name)
	if s == nil || !s.up {
		return fmt.Errorf("promote: node %q is not up", name)
	}
	if err := h.execOK(name, "SLAVEOF", "NO", "ONE"); err != nil {
		return fmt.Errorf("promote: %v", err)
	}
	h.master = s
	h.epoch++
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = "", 0
	h.Note(EventPromote, name, "")
	for _, o := range h.nodes {
		if o == s {
			continue
		}
		o.cfg.ReplicaOfHost, o.cfg.ReplicaOfPort = s.name, s.port
		if o.up && !o.paused {
			// A failure here leaves o for the final heal to re-point.
			_ = h.execOK(o.name, "SLAVEOF", s.name, strconv.Itoa(s.port))
		}
	}
	for _, c := range h.clients {
		c.retarget()
	}
	return nil
}

// Crash kills node name (kill -9 semantics): its connections reset, its
// disk keeps what the crash mode leaves, it processes nothing until Restart.
// A crashed master ends the master epoch. A crash that loses bytes the
// node wrote is noted as disk_crash_loss too.
func (h *Cluster) Crash(name string, mode disksim.CrashMode) error {
	s := h.Node(name)
	if s == nil || !s.up {
		return fmt.Errorf("crash: node %q is not up", name)
	}
	h.noteTempAtCrash(s) // record_temp.go
	s.stop()
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
	h.Note(EventCrash, name, report.String())
	h.noteLoss(s, report)
	return nil
}

// exit ends the process of a node that shut itself down: like a kill -9
// that keeps the page cache, noted as proc_exit. The heal restarts it; once
// the faults are healed no heal is coming, so it restarts at once.
func (h *Cluster) exit(s *simNode) {
	h.rec.logExits = append(h.rec.logExits, checker.LogExit{Node: s.name, Gen: s.gen, At: int64(h.w.Now())})
	s.stop()
	h.net.ResetHost(s.name)
	h.net.Unlisten(s.name, s.port)
	h.net.SetHandler(s.name, nil)
	report, err := s.fs.Crash(disksim.CrashKeepAll)
	if err != nil {
		panic(err) // CrashKeepAll is a valid mode
	}
	if s == h.master {
		h.epoch++
	}
	h.Note(EventExit, s.name, report.String())
	h.noteLoss(s, report)
	if h.healed {
		// E.g. a node resumed by the heal whose queued write then failed
		// its fsync under a disk fault the same heal had not ended yet.
		h.restartDown(s)
		h.repairTopology()
	}
}

// noteLoss notes a crash that lost bytes the node had written.
func (h *Cluster) noteLoss(s *simNode, report disksim.CrashReport) {
	if lost := report.LostBytes(); lost > 0 {
		h.Note(EventCrashLoss, s.name, strconv.FormatInt(lost, 10)+" bytes")
	}
}

// loadError is a restart that failed because the node refused its files.
type loadError struct{ err error }

func (e *loadError) Error() string { return "load: " + e.err.Error() }
func (e *loadError) Unwrap() error { return e.err }

// Restart starts a crashed node again from its own files and config. If
// the node refuses to load its files the error wraps the load error and
// the node stays down.
func (h *Cluster) Restart(name string) error {
	s := h.Node(name)
	if s == nil || s.up {
		return fmt.Errorf("restart: node %q is not down", name)
	}
	return h.start(s, EventRestart)
}

// start runs a new incarnation of s from its config and disk and notes it
// as kind.
func (h *Cluster) start(s *simNode, kind string) error {
	if kind == EventRestart && s.damage == nil {
		h.downgradeAOF(s) // aof_downgrade.go
		h.plantBadAOF(s)
		h.plantLooseAOF(s) // aof_loose.go
		h.plantTornHead(s)
		h.plantRefusedCommand(s)
	}
	s.lastMsg, s.replicaLinks, s.exitReplicas = "", map[string]int{}, nil
	s.node = node.New(s.cfg, s)
	s.startClockMs = s.Now() / 1e6
	s.procs++
	h.recordStart(s)
	s.tempAtStart, s.aofAtStart, s.startedAt = tempFiles(s), aofDirFiles(s), h.w.Now()
	logsBefore, faultsBefore := len(h.rec.logs), len(h.rec.disk)
	h.recordAOFStart(s)
	h.recordRDBStart(s)
	err := s.node.Load()
	h.cleanStaleAOF(s) // aof_downgrade.go
	if s.damage != nil {
		h.noteDamagedStart(s, logsBefore, faultsBefore, err == nil) // manifest_damage.go
	}
	if err == nil {
		s.aofLoaded = aofDirSizes(s)
		s.incrAtStart = ""
		if s.cfg.AppendOnly {
			s.incrAtStart = lastIncrNamed(s)
		}
	}
	if err != nil {
		s.node.LogLoadFailure(err)
		s.fs.ProcessEnd() // the process that failed to load exits
		h.Note(EventRestartFailed, s.name, err.Error())
		return &loadError{err: err}
	}
	h.onRestart(s, kind)
	s.up = true
	h.net.SetHandler(s.name, s)
	if err := h.net.Listen(s.name, s.port); err != nil {
		return err
	}
	h.w.After(sim.Time(s.rng.Int64N(int64(tickInterval))), &nodeTick{s: s, gen: s.gen})
	h.Note(kind, s.name, "")
	return nil
}

// Partition cuts the network between two groups of hosts until Heal.
func (h *Cluster) Partition(a, b []string) {
	h.net.Partition(a, b)
	h.Note(EventPartition, "", fmt.Sprint(a, b))
}

// HealNetwork removes every partition and blackhole.
func (h *Cluster) HealNetwork() { h.net.HealAll(); h.w.Log().S("heal all").End() }

// Network exposes the simulated network for fault injection.
func (h *Cluster) Network() *netsim.Network { return h.net }

// ExtraReplies are the replies nodes wrote to the operator's console after
// the first one to a command, for checker.CheckOperatorReplies.
func (h *Cluster) ExtraReplies() []checker.ExtraReply { return h.rec.extraReplies }

// OperatorExpects are the operator's commands whose reply Redis fixes,
// for checker.CheckOperatorReplies.
func (h *Cluster) OperatorExpects() []checker.OperatorExpect { return h.rec.operatorExpects }
