package server

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"time"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/vfs"
)

const (
	// dialTimeout bounds a connection attempt to a master.
	dialTimeout = 10 * time.Second
	// drainTimeout bounds how long an exiting server waits for queued
	// output to reach its clients.
	drainTimeout = 2 * time.Second
)

// server drives one node on real TCP. One goroutine, the event loop in
// run, owns the node and every map below; all other goroutines (accept,
// read, write, dial, background jobs, the signal handler) talk to it
// through post.
type server struct {
	cfg  node.Config
	node *node.Node
	env  *realEnv
	log  *redisLog

	events    chan func()
	done      chan struct{} // closed when the loop ends
	wg        sync.WaitGroup
	conns     map[node.ConnID]link
	dialing   map[node.ConnID]bool // false once the node gave up on it
	listeners []net.Listener
	// poll is the epoll driver (Linux); nil: a goroutine per connection.
	poll *poller
	// listenBind and listenPort are what the listeners were opened for.
	listenBind []string
	listenPort int
	nextID     node.ConnID
	hz         int
	// idle returns garbage to the OS when the server idles.
	idle idleRelease
	// lastReplState is the replica link's state after the last event.
	lastReplState string
}

// errLogged stops the server after an error the node has already logged.
var errLogged = errors.New("already logged")

// newServer creates the node, loads its data and opens its listeners, in
// that order (as redis-server does). The caller must call run or stop.
func newServer(cfg node.Config, log *redisLog) (*server, error) {
	s := &server{
		cfg:     cfg,
		log:     log,
		events:  make(chan func(), 1024),
		done:    make(chan struct{}),
		conns:   map[node.ConnID]link{},
		dialing: map[node.ConnID]bool{},
	}
	// The sockets are opened before the logo (accepting starts after the
	// load), as in Redis: see listenFailed.
	ls, err := listenAddrs(cfg.Bind, cfg.Port)
	if err != nil {
		return nil, listenFailed(log, err, cfg.Port)
	}
	s.poll = newPoller()
	s.env = newRealEnv(s, cfg.Dir)
	s.node = node.New(cfg, s.env)
	s.updateRole()
	logRunningMode(log, cfg)
	log.logf(logWarning, "Server initialized")
	start := time.Now()
	if err := s.node.Load(); err != nil {
		closeListeners(ls)
		s.node.LogLoadFailure(err)
		return nil, errLogged
	}
	if !cfg.AppendOnly {
		// The node logs an AOF load itself (loadDataFromDisk's line).
		log.logf(logNotice, "DB loaded from disk: %.3f seconds", time.Since(start).Seconds())
	}
	releaseMemory()
	s.startListeners(ls, cfg.Bind, cfg.Port)
	log.logf(logNotice, "Ready to accept connections")
	return s, nil
}

// post hands f to the event loop; it gives up once the loop has ended.
func (s *server) post(f func()) {
	select {
	case s.events <- f:
		if s.poll != nil {
			s.poll.wake()
		}
	case <-s.done:
	}
}

// background runs a node job on a goroutine and reports its end.
func (s *server) background(id uint64, run func(fs vfs.FS) error) {
	fs := s.env.fs
	go func() {
		err := run(fs)
		s.post(func() { s.node.OnJobDone(id, err) })
	}()
}

func (s *server) updateRole() {
	replica, state := s.node.LinkState()
	s.noteReplState(state)
	if replica {
		s.log.setRole('S')
	} else {
		s.log.setRole('M')
	}
}

// run is the event loop. It returns when the node shuts down, when ctx ends
// (an immediate stop, for tests) or after SIGINT/SIGTERM on sigs, and
// returns the exit status: 0, or 1 when a second signal cut a shutdown
// short.
func (s *server) run(ctx context.Context, sigs <-chan os.Signal) int {
	s.hz = s.node.Config().Hz
	if s.poll != nil {
		return s.runPoll(ctx, sigs)
	}
	ticker := time.NewTicker(time.Second / time.Duration(s.hz))
	defer ticker.Stop()
	defer s.stop()
	for {
		var wait <-chan time.Time // nil: block until something happens
		if s.node.HasPendingInput() {
			// Some client had more input than one event may take: run
			// the events already waiting, then give it its next turn,
			// and do not block while it has more.
			for k := len(s.events); k > 0 && !s.node.Down(); k-- {
				(<-s.events)()
			}
			if !s.node.Down() {
				s.node.ProcessPendingInput()
			}
			wait = closedTimeChan
		}
		select {
		case f := <-s.events:
			f()
			s.idle.event()
		case <-ticker.C:
			s.node.Tick()
			s.idle.tick(s.hz)
		case sig := <-sigs:
			if sig == os.Interrupt && s.node.ShutdownPending() {
				s.log.logf(logWarning, "You insist... exiting now.")
				return 1
			}
			s.signalShutdown(sig)
		case <-ctx.Done():
			return 0
		case <-wait:
		}
		if s.node.Down() {
			return 0
		}
		if hz := s.node.Hz(); hz != s.hz {
			s.hz = hz
			ticker.Reset(time.Second / time.Duration(hz))
		}
		s.updateRole()
	}
}

// closedTimeChan is always ready: selecting on it makes a select not block.
var closedTimeChan = func() <-chan time.Time {
	c := make(chan time.Time)
	close(c)
	return c
}()

// signalShutdown schedules the node's shutdown for SIGINT/SIGTERM, as
// Redis's signal handler does: the node starts it at its next tick, with
// the flags of shutdown-on-sigint / shutdown-on-sigterm, and may wait for
// lagging replicas first.
func (s *server) signalShutdown(sig os.Signal) {
	name := "SIGTERM"
	if sig == os.Interrupt {
		name = "SIGINT"
	}
	s.log.logf(logWarning, "Received %s scheduling shutdown...", name)
	s.node.ShutdownSignal(sig == os.Interrupt)
}

// stop closes the listeners and every connection, giving queued output a
// bounded time to drain.
func (s *server) stop() {
	s.closeListeners()
	var open []link
	for id, c := range s.conns {
		open = append(open, c)
		c.shutdown()
		delete(s.conns, id)
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		s.wg.Wait()
	}()
	if s.poll != nil {
		s.drainPoll(drained, drainTimeout)
		for _, c := range open {
			c.kill() // goroutine-driven ones not done yet lose the rest
		}
		close(s.done)
		return
	}
	// Writers finish on their own once flushed; close(done) would cut them
	// short, so give them a moment first.
	timer := time.NewTimer(drainTimeout)
	defer timer.Stop()
	for {
		select {
		case <-drained:
			close(s.done)
			return
		case <-timer.C:
			for _, c := range open {
				c.kill() // a peer that does not read loses the rest
			}
			close(s.done)
			return
		case f := <-s.events:
			_ = f // the node is finished; late events are dropped
		}
	}
}
