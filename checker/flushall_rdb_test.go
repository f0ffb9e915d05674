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

func TestFlushallResumeExcusesOnlyWhatFollowsFromIt(t *testing.T) {
	chunks, restarts, syncs := flushallRun()
	syncs[0].At = 1e9
	syncs = append(syncs,
		FullSync{Seq: 1, At: 2e9, Node: "n4", Master: "n2", ReplID: "OLD", Offset: 40}, // below n2 before the restart
		FullSync{Seq: 5, At: 6e9, Node: "n3", Master: "n2", ReplID: "NEW", Offset: 60}, // from n2 after it
		FullSync{Seq: 6, At: 8e9, Node: "n2", Master: "n1", ReplID: "NEW", Offset: 70}) // n2 clean again
	errLine := func(node string, at int64) Violation {
		return Violation{Check: "node_log", At: at, Nodes: []string{node},
			Detail: node + ` (incarnation 1): "` + logErrorToMaster + `ERR no' after processing the command 'incr'": the replica diverged`}
	}
	prefix := func(node string, at int64) Violation {
		return Violation{Check: PropPrefix, At: at, Nodes: []string{node}, Detail: "snapshot differs"}
	}
	vs := ExcuseFlushallResumes([]Violation{
		prefix("n2", 6e9), errLine("n2", 7e9), prefix("n3", 7e9), prefix("n4", 7e9), errLine("n4", 7e9),
		prefix("n2", 4e9), // before n1's restart
		prefix("n2", 9e9), // after n2's next full sync
		prefix("n5", 7e9), // a node that never held n2's data
		{Check: "durability", At: 7e9, Nodes: []string{"n2"}}, // another property
		{Check: "node_log", At: 7e9, Nodes: []string{"n2"}, Detail: "n2: other line"},
	}, chunks, restarts, syncs)
	var checks []string
	for _, v := range vs {
		checks = append(checks, v.Check)
	}
	assert.Equal(t, []string{PropHazard, PropHazard, PropHazard, PropHazard, PropHazard,
		PropPrefix, PropPrefix, PropPrefix, "durability", "node_log"}, checks)
	assert.Contains(t, vs[0].Detail, "prefix: snapshot differs; n1 restarted at 5.000000s from the RDB FLUSHALL saved at offset 50 of OLD")
	assert.Contains(t, vs[2].Detail, "n3 full-synced from n2 at 6.000000s")
	assert.Contains(t, vs[3].Detail, "n4 was below n2")

	chunks = append(chunks, StreamChunk{Seq: 3, Node: "n2", Replica: true, ReplID: "OLD", Start: 50, Data: []byte("x")})
	vs = ExcuseFlushallResumes([]Violation{prefix("n2", 6e9), errLine("n2", 7e9)}, chunks, restarts, syncs)
	assert.Equal(t, PropPrefix, vs[0].Check, "n2 applied the FLUSHALL: nothing to excuse")
	assert.Equal(t, "node_log", vs[1].Check)
}
