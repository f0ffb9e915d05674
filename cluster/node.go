package cluster

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// epochNs is the wall-clock time at virtual time zero: 2026-01-01T00:00:00Z.
const epochNs int64 = 1767225600 * int64(sim.Second)

// tickInterval is serverCron's period at hz 10.
const tickInterval = 100 * sim.Millisecond

var (
	_ node.OutputMeter    = (*simNode)(nil)
	_ node.Aborter        = (*simNode)(nil)
	_ node.MonotonicClock = (*simNode)(nil)
)

// simNode hosts one node in the simulation: it is the node's Env and the
// network handler of its host.
type simNode struct {
	h    *Cluster
	name string
	port int
	node *node.Node
	// cfg is the node's config file: what a restart starts from. The
	// harness keeps it in step with operator actions (promotions,
	// re-pointing, passwords), as CONFIG REWRITE would.
	cfg node.Config
	fs  *disksim.FS
	// injectors are the disk faults ever added to fs, kept so a wiped
	// disk gets them back.
	injectors []*disksim.Injector
	wipes     int
	// staleAOF: plantStaleAOF left an appendfilename in the working
	// directory for this start (aof_downgrade.go).
	staleAOF bool
	// tempAtStart are the temp files on the node's disk when its current
	// process started (record_temp.go).
	tempAtStart map[string]bool
	// masterRead is the last data the node read on its master link (the
	// connection and the node's clock, ms), record_master_read.go.
	masterRead masterRead
	// calls counts the calls into the node the harness finished
	// (checkExit ends each): LogLine.Call.
	calls int
	// sentIn is, by connection, the last call in which the node sent on
	// it (record_wait.go).
	sentIn map[netsim.ConnID]int
	// aofAtStart are the files in the node's AOF directory when its
	// current process started (record_aof_files.go).
	aofAtStart map[string]bool
	// aofLoaded are the sizes of the files in the node's AOF directory
	// right after its current process loaded them: what it appends to a
	// file starts there (checker.CheckAOFTimestamps).
	aofLoaded map[string]int
	// incrAtStart is the last incr file the manifest named right after
	// the current process loaded its AOF ("" for none): the file it
	// opened for appending (checker.CheckAOFTimestamps).
	incrAtStart string
	// aofWrittenPath and aofWrittenAt are the incr AOF file the node last
	// wrote to, and when (checker.FileSync.Written).
	aofWrittenPath string
	aofWrittenAt   sim.Time
	// persistFrom is the log record's length when the running tick
	// reached the node's persistCron, -1 before (record_cron.go).
	persistFrom int
	startedAt   sim.Time
	// startClockMs is the node's clock (Unix ms) as its process started:
	// Redis's lastsave before any save (initServer).
	startClockMs int64
	rng          *sim.Rand
	// The node's clock is virtual time plus offset plus drift parts per
	// million of virtual time.
	offset   sim.Time
	driftPPM int64
	up       bool
	// gen counts process incarnations; events of an older one are ignored.
	gen int
	// procs counts the processes started, a start that failed to load
	// included (it shares gen with the next one).
	procs int
	// stoppedAt is when the last incarnation ended (0: none did).
	stoppedAt sim.Time
	// paused holds everything the node would process (network callbacks,
	// at most one tick, finished jobs) until resume, in arrival order.
	paused  bool
	exiting bool
	// lastMsg is the last line the running process logged: a process
	// that went down right after "Redis is now ready to exit, bye bye..."
	// finished a shutdown (exitedByShutdown).
	lastMsg string
	// replicaLinks counts, by replica name, the running process's
	// replica links its log attached and lost; exitReplicas are the
	// hosts of those held as it said it exits (record_shutdown.go).
	replicaLinks map[string]int
	exitReplicas []string
	pauseGen     int
	pauseBuf     []func()
	tickQueued   bool
	// openPause is 1 + the index of the pause record in force, 0 if none
	// (record_pause.go).
	openPause int
	// settings is what was last recorded of its settings (record_config.go).
	settings settingsSeen
	// offsetSeen is the node's replication offset as the last
	// observeSettings saw it.
	offsetSeen int64
	// confFile is its config file's content (config_rewrite.go).
	confFile []byte
	// shutdown is the graceful SHUTDOWN it is leaving by, if it is the
	// master (record_shutdown.go).
	shutdown *pendingShutdown
	// joined is the pipelined SHUTDOWN joiner still connected to the
	// incarnation joinedGen (shutdown_joiner.go).
	joined    *node.PipelineSession
	joinedGen int
	// inShutdownCall is set during the operator's SHUTDOWN calls.
	inShutdownCall bool
	// sigFlags are the shutdown-on-sigterm and shutdown-on-sigint values
	// the harness gave it ("": none, the default; build_signal.go).
	sigFlags [2]string
	// signalled: a signal came (signal.go) and the node's next serverCron,
	// which starts the shutdown it requested, has not run yet;
	// lastSigint says which signal came last (Redis's
	// last_sig_received).
	signalled, lastSigint bool
	// damage is its AOF manifest as a fault broke it, until it is put
	// back (manifest_damage.go).
	damage *manifestDamage
	// replCronAt is the virtual time of the node's latest replicationCron
	// run (record_replinfo.go).
	replCronAt sim.Time
	// replRuns counts incarnation keepaliveGen's replicationCron runs
	// (record_keepalive.go).
	replRuns     int64
	keepaliveGen int
	// rewriteEnd is the AOF rewrite's end the event being handled logged
	// (record_rewrite_end.go).
	rewriteEnd *checker.RewriteEnd
	// incr is the incr AOF file the process appends to
	// (record_aof_incr.go).
	incr incrTrack
	// leftIncr is the incr AOF file a rewrite's start in the event being
	// handled left, to check once the event is done
	// (record_aof_left_incr.go).
	leftIncr *checker.LeftIncr
}

// nodeTick drives serverCron for one incarnation of a node.
type nodeTick struct {
	s   *simNode
	gen int
}

func (t *nodeTick) Fire(w *sim.World) {
	s := t.s
	if !s.up || s.gen != t.gen {
		return
	}
	w.After(s.tickEvery(), t)
	if s.paused {
		if !s.tickQueued {
			s.tickQueued = true
			s.hold(func() { s.tickQueued = false; s.tick() })
		}
		return
	}
	s.tick()
}

func (s *simNode) tick() {
	s.h.w.Log().S(s.name).S(" tick").End()
	runs := s.node.ReplCronRuns()
	ka := s.keepaliveBefore()
	cron := s.cronBefore() // record_cron.go
	crons := s.node.ServerCronRuns()
	signalled, waiting, logs := s.signalled, s.node.ShutdownWaiting(), len(s.h.rec.logs)
	s.node.Tick()
	s.cronAfter(cron)
	if s.node.ServerCronRuns() != crons {
		if signalled {
			s.signalled = false
			s.h.noteSignalCron(s, waiting, logs) // signal.go
		}
		s.sampleReplicaExpires(false)
	}
	if s.node.ReplCronRuns() != runs {
		s.replCronAt = s.h.w.Now()
		s.sampleLinkDown()
		s.sampleReplIDs()
	}
	s.keepaliveAfter(ka)
	s.checkExit()
}

// checkExit notices a node that shut itself down (SHUTDOWN, or a fatal
// persistence error): the process exits at once, as after a crash that
// keeps the page cache.
//
// It also records the node's settings if what it processed changed them.
func (s *simNode) checkExit() {
	s.calls++ // the lines logged from here on come from the next call
	s.recordRewriteEnd()
	s.recordLeftIncr() // record_aof_left_incr.go
	s.h.noteRepl(s)    // record_sync.go
	s.h.observeSettings(s)
	if !s.up || s.exiting || !s.node.Down() {
		return
	}
	s.exiting = true
	if s.exitedByShutdown() {
		s.h.rec.cleanExits = append(s.h.rec.cleanExits, checker.CleanExit{Node: s.name, At: int64(s.h.w.Now()),
			// An AOF that waits for the rewrite that turns it on is not
			// on (SHUTDOWN FORCE: "Writing initial AOF. Exit anyway.").
			AOF: s.node.Config().AppendOnly && !checker.AOFWaiting(s.h.rec.logs, s.name), RDBSaved: s.finalRDBSaved(), Data: s.node.Dataset()})
		if s.finalRDBSaved() {
			s.recordFinalRDBRepl()
		}
	}
	s.h.noteGracefulExit(s)
	gen := s.gen
	s.h.w.After(0, sim.EventFunc(func(*sim.World) {
		if s.up && s.gen == gen {
			s.h.exit(s)
		}
	}))
}

// tickEvery is the tick period in virtual time: hz ticks per second of the
// node's (drifting) clock.
func (s *simNode) tickEvery() sim.Time {
	return tickInterval * 1_000_000 / (1_000_000 + s.driftPPM)
}

func (h *Cluster) addNode(name string, cfg node.Config) *simNode {
	cfg.ConfigFile = confPath // config_rewrite.go
	s := &simNode{h: h, name: name, port: cfg.Port, cfg: cfg, rng: h.w.Rand("node/" + name)}
	if c, ok := h.clocks[name]; ok {
		s.offset, s.driftPPM = c.Offset, c.DriftPPM
	}
	s.fs = disksim.New(h.w.Rand("disk/" + name))
	h.watchDisk(s)
	s.node = node.New(cfg, s)
	s.startClockMs = s.Now() / 1e6
	h.recordStart(s)
	if err := s.node.Load(); err != nil {
		panic(err) // a new node's disk is empty; failing to load it is a harness bug
	}
	s.up = true
	h.net.AddHost(name, s)
	if err := h.net.Listen(name, cfg.Port); err != nil {
		panic(err) // host names are ours and validated; a clash is a harness bug
	}
	h.w.After(sim.Time(s.rng.Int64N(int64(tickInterval))), &nodeTick{s: s})
	h.nodes = append(h.nodes, s)
	h.observeRoles()
	return s
}

func (s *simNode) addr() string { return s.name + ":" + strconv.Itoa(s.port) }

// hold queues fn until the node resumes.
func (s *simNode) hold(fn func()) { s.pauseBuf = append(s.pauseBuf, fn) }

// pause stops the node processing anything; it returns the pause's
// generation, which resume needs.
func (s *simNode) pause() int {
	s.paused = true
	s.pauseGen++
	s.recordPause()
	return s.pauseGen
}

// resume ends pause gen (if it is still the current one) and delivers what
// arrived meanwhile, in order.
func (s *simNode) resume(gen int) {
	if !s.paused || s.pauseGen != gen {
		return
	}
	s.paused = false
	s.recordPauseEnd()
	buf := s.pauseBuf
	s.pauseBuf = nil
	s.h.w.Log().S(s.name).S(" resume: ").I(int64(len(buf))).S(" queued events").End()
	for _, fn := range buf {
		if !s.up || s.paused {
			return
		}
		fn()
	}
}

// stop forgets the process's state in the harness (crash).
func (s *simNode) stop() {
	s.recordIncrWrite()
	s.up = false
	s.gen++
	s.stoppedAt = s.h.w.Now()
	s.exiting = false
	s.recordPauseEnd()
	s.paused = false
	s.pauseBuf = nil
	s.tickQueued = false
	s.rewriteEnd = nil
	s.signalled = false
}

// wipe replaces the node's disk with an empty one (an operator removing
// the data directory); the disk faults in force stay in force.
func (s *simNode) wipe() {
	s.wipes++
	s.damage = nil
	s.fs = disksim.New(s.h.w.Rand("disk/" + s.name + "/wipe" + strconv.Itoa(s.wipes)))
	s.h.watchDisk(s)
	for _, inj := range s.injectors {
		if err := s.fs.AddInjector(inj); err != nil {
			panic(err) // the injector was accepted before
		}
	}
}

// Now implements node.Env.
func (s *simNode) Now() int64 {
	t := s.h.w.Now()
	return epochNs + t + s.offset + t*s.driftPPM/1_000_000
}

// Monotonic implements node.MonotonicClock: the node's clock without its
// offset, which clock jumps move; it drifts as the wall clock does.
func (s *simNode) Monotonic() int64 {
	t := s.h.w.Now()
	return epochNs + t + t*s.driftPPM/1_000_000
}

// Rand implements node.Env.
func (s *simNode) Rand() uint64 { return s.rng.Uint64() }

// Dial implements node.Env.
func (s *simNode) Dial(addr string) node.ConnID {
	return node.ConnID(s.h.net.Dial(s.name, addr))
}

// Send implements node.Env.
func (s *simNode) Send(c node.ConnID, p []byte) {
	s.noteSent(netsim.ConnID(c)) // record_wait.go
	s.h.net.Send(netsim.ConnID(c), p)
}

// Close implements node.Env.
func (s *simNode) Close(c node.ConnID) { s.h.net.Close(netsim.ConnID(c)) }

// Unsent implements node.OutputMeter: the bytes the network has not
// delivered yet count towards client-output-buffer-limit.
func (s *simNode) Unsent(c node.ConnID) int64 { return s.h.net.Unsent(netsim.ConnID(c)) }

// Abort implements node.Aborter: a client freed for its output buffer
// limit loses what it had queued.
func (s *simNode) Abort(c node.ConnID) { s.h.net.Abort(netsim.ConnID(c)) }

// FS implements node.Env.
func (s *simNode) FS() vfs.FS { return s.fs }

// Background implements node.Env: the job runs when it completes, on
// data the node captured at the start: a few virtual milliseconds later,
// or, one time in five, up to half a second later (a child with a large
// dataset or a slow disk, so that kills, FLUSHALLs, shutdowns and syncs
// fall inside its run). Like a forked child it runs while the node is
// paused; the node hears of it when it resumes.
func (s *simNode) Background(id uint64, run func(fs vfs.FS) error) {
	delay := backgroundDelay(s.rng.Int64N(1000))
	gen := s.gen
	s.h.w.After(delay, sim.EventFunc(func(w *sim.World) {
		if !s.up || s.gen != gen {
			return // the process that started the job is gone
		}
		err := run(s.fs)
		l := w.Log().S(s.name).S(" job ").U(id).S(" done")
		if err != nil {
			l.S(": ").S(err.Error())
		}
		l.End()
		if s.paused {
			s.hold(func() { s.node.OnJobDone(id, err); s.checkExit() })
			return
		}
		s.node.OnJobDone(id, err)
		s.checkExit()
	}))
}

// backgroundDelay maps a draw in [0, 1000) to a job's run time: 1-21 ms
// for the first 800, 21-501 ms for the rest.
func backgroundDelay(x int64) sim.Time {
	if x < 800 {
		return sim.Millisecond + sim.Time(x)*20*sim.Millisecond/800
	}
	return 21*sim.Millisecond + sim.Time(x-800)*480*sim.Millisecond/200
}

// Logf implements node.Env: node log lines go into the trace, one trace
// line each (a message's own newlines, as in Redis's FATAL reports, are
// written \n).
func (s *simNode) Logf(format string, args ...any) {
	s.h.noteObufDrop(s, format, args)
	s.recordLog(format, args)
	msg := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", `\n`)
	s.h.w.Log().S(s.name).S(" log: ").S(msg).End()
}

// OnAccept implements netsim.Handler.
func (s *simNode) OnAccept(port int, c netsim.ConnID) {
	if s.paused {
		s.hold(func() { s.OnAccept(port, c) })
		return
	}
	peer := s.h.net.Peer(c)
	s.node.OnAccept(node.ConnID(c), s.h.net.Host(peer)+":"+strconv.FormatUint(uint64(peer), 10))
	s.checkExit()
}

// OnDialed implements netsim.Handler.
func (s *simNode) OnDialed(c netsim.ConnID, err error) {
	if s.paused {
		s.hold(func() { s.OnDialed(c, err) })
		return
	}
	_, before := s.node.LinkState()
	s.node.OnDialed(node.ConnID(c), socketError(err))
	if _, after := s.node.LinkState(); err != nil && before == "connecting" && after != before {
		s.expectLog(checker.LogDialError)
	}
	s.checkExit()
}

// OnData implements netsim.Handler.
func (s *simNode) OnData(c netsim.ConnID, p []byte) {
	if s.paused {
		q := append([]byte(nil), p...)
		s.hold(func() { s.OnData(c, q) })
		return
	}
	s.forgetWaitBlock(c) // record_wait.go
	s.noteMasterRead(c)  // record_master_read.go
	s.node.OnData(node.ConnID(c), p)
	s.checkExit()
}

// OnClosed implements netsim.Handler.
func (s *simNode) OnClosed(c netsim.ConnID, err error) {
	if s.paused {
		s.hold(func() { s.OnClosed(c, err) })
		return
	}
	s.forgetWaitBlock(c) // record_wait.go
	s.node.OnClosed(node.ConnID(c), closeError(err))
	s.checkExit()
}
