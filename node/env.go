package node

import "github.com/replsim/replsim/vfs"

// ConnID names one end of a byte-stream connection, as the environment
// sees it. IDs are never reused within one environment.
type ConnID uint64

// Env is everything the node needs from the outside world. The simulator
// implements it with netsim, disksim and a per-node virtual clock; the real
// server implements it with sockets, the OS filesystem and the real clock.
// The node calls Env only from inside one of its own entry points.
type Env interface {
	// Now returns the node's wall clock in Unix nanoseconds. In simulation
	// it may be skewed or jump.
	Now() int64
	// Rand returns 64 random bits from the node's deterministic stream.
	Rand() uint64
	// Dial starts connecting to addr ("host:port"). The outcome arrives
	// later through Node.OnDialed with the returned ID.
	Dial(addr string) ConnID
	// Send queues p on connection c. The environment owns p afterwards.
	Send(c ConnID, p []byte)
	// Close closes c. The node gets no OnClosed for a connection it
	// closed itself.
	Close(c ConnID)
	// FS is the filesystem under the node's working directory.
	FS() vfs.FS
	// Background starts work that Redis would fork for (BGSAVE, an RDB
	// for a replica). run may touch only data it captured before the call
	// and fs. When it finishes the environment calls Node.OnJobDone(id, err).
	Background(id uint64, run func(fs vfs.FS) error)
	// Logf records a log line.
	Logf(format string, args ...any)
}

// MonotonicClock is implemented by an Env that has a clock no one sets:
// nanoseconds from an arbitrary origin, advancing with Now but not moved
// when the wall clock jumps (CLOCK_MONOTONIC). The node times its sleeps
// on it (busy.go), as Redis's nanosleep and usleep are not stretched or cut
// short by settimeofday. Without it the node uses Now.
type MonotonicClock interface {
	Monotonic() int64
}
