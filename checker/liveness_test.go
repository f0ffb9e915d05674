package checker

import (
	"testing"
	"time"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms = int64(time.Millisecond)

// healed is master n1 (replication ID "R", offset 100 at the heal at 10 s)
// and its direct replica n2 over a 1 ms link, disk-based sync.
func healed() LivenessInput {
	return LivenessInput{Healed: true, HealAt: 10 * sec, AnchorAt: 10 * sec, AnchorOffset: 100, ReplID: "R",
		Master: "n1", FinalOffset: 150,
		Replicas: []LivenessReplica{{Name: "n2", Hops: []Hop{{Master: "n1", Replica: "n2", Latency: ms, ReplTimeout: 60 * sec}}}}}
}

// caughtUpBy adds n2 applying the stream past the anchor at t.
func caughtUpBy(in LivenessInput, t int64) LivenessInput {
	in.Chunks = append(in.Chunks, StreamChunk{At: t, Node: "n2", ReplID: "R", Start: 90, Data: make([]byte, 20), Replica: true})
	return in
}

func livenessOf(in LivenessInput) []Violation {
	vs, _ := CheckLiveness(in)
	return vs
}

// One hop's budget: two sync attempts of a cron, a job and 8 round trips.
func TestLivenessBudgetOfOneHop(t *testing.T) {
	in := healed()
	budget, parts := in.budget(in.Replicas[0], 0, 0, 12*sec)
	assert.Equal(t, 2*(LivenessCron+LivenessJob+16*time.Millisecond), budget)
	assert.Equal(t, "2 syncs n1->n2 2.282s", parts)

	assert.Empty(t, livenessOf(caughtUpBy(in, 12*sec)))
	vs := livenessOf(caughtUpBy(in, 13*sec))
	require.Len(t, vs, 1)
	assert.Equal(t, PropLiveness, vs[0].Check)
	assert.Equal(t, "replica n2 caught up with master n1 (offset 100 of R) 3s after the heal at 10.000000s, over its budget of 2.282s (2 syncs n1->n2 2.282s)", vs[0].Detail)
}

// A replica catches up through the stream, a full sync or a partial resync
// that had nothing to send (seen only in its state), whichever is first;
// nothing on another history or before the anchor counts.
func TestLivenessCaughtUpWays(t *testing.T) {
	late := 20 * sec
	cases := map[string]func(*LivenessInput){
		"stream": func(in *LivenessInput) {
			in.Chunks = append(in.Chunks, StreamChunk{At: 11 * sec, Node: "n2", ReplID: "R", Start: 99, Data: []byte("x"), Replica: true})
		},
		"full sync": func(in *LivenessInput) {
			in.FullSyncs = append(in.FullSyncs, FullSync{At: 11 * sec, Node: "n2", Master: "n1", ReplID: "R", Offset: 120})
		},
		"partial resync": func(in *LivenessInput) {
			in.Samples = append(in.Samples, ReplSample{At: 11 * sec, Node: "n2", Repl: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: 100, LinkUp: true}})
		},
		"already there at the heal": func(in *LivenessInput) {
			in.Samples = append(in.Samples, ReplSample{At: 10 * sec, Node: "n2", Repl: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: 100}})
		},
	}
	for name, add := range cases {
		t.Run(name, func(t *testing.T) {
			in := caughtUpBy(healed(), late)
			require.Len(t, livenessOf(in), 1, "only the late chunk: over budget")
			add(&in)
			assert.Empty(t, livenessOf(in))
		})
	}
	wrong := map[string]func(*LivenessInput){
		"another history": func(in *LivenessInput) {
			in.Chunks = append(in.Chunks, StreamChunk{At: 11 * sec, Node: "n2", ReplID: "OLD", Start: 99, Data: []byte("x"), Replica: true})
		},
		"short of the anchor": func(in *LivenessInput) {
			in.Chunks = append(in.Chunks, StreamChunk{At: 11 * sec, Node: "n2", ReplID: "R", Start: 90, Data: []byte("x"), Replica: true})
		},
		"the master's own stream": func(in *LivenessInput) {
			in.Chunks = append(in.Chunks, StreamChunk{At: 11 * sec, Node: "n2", ReplID: "R", Start: 99, Data: []byte("x")})
		},
		"another node": func(in *LivenessInput) {
			in.Samples = append(in.Samples, ReplSample{At: 11 * sec, Node: "n3", Repl: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: 100}})
		},
	}
	for name, add := range wrong {
		t.Run(name, func(t *testing.T) {
			in := healed()
			add(&in)
			in = caughtUpBy(in, late)
			assert.Len(t, livenessOf(in), 1)
		})
	}
}

// Each mechanism that can hold a sync up adds its own term.
func TestLivenessBudgetTerms(t *testing.T) {
	base := caughtUpBy(healed(), 12*sec)
	require.Empty(t, livenessOf(base))
	slow := caughtUpBy(healed(), 10*sec+30*sec)
	require.Len(t, livenessOf(slow), 1)

	cases := map[string]struct {
		change func(*LivenessInput)
		term   string
		within int64 // how late n2 may catch up with the term
	}{
		"silenced link": {func(in *LivenessInput) { in.Replicas[0].Hops[0].Silenced = true },
			"repl-timeout of a silenced link 1m1.1s", 62 * sec},
		"diskless delay": {func(in *LivenessInput) {
			h := &in.Replicas[0].Hops[0]
			h.Diskless, h.DisklessDelay = true, 20*sec
		}, "2 syncs n1->n2 44.482s", 44 * sec},
		"failed save": {func(in *LivenessInput) { in.Replicas[0].Hops[0].DiskFailed = true },
			"save retry on n1 5.125s", 7 * sec},
		// Redis retries a failed AOF write only while aof_buf holds data: a
		// failed rewrite's cleanup emptied it, so PING is refused until an
		// expiry's DEL gets in (seed 2094874).
		"stuck AOF write error": {func(in *LivenessInput) {
			in.Replicas[0].Hops[0].DiskFailed = true
			in.Lines = []LogLine{
				{Node: "n1", At: 5 * sec, Format: logAOFWriteError},
				{Node: "n1", At: 6 * sec, Format: logTempIncrGone},
				{Node: "n1", At: 200 * sec, Format: logAOFWriteSolved},
			}
		}, "stuck AOF write error on n1 3m10s", 195 * sec},
		"cut network": {func(in *LivenessInput) { in.NetCut = true }, "dial timeout 5s", 7 * sec},
		"clock set back": {func(in *LivenessInput) {
			in.Clocks = Clocks{"n2": {Segments: []ClockSegment{{Offset: 0}, {From: 5 * sec, Offset: -30 * sec}, {From: 6 * sec, Offset: -20 * sec}}}}
		}, "clocks set back 30s", 32 * sec},
		"bandwidth": {func(in *LivenessInput) {
			in.Replicas[0].Hops[0].Bandwidth = 1000
			in.Data = []tap.KeyValue{{Key: "k", Value: string(make([]byte, 9925))}}
		}, "2 syncs n1->n2 22.282s", 22 * sec},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := caughtUpBy(healed(), 10*sec+c.within)
			vs := livenessOf(in)
			require.Len(t, vs, 1, "without the term")
			c.change(&in)
			assert.Empty(t, livenessOf(in), "with the term")
			in = caughtUpBy(healed(), 10*sec+c.within+10*sec)
			c.change(&in)
			vs = livenessOf(in)
			require.Len(t, vs, 1, "10 s more than the term allows")
			assert.Contains(t, vs[0].Detail, c.term)
		})
	}
}

// A chained replica gets a full budget per hop; the master's restart after
// the heal moves the anchor.
func TestLivenessChainAndAnchor(t *testing.T) {
	in := healed()
	in.Replicas = append(in.Replicas, LivenessReplica{Name: "n3", Hops: []Hop{
		{Master: "n1", Replica: "n2", Latency: ms, ReplTimeout: 60 * sec},
		{Master: "n2", Replica: "n3", Latency: ms, ReplTimeout: 60 * sec}}})
	in = caughtUpBy(in, 11*sec)
	in.Chunks = append(in.Chunks, StreamChunk{At: 14 * sec, Node: "n3", ReplID: "R", Start: 99, Data: []byte("x"), Replica: true})
	assert.Empty(t, livenessOf(in), "4 s is within two hops' 4.6 s")
	in.Chunks[len(in.Chunks)-1].At = 15 * sec
	vs := livenessOf(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "replica n3 caught up with master n1 (offset 100 of R) 5s after the heal at 10.000000s, over its budget of 4.564s (2 syncs n1->n2 2.282s + 2 syncs n2->n3 2.282s)")

	in = caughtUpBy(healed(), 25*sec)
	in.AnchorAt = 24 * sec
	assert.Empty(t, livenessOf(in), "timed from the master's restart at 24 s")
}

// More full syncs after the heal than two per hop is a resync loop, even
// when the replica ends converged; syncs before the heal do not count.
func TestLivenessResyncLoop(t *testing.T) {
	in := caughtUpBy(healed(), 11*sec)
	sync := func(at int64) FullSync { return FullSync{At: at, Node: "n2", Master: "n1", ReplID: "R", Offset: 10} }
	in.FullSyncs = []FullSync{sync(5 * sec), sync(9 * sec), sync(11 * sec), sync(12 * sec)}
	vs, st := CheckLiveness(in)
	assert.Empty(t, vs)
	assert.Equal(t, 2, st.MostSyncs)

	in.FullSyncs = append(in.FullSyncs, sync(13*sec))
	vs, st = CheckLiveness(in)
	require.Len(t, vs, 1)
	assert.Equal(t, 3, st.MostSyncs)
	assert.Equal(t, PropLiveness, vs[0].Check)
	assert.Equal(t, "resync loop: replica n2 completed 3 full syncs after the heal at 10.000000s, more than 2 for its link n1 -> n2", vs[0].Detail)
}

// A SHUTDOWN still waiting for replicas at the heal exits after it (seed
// 2045416): the replica's own restart and its master's each start its
// history over, so only the syncs after the latest restart on its path
// count; a loop after it is still one.
func TestLivenessResyncAfterPendingShutdown(t *testing.T) {
	in := caughtUpBy(healed(), 11*sec)
	sync := func(at int64) FullSync { return FullSync{At: at, Node: "n2", Master: "n1", ReplID: "R", Offset: 10} }
	// n2 syncs as the heal lets its transfer through, exits at 10.1 s on
	// its SHUTDOWN (its sub-replica dropped), syncs again after its
	// restart; master n1 exits at its shutdown-timeout and restarts empty.
	in.FullSyncs = []FullSync{sync(10*sec + 1*ms), sync(11 * sec), sync(13 * sec)}
	in.Restarts = []Restart{{Node: "n3", RestartAt: 12 * sec}, {Node: "n2", RestartAt: 9 * sec}}
	vs, st := CheckLiveness(in)
	require.Len(t, vs, 1, "n3 is not on n2's path, and n2's restart before the heal changes nothing")
	assert.Equal(t, "resync loop: replica n2 completed 3 full syncs after the heal at 10.000000s, more than 2 for its link n1 -> n2", vs[0].Detail)
	assert.Equal(t, 3, st.MostSyncs)

	in.Restarts = []Restart{{Node: "n2", RestartAt: 10*sec + 100*ms}, {Node: "n1", RestartAt: 12 * sec}}
	vs, st = CheckLiveness(in)
	assert.Empty(t, vs)
	assert.Equal(t, 1, st.MostSyncs, "only the sync after master n1's restart")

	in.Restarts = in.Restarts[:1]
	vs, st = CheckLiveness(in)
	assert.Empty(t, vs, "the replica's own restart")
	assert.Equal(t, 2, st.MostSyncs)

	in.FullSyncs = append(in.FullSyncs, sync(14*sec))
	vs, _ = CheckLiveness(in)
	require.Len(t, vs, 1)
	assert.Equal(t, "resync loop: replica n2 completed 3 full syncs after n2 restarted at 10.100000s, more than 2 for its link n1 -> n2", vs[0].Detail)

	in.AnchorAt = 12 * sec
	vs, st = CheckLiveness(in)
	assert.Empty(t, vs, "the master's promotion after the heal anchors the count too")
	assert.Equal(t, 2, st.MostSyncs)
}

// A run that never healed, a replica that never caught up (the
// convergence check's to report) and a run with no master are not judged.
func TestLivenessNotJudged(t *testing.T) {
	in := healed()
	vs, st := CheckLiveness(in)
	assert.Empty(t, vs)
	assert.Zero(t, st.Judged)

	in = caughtUpBy(healed(), 100*sec)
	in.Healed = false
	assert.Empty(t, livenessOf(in))
	in.Healed, in.Master = true, ""
	assert.Empty(t, livenessOf(in))
}
