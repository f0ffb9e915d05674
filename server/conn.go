package server

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/vfs/osfs"
)

// readChunk is how much one read may take from a socket.
const readChunk = 16 * 1024

// conn is one TCP connection of the node. The loop writes output at once
// when the socket takes it (as Redis writes replies before it sleeps) and
// queues the rest; a writer goroutine, started only while there is a
// queue, drains it, so a slow peer never blocks the loop and an idle
// connection costs no writer. A reader goroutine posts what arrives.
type conn struct {
	id node.ConnID
	nc net.Conn
	rc syscall.RawConn // nil: no direct writes
	s  *server

	mu       sync.Mutex
	queue    [][]byte
	writing  bool // the writer holds bytes taken from queue
	writerUp bool // a writer goroutine runs
	closing  bool // write what is queued, then close
	// unsent counts bytes queued and not yet written, for the node's
	// client-output-buffer-limit (node.OutputMeter).
	unsent atomic.Int64
}

func newConn(s *server, id node.ConnID, nc net.Conn) *conn {
	c := &conn{id: id, nc: nc, s: s}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	return c
}

// writeNow writes what the socket takes of p without blocking and returns
// how much that was.
func (c *conn) writeNow(p []byte) int {
	if c.rc == nil {
		return 0
	}
	written := 0
	_ = c.rc.Write(func(fd uintptr) bool {
		for written < len(p) {
			n, err := syscall.Write(int(fd), p[written:])
			if n <= 0 || err != nil {
				break // EAGAIN or an error: the writer takes over
			}
			written += n
		}
		return true
	})
	return written
}

// enqueue writes p, directly when nothing is queued before it, and queues
// what the socket does not take (the caller gives up p).
func (c *conn) enqueue(p []byte) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if len(c.queue) == 0 && !c.writing {
		p = p[c.writeNow(p):]
		if len(p) == 0 {
			c.mu.Unlock()
			return
		}
	}
	c.queue = append(c.queue, p)
	c.unsent.Add(int64(len(p)))
	c.startWriter()
	c.mu.Unlock()
}

// startWriter starts the writer goroutine unless one runs. c.mu held.
func (c *conn) startWriter() {
	if c.writerUp {
		return
	}
	c.writerUp = true
	c.s.wg.Add(1)
	go func() { defer c.s.wg.Done(); c.writeLoop() }()
}

// abort drops the queued output and closes the socket now, which also
// stops a writer blocked on a peer that does not read.
func (c *conn) abort() {
	c.mu.Lock()
	c.closing = true
	c.queue = nil
	c.mu.Unlock()
	c.unsent.Store(0)
	c.nc.Close()
}

// queued is how many bytes are queued and not yet written.
func (c *conn) queued() int64 { return c.unsent.Load() }

// kill closes the socket, losing what is still queued.
func (c *conn) kill() { c.nc.Close() }

// shutdown closes the connection once its queued output is written.
func (c *conn) shutdown() {
	c.mu.Lock()
	c.closing = true
	idle := !c.writerUp
	c.mu.Unlock()
	if idle {
		c.nc.Close()
	}
}

// writeLoop writes the queue until it is empty, then ends; it closes the
// socket when the connection is shutting down or a write fails, which ends
// readLoop.
func (c *conn) writeLoop() {
	for {
		c.mu.Lock()
		q, closing := c.queue, c.closing
		c.queue = nil
		if len(q) == 0 {
			c.writerUp = false
			c.mu.Unlock()
			if closing {
				c.nc.Close()
			}
			return
		}
		c.writing = true
		c.mu.Unlock()
		bufs := net.Buffers(q)
		n, err := bufs.WriteTo(c.nc)
		c.unsent.Add(-n)
		c.mu.Lock()
		c.writing = false
		if err != nil {
			c.closing, c.queue, c.writerUp = true, nil, false
		}
		c.mu.Unlock()
		if err != nil {
			c.nc.Close()
			return
		}
	}
}

// readLoop posts every chunk read. It reads into two buffers in turn and
// waits, before reusing one, until the loop has handed its chunk to the
// node: at most two chunks of a client are in flight, as Redis reads once
// per readable client per event-loop turn, so a client that sends faster
// than the node processes fills its own socket buffers, not the server's
// memory, and every other client's chunk waits behind at most two of its
// chunks. The node copies what it keeps (Node.OnData), so buffers are
// reused; and the wait rarely parks, since the loop is usually done with a
// chunk by the time the next one arrives.
func (c *conn) readLoop(s *server) {
	var bufs [2][]byte
	acks := make(chan struct{}, len(bufs))
	inflight, next := 0, 0
	for {
		for inflight == len(bufs) {
			select {
			case <-acks:
				inflight--
			case <-s.done:
				return
			}
		}
		if bufs[next] == nil {
			bufs[next] = make([]byte, readChunk)
		}
		n, err := c.nc.Read(bufs[next])
		if n > 0 {
			data := bufs[next][:n]
			s.post(func() {
				s.onData(c, c.id, data)
				acks <- struct{}{}
			})
			inflight++
			next ^= 1
		}
		if err != nil {
			s.post(func() { s.onReadEnd(c, c.id, err) })
			return
		}
	}
}

// start registers c with the loop and starts its goroutines. Loop only.
func (s *server) start(c *conn) {
	s.conns[c.id] = c
	s.wg.Add(1)
	go func() { defer s.wg.Done(); c.readLoop(s) }()
}

func (s *server) onData(c link, id node.ConnID, data []byte) {
	if s.conns[id] == c {
		s.node.OnData(id, data)
	}
}

// onReadEnd handles EOF or a read error: unless the node closed the
// connection itself, it learns that the peer went away.
func (s *server) onReadEnd(c link, id node.ConnID, err error) {
	if s.conns[id] != c {
		return
	}
	delete(s.conns, id)
	c.abort() // as Redis frees a gone client with its unsent replies
	// The node's contract: nil for a clean close (errno 0, which Redis
	// prints as "Success"), strerror's text for an abort.
	if errors.Is(err, io.EOF) {
		err = nil
	} else {
		err = errors.New(osfs.Strerror(err))
	}
	s.node.OnClosed(id, err)
}

// send queues p on connection id. Loop only.
func (s *server) send(id node.ConnID, p []byte) {
	if c := s.conns[id]; c != nil {
		c.enqueue(p)
	}
}

// abortConn closes id at once, dropping its queued output. Loop only.
func (s *server) abortConn(id node.ConnID) {
	if c := s.conns[id]; c != nil {
		delete(s.conns, id)
		c.abort()
	}
}

// unsent is how many bytes queued on id are not yet written. Loop only.
func (s *server) unsent(id node.ConnID) int64 {
	if c := s.conns[id]; c != nil {
		return c.queued()
	}
	return 0
}

// closeConn closes id after its queued output; a dial in progress is
// abandoned. Loop only.
func (s *server) closeConn(id node.ConnID) {
	if c := s.conns[id]; c != nil {
		delete(s.conns, id)
		c.shutdown()
		return
	}
	if _, ok := s.dialing[id]; ok {
		s.dialing[id] = false
	}
}

// dial connects to addr on a goroutine. Loop only.
func (s *server) dial(addr string) node.ConnID {
	id := s.newID()
	s.dialing[id] = true
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		nc, err := net.DialTimeout("tcp", addr, dialTimeout)
		s.post(func() { s.onDialed(id, nc, err) })
	}()
	return id
}

func (s *server) onDialed(id node.ConnID, nc net.Conn, err error) {
	wanted := s.dialing[id]
	delete(s.dialing, id)
	if !wanted {
		if nc != nil {
			nc.Close()
		}
		return
	}
	if err != nil {
		// The node logs the error as Redis does: strerror's text.
		s.node.OnDialed(id, errors.New(osfs.Strerror(err)))
		return
	}
	s.start(newConn(s, id, nc))
	s.node.OnDialed(id, nil)
}

// link is one connection as the loop sees it: a goroutine-driven conn, or
// (Linux) a socket of the epoll loop.
type link interface {
	// enqueue writes p, or queues what the socket does not take now.
	enqueue(p []byte)
	// abort drops the queued output and closes at once.
	abort()
	// shutdown closes once the queued output is written.
	shutdown()
	// queued is how many bytes are queued and not yet written.
	queued() int64
	// kill closes at once (the server is exiting).
	kill()
}

// onAccept registers a new client. Loop only.
func (s *server) onAccept(nc net.Conn) {
	c := newConn(s, s.newID(), nc)
	s.start(c)
	s.node.OnAccept(c.id, nc.RemoteAddr().String())
}

func (s *server) newID() node.ConnID {
	s.nextID++
	return s.nextID
}
