//go:build linux

package server

import (
	"context"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/replsim/replsim/node"
)

// maxAcceptsPerEvent bounds the connections one readable listener yields
// per loop turn, as Redis's MAX_ACCEPTS_PER_CALL.
const maxAcceptsPerEvent = 1000

// poller is the Linux event loop's I/O: one epoll set over the listening
// sockets and the clients' non-blocking sockets, which the loop goroutine
// reads and writes itself (one read and one write per request, as Redis),
// and an eventfd through which other goroutines (background jobs, dials,
// the signal relay, goroutine-driven connections) wake it after post.
type poller struct {
	epfd int
	evfd int
	// sleeping is set while the loop may block in epoll_wait: post wakes
	// it only then, so a busy loop costs posters no syscall.
	sleeping atomic.Bool
	mu       sync.Mutex // guards closed against wake
	closed   bool

	socks     map[int32]*sock        // client sockets by fd
	listeners map[int32]net.Listener // listening sockets by fd
	paused    bool                   // listeners disarmed after EMFILE
	events    []unix.EpollEvent
	buf       []byte // the read buffer (the node copies what it keeps)
}

// newPoller returns the epoll driver, or nil (the goroutine driver) when
// REPLSIM_EVENTLOOP=goroutine. Epoll is the default: it reads the
// clients that are ready in the order the kernel reports them, as Redis
// does, so a command sent before another on a second connection is served
// first (integration/shutdown's "then aborted" counts blocked clients right
// after two deferred SHUTDOWNs); the goroutine driver's readers race.
func newPoller() *poller {
	if os.Getenv("REPLSIM_EVENTLOOP") == "goroutine" {
		return nil
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	evfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil
	}
	p := &poller{
		epfd:      epfd,
		evfd:      evfd,
		socks:     map[int32]*sock{},
		listeners: map[int32]net.Listener{},
		events:    make([]unix.EpollEvent, 128),
		buf:       make([]byte, readChunk),
	}
	if err := p.ctl(unix.EPOLL_CTL_ADD, evfd, unix.EPOLLIN); err != nil {
		p.close()
		return nil
	}
	return p
}

func (p *poller) ctl(op, fd int, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(fd)}
	return unix.EpollCtl(p.epfd, op, fd, &ev)
}

// wake makes a sleeping epoll_wait return. Any goroutine.
func (p *poller) wake() {
	if !p.sleeping.CompareAndSwap(true, false) {
		return
	}
	p.mu.Lock()
	if !p.closed {
		one := [8]byte{1}
		_, _ = unix.Write(p.evfd, one[:])
	}
	p.mu.Unlock()
}

func (p *poller) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	unix.Close(p.evfd)
	unix.Close(p.epfd)
}

// listenerFD returns l's socket, or -1.
func listenerFD(l net.Listener) int {
	sc, ok := l.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	_ = rc.Control(func(f uintptr) { fd = int(f) })
	return fd
}

// addListener makes the loop accept on l. Go's runtime keeps l registered
// in its own netpoller too, but no goroutine waits on it.
func (p *poller) addListener(l net.Listener) bool {
	fd := listenerFD(l)
	if fd < 0 || p.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN) != nil {
		return false
	}
	p.listeners[int32(fd)] = l
	return true
}

// removeListener stops accepting on l (before it is closed).
func (p *poller) removeListener(l net.Listener) {
	for fd, o := range p.listeners {
		if o == l {
			_ = p.ctl(unix.EPOLL_CTL_DEL, int(fd), 0)
			delete(p.listeners, fd)
		}
	}
}

// setListening arms or disarms every listener.
func (p *poller) setListening(on bool) {
	var ev uint32
	if on {
		ev = unix.EPOLLIN
	}
	for fd := range p.listeners {
		_ = p.ctl(unix.EPOLL_CTL_MOD, int(fd), ev)
	}
	p.paused = !on
}

// sock is one client socket of the epoll loop. Only the loop touches it.
type sock struct {
	fd      int
	id      node.ConnID
	p       *poller
	out     [][]byte
	owned   bool // the last buffer of out is ours: later output may be appended to it
	unsent  int64
	wantOut bool // registered for EPOLLOUT
	closing bool // close once out is written; input is ignored
	failed  bool // a write failed: output is dropped, the read end reports it
	closed  bool
}

// enqueue writes p at once when nothing is queued before it, and queues
// what the socket does not take, watching for writability.
func (c *sock) enqueue(p []byte) {
	if c.closed || c.closing || c.failed {
		return
	}
	if len(c.out) == 0 {
		for len(p) > 0 {
			n, err := unix.Write(c.fd, p)
			if err == unix.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				if err != unix.EAGAIN {
					c.fail()
					return
				}
				break
			}
			p = p[n:]
		}
		if len(p) == 0 {
			return
		}
	}
	c.queue(p)
	c.watchOut(true)
}

// outChunk is the size of the buffers small outputs are gathered into
// while the socket does not take them: one writev sends at most maxIovecs
// of them, so thousands of queued replies (a replica's stream while it
// loads the RDB) go out in a few calls, not one call per reply.
const (
	outChunk  = 16 * 1024
	maxIovecs = 1024 // Linux's IOV_MAX: writev refuses more (EINVAL)
)

// queue appends p to the output, copying small writes into buffers of its
// own (the node may reuse p's array), and keeping large ones as they are.
func (c *sock) queue(p []byte) {
	if n := len(c.out); n > 0 && c.owned && cap(c.out[n-1])-len(c.out[n-1]) >= len(p) {
		c.out[n-1] = append(c.out[n-1], p...)
	} else if len(p) < outChunk {
		b := make([]byte, len(p), outChunk)
		copy(b, p)
		c.out, c.owned = append(c.out, b), true
	} else {
		c.out, c.owned = append(c.out, p), false
	}
	c.unsent += int64(len(p))
}

// fail drops the output after a write error; the peer is gone, and the
// next read reports it to the node.
func (c *sock) fail() {
	c.failed, c.out, c.unsent = true, nil, 0
	if c.closing {
		c.kill()
		return
	}
	c.watchOut(false)
}

func (c *sock) watchOut(on bool) {
	if c.wantOut == on || c.closed {
		return
	}
	c.wantOut = on
	var ev uint32
	if !c.closing {
		ev = unix.EPOLLIN
	}
	if on {
		ev |= unix.EPOLLOUT
	}
	_ = c.p.ctl(unix.EPOLL_CTL_MOD, c.fd, ev)
}

// flush writes what is queued, as much as the socket takes.
func (c *sock) flush() {
	for len(c.out) > 0 {
		n, err := unix.Writev(c.fd, c.out[:min(len(c.out), maxIovecs)])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil || n <= 0 {
			c.fail()
			return
		}
		c.unsent -= int64(n)
		for n > 0 {
			if n >= len(c.out[0]) {
				n -= len(c.out[0])
				c.out[0] = nil
				c.out = c.out[1:]
			} else {
				c.out[0] = c.out[0][n:]
				n = 0
			}
		}
	}
	c.out = nil
	if c.closing {
		c.kill()
		return
	}
	c.watchOut(false)
}

func (c *sock) queued() int64 { return c.unsent }

// abort drops the output and closes now.
func (c *sock) abort() { c.kill() }

// shutdown closes once the output is written.
func (c *sock) shutdown() {
	if c.closed {
		return
	}
	c.closing = true
	if len(c.out) == 0 {
		c.kill()
		return
	}
	_ = c.p.ctl(unix.EPOLL_CTL_MOD, c.fd, unix.EPOLLOUT)
}

func (c *sock) kill() {
	if c.closed {
		return
	}
	c.closed, c.out, c.unsent = true, nil, 0
	delete(c.p.socks, int32(c.fd))
	unix.Close(c.fd) // also leaves the epoll set
}

// accept takes the connections waiting on listener fd.
func (s *server) accept(fd int) {
	p := s.poll
	for range maxAcceptsPerEvent {
		nfd, sa, err := unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err == unix.EINTR || err == unix.ECONNABORTED {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil {
			s.log.logf(logWarning, "Accepting client connection: %v", err)
			if err == unix.EMFILE || err == unix.ENFILE {
				p.setListening(false) // until the next tick: do not spin
			}
			return
		}
		_ = unix.SetsockoptInt(nfd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		_ = unix.SetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1)
		if err := p.ctl(unix.EPOLL_CTL_ADD, nfd, unix.EPOLLIN); err != nil {
			unix.Close(nfd)
			continue
		}
		c := &sock{fd: nfd, id: s.newID(), p: p}
		p.socks[int32(nfd)] = c
		s.conns[c.id] = c
		s.node.OnAccept(c.id, sockaddrString(sa))
		if s.node.Down() {
			return
		}
	}
}

// sockaddrString is addr as net.Addr.String writes it.
func sockaddrString(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	case *unix.SockaddrInet6:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	}
	return "?:0"
}

// readSock reads what a readable client has sent, one chunk per loop turn
// as Redis reads, and hands it to the node.
func (s *server) readSock(c *sock) {
	p := s.poll
	for {
		n, err := unix.Read(c.fd, p.buf)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if n > 0 {
			s.onData(c, c.id, p.buf[:n])
			return
		}
		if err == nil {
			err = io.EOF
		} else {
			err = os.NewSyscallError("read", err)
		}
		if s.conns[c.id] == link(c) {
			s.onReadEnd(c, c.id, err)
		} else {
			c.kill()
		}
		return
	}
}

// runPoll is the event loop on epoll: it waits for sockets, posted
// events and the next tick at once, then serves them in the loop
// goroutine. Same contract as run.
func (s *server) runPoll(ctx context.Context, sigs <-chan os.Signal) int {
	p := s.poll
	defer s.stop()
	exit := -1
	// The relay turns signals and ctx into events, so that they wake epoll.
	go func() {
		for {
			select {
			case sig := <-sigs:
				s.post(func() {
					if sig == os.Interrupt && s.node.ShutdownPending() {
						s.log.logf(logWarning, "You insist... exiting now.")
						exit = 1
						return
					}
					s.signalShutdown(sig)
				})
			case <-ctx.Done():
				s.post(func() { exit = 0 })
				return
			case <-s.done:
				return
			}
		}
	}()
	period := time.Second / time.Duration(s.hz)
	nextTick := time.Now().Add(period)
	for {
		timeout := 0
		if !s.node.HasPendingInput() {
			p.sleeping.Store(true)
			if len(s.events) == 0 {
				timeout = max(0, int((time.Until(nextTick)+time.Millisecond-1)/time.Millisecond))
			}
		}
		n, err := unix.EpollWait(p.epfd, p.events, timeout)
		p.sleeping.Store(false)
		if err != nil && err != unix.EINTR {
			s.log.logf(logWarning, "epoll_wait: %v", err)
			return 1
		}
		busy := n > 0
		for i := range n {
			ev := p.events[i]
			fd := ev.Fd
			if int(fd) == p.evfd {
				var b [8]byte
				_, _ = unix.Read(p.evfd, b[:])
				continue
			}
			if _, ok := p.listeners[fd]; ok {
				s.accept(int(fd))
			} else if c := p.socks[fd]; c != nil {
				if ev.Events&unix.EPOLLOUT != 0 {
					c.flush()
				}
				if ev.Events&(unix.EPOLLIN|unix.EPOLLERR|unix.EPOLLHUP) != 0 && !c.closed {
					if c.closing {
						c.kill() // the peer hung up on its replies
					} else {
						s.readSock(c)
					}
				}
			}
			if s.node.Down() {
				return 0
			}
		}
		for k := len(s.events); k > 0 && exit < 0; k-- {
			(<-s.events)()
			busy = true
			if s.node.Down() {
				return 0
			}
		}
		if exit >= 0 {
			return exit
		}
		if s.node.HasPendingInput() {
			s.node.ProcessPendingInput()
		}
		if busy {
			s.idle.event()
		}
		if now := time.Now(); !now.Before(nextTick) {
			s.node.Tick()
			s.idle.tick(s.hz)
			if p.paused {
				p.setListening(true)
			}
			nextTick = nextTick.Add(period)
			if nextTick.Before(now) {
				nextTick = now.Add(period)
			}
		}
		if s.node.Down() {
			return 0
		}
		if hz := s.node.Hz(); hz != s.hz {
			s.hz = hz
			period = time.Second / time.Duration(hz)
			nextTick = time.Now().Add(period)
		}
		s.updateRole()
	}
}

// drainPoll writes the closing sockets' output until it is all written,
// the goroutines have ended (drained closes) and timeout passes, whichever
// first; then it closes what is left and the epoll set.
func (s *server) drainPoll(drained <-chan struct{}, timeout time.Duration) {
	p := s.poll
	deadline := time.Now().Add(timeout)
	wgDone := false
	for {
		if !wgDone {
			select {
			case <-drained:
				wgDone = true
			default:
			}
		}
		for k := len(s.events); k > 0; k-- {
			<-s.events // the node is finished; late events are dropped
		}
		left := time.Until(deadline)
		if (wgDone && len(p.socks) == 0) || left <= 0 {
			break
		}
		n, err := unix.EpollWait(p.epfd, p.events, int(min(left, 10*time.Millisecond)/time.Millisecond)+1)
		if err != nil && err != unix.EINTR {
			break
		}
		for i := range n {
			ev := p.events[i]
			if int(ev.Fd) == p.evfd {
				var b [8]byte
				_, _ = unix.Read(p.evfd, b[:])
			} else if c := p.socks[ev.Fd]; c != nil {
				if ev.Events&unix.EPOLLOUT != 0 {
					c.flush()
				}
				if ev.Events&(unix.EPOLLERR|unix.EPOLLHUP) != 0 {
					c.kill()
				}
			}
		}
	}
	for _, c := range p.socks {
		c.kill()
	}
	p.close()
}
