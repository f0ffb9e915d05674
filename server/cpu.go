//go:build unix

package server

import (
	"syscall"

	"github.com/replsim/replsim/node"
)

// CPUTimes reports the process's CPU times for INFO cpu (node.CPUReporter),
// from getrusage as Redis does: the process, its children and the calling
// thread, which is the event loop's (the goroutine that owns the node is
// locked to it only loosely, so the main-thread figures are the closest
// Go gets).
func (e *realEnv) CPUTimes() node.CPUTimes {
	// The thread is read first: the process's times, read after, include
	// everything it ran by then, so the main thread's total never exceeds
	// theirs (read the other way round, the thread ran on between the two
	// calls and could show more). The user/system split is the kernel's
	// per task and is not ordered between thread and process.
	var self, children, thread syscall.Rusage
	threadErr := syscall.Getrusage(rusageThread, &thread)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	if threadErr != nil {
		thread = self
	}
	us := func(t syscall.Timeval) int64 { return int64(t.Sec)*1e6 + int64(t.Usec) }
	return node.CPUTimes{
		Sys: us(self.Stime), User: us(self.Utime),
		SysChildren: us(children.Stime), UserChildren: us(children.Utime),
		SysMainThread: us(thread.Stime), UserMainThread: us(thread.Utime),
	}
}

// rusageThread is Linux's RUSAGE_THREAD.
const rusageThread = 1
