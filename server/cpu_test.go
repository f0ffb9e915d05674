//go:build unix

package server

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCPUTimesAreTheProcess(t *testing.T) {
	x := 0
	for i := range 20_000_000 {
		x += i % 7
	}
	got := (&realEnv{}).CPUTimes()
	assert.Positive(t, got.User+got.Sys, "work done: %d", x)
	// Only the sums are ordered: the kernel splits each task's runtime
	// into user and system time by that task's own tick samples
	// (cputime_adjust), so the main thread may show more user time than
	// the whole process (CI: 22272 > 20386). Each figure is truncated to
	// the microsecond, hence the slack of two.
	assert.GreaterOrEqual(t, got.User+got.Sys+2, got.UserMainThread+got.SysMainThread)
	assert.GreaterOrEqual(t, got.SysChildren, int64(0))
}
