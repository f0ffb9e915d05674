package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
)

// Every pause is recorded for the durability check, ended by the resume
// or by a crash while paused; a stale resume ends nothing.
func TestPausesAreRecorded(t *testing.T) {
	h := &Cluster{w: sim.NewWorld(1)}
	s := &simNode{h: h, name: "n1", up: true}
	gen := s.pause()
	h.w.RunUntil(100, nil)
	s.resume(gen)
	h.w.RunUntil(150, nil)
	s.pause()
	h.w.RunUntil(300, nil)
	s.resume(gen) // an older pause's resume
	s.stop()
	h.w.RunUntil(400, nil)
	s.stop()
	assert.Equal(t, []checker.Pause{{Node: "n1", From: 0, To: 100}, {Node: "n1", From: 150, To: 300}}, h.rec.pauses)
}
