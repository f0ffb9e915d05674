package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWaitProbeCountsTheHealthyReplicas(t *testing.T) {
	steady := SteadyInput{Links: []SteadyLink{{Replica: "n2", Master: "n1"}, {Replica: "n3", Master: "n1"}, {Replica: "n4", Master: "n2"}}}
	p := &WaitProbe{Node: "n1", Asked: 3, TimeoutMs: 300, Reply: 2}
	assert.Empty(t, CheckWaitProbe(p, steady), "both of n1's healthy replicas counted (n4 replicates from n2)")

	p.Reply = 1 // the corrupted reply: one healthy replica left out
	v := CheckWaitProbe(p, steady)
	if assert.Len(t, v, 1) {
		assert.Equal(t, PropLiveness, v[0].Check)
		assert.Contains(t, v[0].Detail, "counted 1 replicas")
	}

	p.Err = "NOREPLICAS Not enough good replicas to write."
	assert.Empty(t, CheckWaitProbe(p, steady), "a refused SET: the WAIT waited for nothing")
	assert.Empty(t, CheckWaitProbe(nil, steady), "no probe")

	p = &WaitProbe{Node: "n1", Asked: 1, TimeoutMs: 300, Reply: 1}
	assert.Empty(t, CheckWaitProbe(p, steady), "WAIT returns once it has as many as it asked for")
}

// A WAIT without a timeout answers only with its count (mutant
// cmd_wait.go:45:15 gave it a deadline of now).
func TestWaitProbeWithoutTimeout(t *testing.T) {
	steady := SteadyInput{Links: []SteadyLink{{Replica: "n2", Master: "n1"}}}
	p := &WaitProbe{Node: "n1", Asked: 3, TimeoutMs: 0, Reply: 3}
	assert.Empty(t, CheckWaitProbe(p, steady))
	p.Reply = 1
	v := CheckWaitProbe(p, steady)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "a WAIT without a timeout returns only once it has its count")
	}
}

// A PING pipelined behind the probe's WAIT runs once the WAIT is answered
// (mutant cmd_wait.go:95:7 left it in the unblocked client's input).
func TestWaitProbePipelinedPing(t *testing.T) {
	steady := SteadyInput{To: 10e9, Links: []SteadyLink{{Replica: "n2", Master: "n1"}}}
	p := &WaitProbe{Node: "n1", Asked: 1, TimeoutMs: 300, Reply: 1, At: 2e9, PingPipelined: true, PingAt: 2e9}
	assert.Empty(t, CheckWaitProbe(p, steady))

	p.PingAt = -1 // the corrupted history: the PING never answered
	v := CheckWaitProbe(p, steady)
	if assert.Len(t, v, 1) {
		assert.Equal(t, PropLiveness, v[0].Check)
		assert.Contains(t, v[0].Detail, "pipelined behind WAIT 1 300")
	}

	p.At = steady.To - pingGraceNs/2
	assert.Empty(t, CheckWaitProbe(p, steady), "the tail ended before the PING's reply was due")
	p.At, p.Err = 2e9, "NOREPLICAS Not enough good replicas to write."
	assert.Empty(t, CheckWaitProbe(p, steady), "a refused SET: the probe proves nothing")
}
