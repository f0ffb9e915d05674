package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flushallRun is the history of scripts/flushall-restart-divergence.sh:
// n2 full-synced from n1 at offset 50 of history "OLD"; n1 propagated a
// SELECT and a FLUSHALL there, which n2 never applied; n1 restarted from
// the RDB FLUSHALL saved, keeping OLD up to offset 50 as its secondary ID.
func flushallRun() ([]StreamChunk, []Restart, []FullSync) {
	chunks := []StreamChunk{
		{Seq: 2, Node: "n1", ReplID: "OLD", Start: 50, Data: []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n")},
		{Seq: 3, Node: "n1", ReplID: "OLD", Start: 73, Data: []byte("*1\r\n$8\r\nFLUSHALL\r\n")},
	}
	syncs := []FullSync{{Seq: 1, Node: "n2", ReplID: "OLD", Offset: 50}}
	restarts := []Restart{{Seq: 4, Node: "n1", RestartAt: 5e9,
		Repl: tap.ReplStatus{Role: "master", ReplID: "NEW", ReplID2: "OLD", Offset: 50, SecondOffset: 51}}}
	return chunks, restarts, syncs
}

func TestFlushallResumeRecognisesRedisDivergence(t *testing.T) {
	chunks, restarts, syncs := flushallRun()
	got := FlushallResume(chunks, restarts, syncs, "n2")
	assert.Contains(t, got, "n1 restarted at 5.000000s from the RDB FLUSHALL saved at offset 50 of OLD")
	assert.Empty(t, FlushallResume(chunks, restarts, syncs, "n3"), "a replica that never held OLD at 50")
}

func TestFlushallResumeNeedsEveryCondition(t *testing.T) {
	cases := map[string]func(c *[]StreamChunk, r *[]Restart, s *[]FullSync){
		"the replica applied the FLUSHALL": func(c *[]StreamChunk, _ *[]Restart, _ *[]FullSync) {
			*c = append(*c, StreamChunk{Seq: 3, Node: "n2", Replica: true, ReplID: "OLD", Start: 50, Data: []byte("x")})
		},
		"the command at the RDB's offset is not FLUSHALL": func(c *[]StreamChunk, _ *[]Restart, _ *[]FullSync) {
			(*c)[1].Data = []byte("*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n")
		},
		"the FLUSHALL came after the restart": func(c *[]StreamChunk, _ *[]Restart, _ *[]FullSync) {
			(*c)[1].Seq = 9
		},
		"the replica full-synced since": func(_ *[]StreamChunk, _ *[]Restart, s *[]FullSync) {
			*s = append(*s, FullSync{Seq: 5, Node: "n2", ReplID: "NEW", Offset: 50})
		},
		"the restart carried no old history": func(_ *[]StreamChunk, r *[]Restart, _ *[]FullSync) {
			(*r)[0].Repl.ReplID2, (*r)[0].Repl.SecondOffset = "", -1
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			chunks, restarts, syncs := flushallRun()
			change(&chunks, &restarts, &syncs)
			assert.Empty(t, FlushallResume(chunks, restarts, syncs, "n2"))
		})
	}
}

func TestConvergenceReportsFlushallResumeAsHazard(t *testing.T) {
	replica := nodeState("n2", rep, "a", "1")
	vs := CheckConvergence(nodeState("n1", mst), replica)
	require.Len(t, vs, 1)
	assert.Equal(t, PropConvergence, vs[0].Check, "without the resume the difference is a violation")

	replica.FlushallResume = "n1 restarted from the RDB FLUSHALL saved"
	vs = CheckConvergence(nodeState("n1", mst), replica)
	require.Len(t, vs, 1)
	assert.Equal(t, PropHazard, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "db0 key a: master (missing), replica \"1\"; n1 restarted from the RDB FLUSHALL saved")
}
