package harness

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// wipeDelay is how long the operator takes to wipe a node that refused to
// load its files and start it again.
const wipeDelay = sim.Second

// activeFault is a fault in force with a way to end it: at its scheduled
// end, or at the heal, whichever comes first.
type activeFault struct {
	id   int
	kind string
	node string
	undo func()
}

// stepEvent runs one schedule step.
type stepEvent struct {
	h  *Harness
	st Step
}

func (e *stepEvent) Fire(*sim.World) {
	e.h.stepsLeft--
	e.h.runStep(e.st)
}

// scheduleSteps queues every step at its time (same times in order).
func (h *Harness) scheduleSteps(steps []Step) {
	for _, st := range steps {
		h.stepsLeft++
		h.w.At(st.At, &stepEvent{h: h, st: st})
	}
}

// runStep carries out one step; a step that cannot run now is traced as
// skipped and counted in the stats, never an error of the run.
func (h *Harness) runStep(st Step) {
	if err := h.apply(st); err != nil {
		h.skipped++
		h.w.Log().S("fault skip ").S(st.Kind).S(" ").S(strings.Join(st.Args, " ")).S(": ").S(err.Error()).End()
		return
	}
	switch st.Kind {
	case "heal", "net_heal", "proc_restart":
	default:
		h.healed = false
	}
}

// noteEnd records an event (such as the end of a fault) in the timeline and
// the trace, without counting it.
func (h *Harness) noteEnd(kind, node, detail string) {
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

// hold keeps a fault in force for d, then undoes it (unless the heal did).
func (h *Harness) hold(kind, node string, d sim.Time, undo func()) {
	h.faultSeq++
	f := &activeFault{id: h.faultSeq, kind: kind, node: node, undo: undo}
	h.active = append(h.active, f)
	h.w.After(d, sim.EventFunc(func(*sim.World) { h.endFault(f.id) }))
}

// faultActive reports whether a fault of kind on node is in force.
func (h *Harness) faultActive(kind, node string) bool {
	for _, f := range h.active {
		if f.kind == kind && f.node == node {
			return true
		}
	}
	return false
}

func (h *Harness) endFault(id int) {
	for i, f := range h.active {
		if f.id == id {
			h.active = append(h.active[:i], h.active[i+1:]...)
			h.noteEnd(f.kind+"_end", f.node, "")
			f.undo()
			return
		}
	}
}

// stepNode returns the node a step names; it must exist.
func (h *Harness) stepNode(name string) (*simNode, error) {
	s := h.Node(name)
	if s == nil {
		return nil, fmt.Errorf("no node %q (yet)", name)
	}
	return s, nil
}

// liveNode returns a node that is up and not paused.
func (h *Harness) liveNode(name string) (*simNode, error) {
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
	return s, nil
}

// kv returns the value of key=value among args ("" if absent).
func kv(args []string, key string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, key+"="); ok {
			return v
		}
	}
	return ""
}

// durArg and friends read arguments checkStep has validated.
func durArg(args []string, key string) sim.Time {
	d, _ := parseSeconds(kv(args, key), false)
	return d
}

func intArg(args []string, key string) int64 {
	n, _ := strconv.ParseInt(kv(args, key), 10, 64)
	return n
}

func probArg(args []string) float64 {
	p, _ := strconv.ParseFloat(kv(args, "p"), 64)
	return p
}

// apply carries out st or says why it cannot.
func (h *Harness) apply(st Step) error {
	a := st.Args
	switch st.Kind {
	case "net_reset":
		return h.netReset(a[0], a[1], intArg(a, "bytes"))
	case "net_partition", "net_oneway":
		x, y, _ := splitGroups(a)
		if st.Kind == "net_oneway" {
			h.net.PartitionOneWay(x, y)
			h.note("net_oneway", "", fmt.Sprint(x, y))
			return nil
		}
		h.Partition(x, y)
		return nil
	case "net_heal":
		if len(a) == 0 {
			h.net.Heal()
		} else {
			x, y, _ := splitGroups(a)
			for _, p := range x {
				for _, q := range y {
					h.net.HealPair(p, q)
				}
			}
		}
		h.noteEnd("net_heal", "", strings.Join(a, " "))
		return nil
	case "net_blackhole":
		from, to := a[0], a[1]
		h.net.Blackhole(from, to, true)
		h.note("net_blackhole", from, from+"->"+to)
		h.hold("net_blackhole", from, durArg(a, "for"), func() { h.net.Blackhole(from, to, false) })
		return nil
	case "net_latency":
		return h.netLatency(a[0], a[1], durArg(a, "base"), durArg(a, "jitter"), durArg(a, "for"))
	case "net_dial_error":
		err := netsim.ErrRefused
		if kv(a, "err") == "timeout" {
			err = netsim.ErrTimeout
		}
		if e := h.net.FailDials(a[0], err, int(intArg(a, "count"))); e != nil {
			return e
		}
		if !slices.Contains(h.dialFaults, a[0]) {
			h.dialFaults = append(h.dialFaults, a[0])
		}
		h.note("net_dial_error", a[0], kv(a, "err")+" x"+kv(a, "count"))
		return nil
	case "disk_write_error", "disk_fsync_error", "disk_bitflip":
		return h.diskFault(st.Kind, a)
	case "proc_crash":
		mode := map[string]disksim.CrashMode{"keep_all": disksim.CrashKeepAll, "torn": disksim.CrashTorn, "lose_all": disksim.CrashLoseAll}[a[1]]
		return h.Crash(a[0], mode)
	case "proc_restart":
		return h.restartStep(a[0])
	case "proc_pause":
		s, err := h.liveNode(a[0])
		if err != nil {
			return err
		}
		gen := s.pause()
		h.note("proc_pause", s.name, "for "+kv(a, "for")+"s")
		h.hold("proc_pause", s.name, durArg(a, "for"), func() { s.resume(gen) })
		return nil
	case "auth_wrong_masterauth":
		return h.wrongMasterAuth(a[0], durArg(a, "for"))
	case "auth_requirepass_change":
		return h.requirePass(a[0], kv(a, "pass"), durArg(a, "for"))
	case "clock_jump":
		s, err := h.stepNode(a[0])
		if err != nil {
			return err
		}
		d, _ := parseSeconds(a[1], true)
		s.offset += d
		h.recordClockJump(s)
		h.note("clock_jump", s.name, a[1]+"s, offset now "+formatSeconds(s.offset)+"s")
		return nil
	case "op_promote":
		if _, err := h.liveNode(a[0]); err != nil {
			return err
		}
		if h.Node(a[0]) == h.master && h.master.node.Repl().Role == "master" {
			return fmt.Errorf("%s is the master already", a[0])
		}
		return h.Promote(a[0])
	case "op_repoint":
		return h.repoint(a[0], a[1])
	case "op_demote":
		return h.demote(a[0], a[1])
	case "op_add_replica":
		return h.addReplica(a[0])
	case "op_config":
		if _, err := h.liveNode(a[0]); err != nil {
			return err
		}
		if err := h.execOK(a[0], "CONFIG", "SET", a[1], a[2]); err != nil {
			return err
		}
		h.note("op_config", a[0], a[1]+" "+a[2])
		return nil
	case "heal":
		h.healAll()
		return nil
	}
	return fmt.Errorf("unknown step kind %q", st.Kind)
}

// netReset resets the newest live connection from -> to after n bytes.
func (h *Harness) netReset(from, to string, n int64) error {
	var conn netsim.ConnID
	for _, c := range h.net.Conns(from) {
		if h.net.Host(h.net.Peer(c)) == to {
			conn = c
		}
	}
	if conn == 0 {
		return fmt.Errorf("no live connection from %s to %s", from, to)
	}
	if err := h.net.ResetAfter(conn, n); err != nil {
		return err
	}
	h.note("net_reset", from, from+"->"+to+" #"+strconv.FormatUint(uint64(conn), 10)+" after "+strconv.FormatInt(n, 10)+"B")
	return nil
}

// slowLink remembers a link's latency while net_latency faults slow it.
type slowLink struct {
	base, jitter sim.Time
	count        int
}

func (h *Harness) netLatency(from, to string, base, jitter, d sim.Time) error {
	key := [2]string{from, to}
	sl := h.slowLinks[key]
	if sl == nil {
		b, j := h.net.Latency(from, to)
		sl = &slowLink{base: b, jitter: j}
		h.slowLinks[key] = sl
	}
	if err := h.net.SetLatency(from, to, base, jitter); err != nil {
		return err
	}
	sl.count++
	h.note("net_latency", from, from+"->"+to+" "+formatSeconds(base)+"+"+formatSeconds(jitter)+"s")
	h.hold("net_latency", from, d, func() {
		sl.count--
		if sl.count == 0 {
			delete(h.slowLinks, key)
			_ = h.net.SetLatency(from, to, sl.base, sl.jitter) // the values came from the link
		}
	})
	return nil
}

func (h *Harness) diskFault(kind string, a []string) error {
	s, err := h.stepNode(a[0])
	if err != nil {
		return err
	}
	inj := &disksim.Injector{Name: kind, Probability: probArg(a), Enabled: true}
	switch kind {
	case "disk_write_error":
		inj.Ops = disksim.Ops(disksim.OpWrite)
		inj.Err = vfs.ErrIO
		if kv(a, "err") == "enospc" {
			inj.Err = vfs.ErrNoSpace
		}
	case "disk_fsync_error":
		inj.Ops = disksim.Ops(disksim.OpSync, disksim.OpSyncDir)
	case "disk_bitflip":
		inj.Ops = disksim.Ops(disksim.OpRead)
		inj.BitFlip = true
	}
	if err := s.fs.AddInjector(inj); err != nil {
		return err
	}
	s.injectors = append(s.injectors, inj)
	h.note(kind, s.name, strings.Join(a[1:], " "))
	h.hold(kind, s.name, durArg(a, "for"), func() { inj.Enabled = false })
	return nil
}

// restartStep restarts a crashed node; if it refuses its files, the
// operator wipes its data directory and starts it again a little later.
func (h *Harness) restartStep(name string) error {
	err := h.Restart(name)
	var le *loadError
	if !errors.As(err, &le) {
		return err
	}
	s := h.Node(name)
	gen := s.gen
	h.w.After(wipeDelay, sim.EventFunc(func(*sim.World) {
		if !s.up && s.gen == gen {
			h.restartWiped(s)
		}
	}))
	return nil
}

// restartWiped starts s on an empty disk.
func (h *Harness) restartWiped(s *simNode) {
	s.wipe()
	if err := h.start(s, "proc_restart_wiped"); err != nil {
		h.w.Log().S("fault ").S(s.name).S(" does not start on a wiped disk: ").S(err.Error()).End()
	}
}

// wrongMasterAuth gives a replica a wrong masterauth and drops its link so
// that it has to use it; the right password is back after d.
func (h *Harness) wrongMasterAuth(name string, d sim.Time) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	up := s.node.Repl().MasterHost
	if up == "" {
		return fmt.Errorf("%s is not a replica", name)
	}
	if err := h.execOK(name, "CONFIG", "SET", "masterauth", "wrong-"+name); err != nil {
		return err
	}
	if !slices.Contains(h.wrongAuth, s) {
		h.wrongAuth = append(h.wrongAuth, s)
	}
	n := h.net.ResetBetween(name, up)
	h.note("auth_wrong_masterauth", name, "link to "+up+" reset ("+strconv.Itoa(n)+" conns)")
	h.hold("auth_wrong_masterauth", name, d, func() {
		if s.up && !s.paused {
			_ = h.execOK(name, "CONFIG", "SET", "masterauth", s.cfg.MasterAuth) // the heal re-checks
		}
	})
	return nil
}

// requirePass sets a new password on one node; after d every node and
// client follows it.
func (h *Harness) requirePass(name, pass string, d sim.Time) error {
	if _, err := h.liveNode(name); err != nil {
		return err
	}
	if err := h.execOK(name, "CONFIG", "SET", "requirepass", pass); err != nil {
		return err
	}
	h.wantPass, h.passChanged = pass, true
	h.note("auth_requirepass_change", name, "")
	h.hold("auth_requirepass_change", name, d, func() { h.followPass(pass) })
	return nil
}

// followPass makes pass the password of every node (requirepass and
// masterauth, live and in the config file) and of every client.
func (h *Harness) followPass(pass string) {
	h.pass = pass
	for _, s := range h.nodes {
		s.cfg.MasterAuth, s.cfg.RequirePass = pass, pass
		if s.up && !s.paused {
			// A wrong masterauth stays wrong until its own fault ends
			// (its undo then sets the new password).
			if !h.faultActive("auth_wrong_masterauth", s.name) {
				_ = h.execOK(s.name, "CONFIG", "SET", "masterauth", pass)
			}
			_ = h.execOK(s.name, "CONFIG", "SET", "requirepass", pass)
		}
	}
	h.noteEnd("auth_follow", "", "")
}

// repoint makes a replica replicate from target.
func (h *Harness) repoint(name, target string) error {
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
	if err := h.execOK(name, "SLAVEOF", t.name, strconv.Itoa(t.port)); err != nil {
		return err
	}
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = t.name, t.port
	h.note("op_repoint", name, "to "+target)
	return nil
}

// cfgReaches reports whether x's configured chain of masters passes y.
func (h *Harness) cfgReaches(x, y *simNode) bool {
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

// demote makes the master a replica of target: until someone promotes a
// node, nobody takes writes. It ends the master epoch.
func (h *Harness) demote(name, target string) error {
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
	h.note("op_demote", name, "to "+target)
	return nil
}

// addReplica starts a new empty node replicating from the master.
func (h *Harness) addReplica(name string) error {
	if h.Node(name) != nil {
		return fmt.Errorf("node %s exists", name)
	}
	cfg := h.baseCfg
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = h.master.name, h.master.port
	cfg.MasterAuth, cfg.RequirePass = h.pass, h.pass
	h.addNode(name, cfg)
	h.note("op_add_replica", name, "of "+h.master.name)
	return nil
}
