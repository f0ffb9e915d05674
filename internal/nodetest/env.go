// Package nodetest drives a node.Node in process for tests: an in-memory
// node.Env with a settable clock, a seeded random stream, recorded dials,
// captured output per connection and a disksim filesystem, plus a Harness
// that sends RESP commands and returns the raw reply bytes.
//
// It lives under node/ and obeys the node's determinism rules: no real
// clock, no goroutines, no os or net.
package nodetest

import (
	"fmt"
	"time"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// DefaultNow is the clock an Env starts at: 2026-01-01T00:00:00Z.
const DefaultNow int64 = 1767225600 * int64(time.Second)

// Dial is one connection attempt the node made.
type Dial struct {
	ID   node.ConnID
	Addr string
}

type job struct {
	id  uint64
	run func(fs vfs.FS) error
}

// Env implements node.Env in memory. Background jobs are queued and run by
// RunJobs (a Harness runs them after every command it sends).
type Env struct {
	// Node receives OnJobDone when RunJobs finishes a job. The Harness
	// sets it; set it yourself when using an Env on its own.
	Node *node.Node

	now      int64
	mono     int64
	rng      *sim.Rand
	fs       *disksim.FS
	nextConn node.ConnID
	dials    []Dial
	out      map[node.ConnID][]byte
	closed   map[node.ConnID]bool
	jobs     []job
	logs     []string
}

var (
	_ node.Env            = (*Env)(nil)
	_ node.MonotonicClock = (*Env)(nil)
)

// NewEnv returns an Env whose random choices (the node's and the disk's)
// all derive from seed, with the clock at DefaultNow.
func NewEnv(seed uint64) *Env {
	return &Env{
		now:    DefaultNow,
		rng:    sim.NewRand(seed, "node"),
		fs:     disksim.New(sim.NewRand(seed, "disk")),
		out:    make(map[node.ConnID][]byte),
		closed: make(map[node.ConnID]bool),
	}
}

// SetNow sets the wall clock to unixNanos; the monotonic clock stays.
func (e *Env) SetNow(unixNanos int64) { e.now = unixNanos }

// Advance moves the clock forward (or back, for a negative d). Time passing
// moves the monotonic clock too; a wall clock set back does not.
func (e *Env) Advance(d time.Duration) {
	e.now += int64(d)
	if d > 0 {
		e.mono += int64(d)
	}
}

// JumpClock sets the wall clock forward or back by d, as an operator or
// NTP stepping it: no time passes, the monotonic clock stays.
func (e *Env) JumpClock(d time.Duration) { e.now += int64(d) }

// NewConnID returns a connection ID never used before in this Env.
func (e *Env) NewConnID() node.ConnID {
	e.nextConn++
	return e.nextConn
}

// Now implements node.Env.
func (e *Env) Now() int64 { return e.now }

// Monotonic implements node.MonotonicClock.
func (e *Env) Monotonic() int64 { return e.mono }

// Rand implements node.Env.
func (e *Env) Rand() uint64 { return e.rng.Uint64() }

// Dial implements node.Env: it records the attempt; nothing connects until
// the test calls Node.OnDialed.
func (e *Env) Dial(addr string) node.ConnID {
	id := e.NewConnID()
	e.dials = append(e.dials, Dial{ID: id, Addr: addr})
	return id
}

// Dials returns every Dial the node made, in order.
func (e *Env) Dials() []Dial { return append([]Dial(nil), e.dials...) }

// Send implements node.Env: the bytes are kept per connection until Take.
func (e *Env) Send(c node.ConnID, p []byte) { e.out[c] = append(e.out[c], p...) }

// Take returns and forgets everything the node sent on c so far.
func (e *Env) Take(c node.ConnID) []byte {
	p := e.out[c]
	delete(e.out, c)
	return p
}

// Close implements node.Env.
func (e *Env) Close(c node.ConnID) { e.closed[c] = true }

// Closed reports whether the node closed c.
func (e *Env) Closed(c node.ConnID) bool { return e.closed[c] }

// FS implements node.Env.
func (e *Env) FS() vfs.FS { return e.fs }

// Disk returns the simulated filesystem behind FS.
func (e *Env) Disk() *disksim.FS { return e.fs }

// Background implements node.Env: the job waits in a queue for RunJobs.
func (e *Env) Background(id uint64, run func(fs vfs.FS) error) {
	e.jobs = append(e.jobs, job{id: id, run: run})
}

// PendingJobs is the number of queued background jobs.
func (e *Env) PendingJobs() int { return len(e.jobs) }

// RunJobs runs queued jobs in order, reporting each to Node.OnJobDone,
// until none is left (a finished job may queue another). It returns how
// many ran.
func (e *Env) RunJobs() int {
	ran := 0
	for len(e.jobs) > 0 {
		j := e.jobs[0]
		e.jobs = e.jobs[1:]
		err := j.run(e.fs)
		ran++
		if e.Node != nil {
			e.Node.OnJobDone(j.id, err)
		}
	}
	return ran
}

// Logf implements node.Env: lines are collected for Logs.
func (e *Env) Logf(format string, args ...any) {
	e.logs = append(e.logs, fmt.Sprintf(format, args...))
}

// Logs returns the collected log lines.
func (e *Env) Logs() []string { return append([]string(nil), e.logs...) }
