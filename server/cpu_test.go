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
	assert.GreaterOrEqual(t, got.User, got.UserMainThread)
	assert.GreaterOrEqual(t, got.SysChildren, int64(0))
}
