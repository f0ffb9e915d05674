package cluster

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// The cluster is what faults act on.
var _ fault.Target = (*Cluster)(nil)

// wipeDelay is how long the operator takes to wipe a node that refused to
// load its files and start it again.
const wipeDelay = sim.Second

// NoteEnd records an event (such as the end of a fault) in the timeline and
// the trace, without counting it.
func (h *Cluster) NoteEnd(kind, node, detail string) {
	h.timeline = append(h.timeline, TimelineEvent{At: h.w.Now(), Kind: kind, Node: node, Detail: detail, Epoch: h.epoch})
	l := h.w.Log().S("fault ").S(kind)
	if node != "" {
		l.S(" ").S(node)
	}
	if detail != "" {
		l.S(" ").S(detail)
	}
	l.End()
}

// stepNode returns the node a step names; it must exist.
func (h *Cluster) stepNode(name string) (*simNode, error) {
	s := h.Node(name)
	if s == nil {
		return nil, fmt.Errorf("no node %q (yet)", name)
	}
	return s, nil
}

// liveNode returns a node that is up and not paused.
func (h *Cluster) liveNode(name string) (*simNode, error) {
	s, err := h.stepNode(name)
	if err != nil {
		return nil, err
	}
	if !s.up {
		return nil, fmt.Errorf("node %s is down", name)
	}
	if s.paused {
		return nil, fmt.Errorf("node %s is paused", name)
	}
	if s.node.Busy() {
		// In DEBUG SLEEP: Redis would run an operator's command only
		// afterwards (checker/busy.go), so the step is skipped, as on a
		// paused node. The heal's own commands wait for nothing: they
		// run through Exec.
		return nil, fmt.Errorf("node %s is busy", name)
	}
	return s, nil
}

// RestartOrWipe restarts a crashed node; if it refuses its files, the
// operator puts back a manifest a fault broke, or else wipes its data
// directory, and starts it again a little later.
func (h *Cluster) RestartOrWipe(name string) error {
	err := h.Restart(name)
	var le *loadError
	if !errors.As(err, &le) {
		return err
	}
	s := h.Node(name)
	gen := s.gen
	h.w.After(wipeDelay, sim.EventFunc(func(*sim.World) {
		if s.up || s.gen != gen {
			return
		}
		if h.repairManifest(s) && h.start(s, EventRestart) == nil {
			return
		}
		h.restartWiped(s)
	}))
	return nil
}

// restartWiped starts s on an empty disk.
func (h *Cluster) restartWiped(s *simNode) {
	s.wipe()
	if err := h.start(s, EventRestartWiped); err != nil {
		h.w.Log().S("fault ").S(s.name).S(" does not start on a wiped disk: ").S(err.Error()).End()
	}
}

// WrongMasterAuth gives a replica a wrong masterauth and drops its link so
// that it has to use it; restore sets the right password again.
func (h *Cluster) WrongMasterAuth(name string) (detail string, restore func(), err error) {
	s, err := h.liveNode(name)
	if err != nil {
		return "", nil, err
	}
	up := s.node.Repl().MasterHost
	if up == "" {
		return "", nil, fmt.Errorf("%s is not a replica", name)
	}
	if err := h.execOK(name, "CONFIG", "SET", "masterauth", "wrong-"+name); err != nil {
		return "", nil, err
	}
	if !slices.Contains(h.wrongAuth, s) {
		h.wrongAuth = append(h.wrongAuth, s)
	}
	h.wrongAuthActive[name]++
	n := h.net.ResetBetween(name, up)
	h.rec.linkResets = append(h.rec.linkResets, checker.LinkReset{At: h.w.Now(), Node: name})
	restore = func() {
		h.wrongAuthActive[name]--
		if s.up && !s.paused {
			_ = h.execOK(name, "CONFIG", "SET", "masterauth", s.cfg.MasterAuth) // the heal re-checks
		}
	}
	return "link to " + up + " reset (" + strconv.Itoa(n) + " conns)", restore, nil
}

// RequirePass sets a new password on one node; every node and client
// follows it at FollowPass, or at the latest at the heal.
func (h *Cluster) RequirePass(name, pass string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	if old := s.node.Config().RequirePass; old != "" && old != pass {
		h.stalePass = old
	}
	if err := h.execOK(name, "CONFIG", "SET", "requirepass", pass); err != nil {
		return err
	}
	h.wantPass, h.passChanged = pass, true
	return nil
}

// FollowPass makes pass the password of every node (requirepass and
// masterauth, live and in the config file) and of every client.
func (h *Cluster) FollowPass(pass string) {
	h.pass = pass
	for _, s := range h.nodes {
		s.cfg.MasterAuth, s.cfg.RequirePass = pass, pass
		if s.up && !s.paused {
			// A wrong masterauth stays wrong until its own fault ends
			// (its undo then sets the new password).
			if h.wrongAuthActive[s.name] == 0 {
				_ = h.execOK(s.name, "CONFIG", "SET", "masterauth", pass)
			}
			_ = h.execOK(s.name, "CONFIG", "SET", "requirepass", pass)
		}
	}
	h.NoteEnd(EventFollowPass, "", "")
}

// Repoint makes a replica replicate from target.
func (h *Cluster) Repoint(name, target string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	t, err := h.stepNode(target)
	if err != nil {
		return err
	}
	if s == h.master {
		return fmt.Errorf("%s is the master", name)
	}
	if h.cfgReaches(t, s) {
		return fmt.Errorf("%s replicates from %s: a cycle", target, name)
	}
	h.repointTypo(name, t.name)
	if err := h.execOK(name, "SLAVEOF", t.name, strconv.Itoa(t.port)); err != nil {
		return err
	}
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = t.name, t.port
	h.Note(EventRepoint, name, "to "+target)
	return nil
}

// cfgReaches reports whether x's configured chain of masters passes y.
func (h *Cluster) cfgReaches(x, y *simNode) bool {
	for i := 0; i <= len(h.nodes) && x != nil; i++ {
		if x == y {
			return true
		}
		if x.cfg.ReplicaOfHost == "" {
			return false
		}
		x = h.Node(x.cfg.ReplicaOfHost)
	}
	return false
}

// Demote makes the master a replica of target: until someone promotes a
// node, nobody takes writes. It ends the master epoch.
func (h *Cluster) Demote(name, target string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	t, err := h.stepNode(target)
	if err != nil {
		return err
	}
	if s != h.master || s.node.Repl().Role != "master" {
		return fmt.Errorf("%s is not the master", name)
	}
	if err := h.execOK(name, "SLAVEOF", t.name, strconv.Itoa(t.port)); err != nil {
		return err
	}
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = t.name, t.port
	h.epoch++
	h.Note(EventDemote, name, "to "+target)
	return nil
}

// AddReplica starts a new empty node replicating from the master.
func (h *Cluster) AddReplica(name string) error {
	if h.Node(name) != nil {
		return fmt.Errorf("node %s exists", name)
	}
	cfg := h.baseCfg
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = h.master.name, h.master.port
	cfg.MasterAuth, cfg.RequirePass = h.pass, h.pass
	h.addNode(name, cfg)
	h.Note(EventAddReplica, name, "of "+h.master.name)
	return nil
}

// Net implements fault.Target.
func (h *Cluster) Net() *netsim.Network { return h.net }

// HasNode implements fault.Target.
func (h *Cluster) HasNode(name string) error { _, err := h.stepNode(name); return err }

// LiveNode implements fault.Target.
func (h *Cluster) LiveNode(name string) error { _, err := h.liveNode(name); return err }

// IsMaster implements fault.Target: name is the cluster's master and acts
// as one.
func (h *Cluster) IsMaster(name string) bool {
	return h.Node(name) == h.master && h.master.node.Repl().Role == "master"
}

// FailDials implements fault.Target; the heal clears it.
func (h *Cluster) FailDials(host string, err error, count int) error {
	if e := h.net.FailDials(host, err, count); e != nil {
		return e
	}
	if !slices.Contains(h.dialFaults, host) {
		h.dialFaults = append(h.dialFaults, host)
	}
	return nil
}

// AddDiskFault implements fault.Target: inj stays on the node's disks, a
// wiped one included, until it is disabled.
func (h *Cluster) AddDiskFault(name string, inj *disksim.Injector) error {
	s, err := h.stepNode(name)
	if err != nil {
		return err
	}
	if err := s.fs.AddInjector(inj); err != nil {
		return err
	}
	s.injectors = append(s.injectors, inj)
	return nil
}

// Pause implements fault.Target.
func (h *Cluster) Pause(name string) (resume func(), err error) {
	s, err := h.stepNode(name)
	if err != nil {
		return nil, err
	}
	if !s.up {
		return nil, fmt.Errorf("node %s is down", name)
	}
	if s.paused {
		return nil, fmt.Errorf("node %s is paused", name)
	}
	gen := s.pause()
	return func() { s.resume(gen) }, nil
}

// JumpClock implements fault.Target.
func (h *Cluster) JumpClock(name string, d sim.Time) (sim.Time, error) {
	s, err := h.stepNode(name)
	if err != nil {
		return 0, err
	}
	s.offset += d
	h.recordClockJump(s)
	return s.offset, nil
}

// ConfigSet implements fault.Target: CONFIG SET on a live node. The node's
// config file takes the new value too, as CONFIG REWRITE would, so a
// restart keeps it.
func (h *Cluster) ConfigSet(name, param, value string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	if err := h.execOK(name, "CONFIG", "SET", param, value); err != nil {
		return err
	}
	if s.node.Down() {
		// The node exited before the operator could rewrite its config
		// (appendfsync always fsyncs what everysec left, and that fsync
		// failed): the file keeps the old value.
		return nil
	}
	live := s.node.Config()
	if err := node.CopyDirective(&s.cfg, &live, param); err != nil {
		panic(err) // the node just accepted the directive
	}
	h.rewriteConfig(s) // config_rewrite.go
	return nil
}

// Admin implements fault.Target: an admin command on a live node.
func (h *Cluster) Admin(name string, args ...string) error {
	if _, err := h.liveNode(name); err != nil {
		return err
	}
	return h.execOK(name, args...)
}

// Shutdown implements fault.Target: SHUTDOWN on a live node, noted as
// op_shutdown. The node exits at once, or once its replicas acknowledged
// its offset or its shutdown-timeout ran out (noted as proc_exit); it
// stays down until a restart step or the heal starts it from its files.
// SHUTDOWN ABORT (op_shutdown_abort) comes from another client: it
// cancels a waiting SHUTDOWN, whose client gets an error, or answers that
// no shutdown is in progress. Every call and what its clients got is
// recorded for the shutdown-call check (record_shutdown.go).
func (h *Cluster) Shutdown(name string, args ...string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	if s.exiting || s.node.Down() {
		return fmt.Errorf("node %s has exited", name)
	}
	abort := len(args) == 2 && strings.EqualFold(args[1], "ABORT")
	if !abort {
		h.noteShutdownCall(s, args) // record_shutdown.go
	}
	call := h.startShutdownCall(s, args)
	v, err := h.Exec(name, args...)
	h.endShutdownCall(s, call, v, err)
	if abort {
		if err != nil {
			return err
		}
		if v.Kind == resp.SimpleString {
			s.shutdown = nil // the SHUTDOWN it cancelled does not exit
			h.abortJoined(s) // shutdown_joiner.go
		}
		h.Note(EventShutdownAbort, name, v.String())
		return nil
	}
	if !s.node.Down() && s.node.ShutdownWaiting() {
		// It waits for its replicas (shutdown-timeout) and exits from a
		// later tick; the harness's SHUTDOWN stays unanswered.
		h.Note(EventShutdown, name, strings.Join(args[1:], " "))
		h.joinShutdown(s) // shutdown_joiner.go
		return nil
	}
	if !s.node.Down() {
		s.shutdown = nil
		if err == nil && v.Kind == resp.Error {
			err = fmt.Errorf("%s: %s", name, v.Str)
		}
		if err == nil {
			err = fmt.Errorf("%s: SHUTDOWN answered %s and the node is still up", name, v.String())
		}
		return err
	}
	h.Note(EventShutdown, name, strings.Join(args[1:], " "))
	return nil
}

// SetHealed implements fault.Target.
func (h *Cluster) SetHealed(healed bool) { h.healed = healed }

// repointTypo sometimes (an eighth of the repoints, on a stream of its
// own) has the operator type port 0 first, in the same instant as the
// right command: Redis 7.0.15 takes any port from 0 to 65535
// (replicaofCommand), so the node must answer +OK and start a sync with
// host:0, which the right command then replaces.
func (h *Cluster) repointTypo(name, target string) {
	if h.typoRng == nil {
		h.typoRng = h.w.Rand("operator/typo")
	}
	if !h.typoRng.Chance(0.125) {
		return
	}
	args := []string{"SLAVEOF", target, "0"}
	v, err := h.Exec(name, args...)
	if err != nil {
		return
	}
	got := "+" + string(v.Str)
	if v.Kind == resp.Error {
		got = "-" + string(v.Str)
	} else if v.Kind != resp.SimpleString {
		got = v.String()
	}
	h.rec.operatorExpects = append(h.rec.operatorExpects, checker.OperatorExpect{Node: name, At: int64(h.w.Now()), Args: args, Want: "+OK", Got: got})
}
