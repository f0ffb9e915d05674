package server

import (
	crand "crypto/rand"
	"math/rand/v2"
	"time"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/vfs"
	"github.com/replsim/replsim/vfs/osfs"
)

// realEnv is node.Env on the real world: wall clock, OS randomness, TCP
// sockets and the OS filesystem. The node calls it only from the event
// loop, so it needs no locking of its own; the server does the I/O.
type realEnv struct {
	s   *server
	rng *rand.Rand
	fs  *osfs.FS
	// start is when the env was made: the origin of Monotonic.
	start time.Time
}

var (
	_ node.Env            = (*realEnv)(nil)
	_ node.DirChanger     = (*realEnv)(nil)
	_ node.Relistener     = (*realEnv)(nil)
	_ node.LevelLogger    = (*realEnv)(nil)
	_ node.ProcessIDer    = (*realEnv)(nil)
	_ node.ChildLogger    = (*realEnv)(nil)
	_ node.InputScheduler = (*realEnv)(nil)
	_ node.OutputMeter    = (*realEnv)(nil)
	_ node.Aborter        = (*realEnv)(nil)
	_ node.MonotonicClock = (*realEnv)(nil)
)

func newRealEnv(s *server, dir string) *realEnv {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails on supported platforms
	return &realEnv{s: s, rng: rand.New(rand.NewChaCha8(seed)), fs: osfs.New(dir), start: time.Now()}
}

// Now returns the wall clock in Unix nanoseconds.
func (e *realEnv) Now() int64 { return time.Now().UnixNano() }

// Monotonic returns the time since the env was made on Go's monotonic
// clock, which setting the wall clock does not move.
func (e *realEnv) Monotonic() int64 { return int64(time.Since(e.start)) }

// Rand returns 64 random bits.
func (e *realEnv) Rand() uint64 { return e.rng.Uint64() }

// Dial connects to addr in the background; the result reaches the node
// through OnDialed.
func (e *realEnv) Dial(addr string) node.ConnID { return e.s.dial(addr) }

// Send queues p for connection c without blocking.
func (e *realEnv) Send(c node.ConnID, p []byte) { e.s.send(c, p) }

// Close closes c once its queued output is written.
func (e *realEnv) Close(c node.ConnID) {
	if e.s.node != nil && e.s.node.Down() {
		// Exiting: stop accepting first, as Redis closes its listening
		// sockets before its connections go, so a replica's immediate
		// reconnection is refused rather than accepted and dropped.
		e.s.closeListeners()
	}
	e.s.closeConn(c)
}

// FS is the OS filesystem rooted at the config's dir.
func (e *realEnv) FS() vfs.FS { return e.fs }

// Background runs the job on a goroutine and reports its end to the loop.
func (e *realEnv) Background(id uint64, run func(fs vfs.FS) error) { e.s.background(id, run) }

// Logf writes a notice-level log line.
func (e *realEnv) Logf(format string, args ...any) { e.s.log.logf(logNotice, format, args...) }

// Log implements node.LevelLogger. The role mark is the node's role at
// the moment, as Redis computes it for every line.
func (e *realEnv) Log(level byte, msg string) {
	if e.s.node != nil {
		e.s.updateRole()
	}
	e.s.log.logf(level, "%s", msg)
}

// LogChild implements node.ChildLogger.
func (e *realEnv) LogChild(pid int, level byte, msg string) { e.s.log.logAs(pid, 'C', level, msg) }

// ProcessID implements node.ProcessIDer.
func (e *realEnv) ProcessID() int { return e.s.log.pid }

// ChangeDir moves the FS root (CONFIG SET dir).
func (e *realEnv) ChangeDir(dir string) (string, error) { return e.fs.ChangeDir(dir) }

// Relisten moves the listening sockets (CONFIG SET port / bind).
func (e *realEnv) Relisten(bind []string, port int) error { return e.s.relisten(bind, port) }

// InputPending notes that the node left some client's input for later; the
// loop calls Node.ProcessPendingInput after the events already waiting.
func (e *realEnv) InputPending() {}

// Unsent reports the bytes queued on c that the peer has not taken yet.
func (e *realEnv) Unsent(c node.ConnID) int64 { return e.s.unsent(c) }

// Abort closes c at once, dropping its queued output.
func (e *realEnv) Abort(c node.ConnID) { e.s.abortConn(c) }
