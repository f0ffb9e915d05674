package checker

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keepaliveHistory is master n1's runs 0..12 with one replica and
// repl-ping-replica-period 5, each run's tick two Seq long, and the PINGs
// Redis feeds, in runs 5 and 10; pings adds one in each run listed.
func keepaliveHistory(extra ...int) KeepaliveInput {
	var in KeepaliveInput
	for r := range 13 {
		run := KeepaliveRun{Node: "n1", At: int64(r) * 1e9, Run: int64(r), From: 2 * r, To: 2*r + 2,
			Master: true, Replicas: 1, Period: 5}
		in.Runs = append(in.Runs, run)
	}
	ping := func(r int) {
		in.Chunks = append(in.Chunks, StreamChunk{Seq: 2*r + 1, At: int64(r) * 1e9, Node: "n1", ReplID: "a", Data: []byte("*1\r\n$4\r\nping\r\n")})
	}
	ping(5)
	ping(10)
	for _, r := range extra {
		ping(r)
	}
	return in
}

func TestKeepalivePingsOnSchedule(t *testing.T) {
	in := keepaliveHistory()
	// Other stream bytes, and the replica's copy of a PING, are no PINGs of
	// the master's.
	in.Chunks = append(in.Chunks,
		StreamChunk{Seq: 7, Node: "n1", Data: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")},
		StreamChunk{Seq: 9, Node: "n2", Replica: true, Data: []byte("*1\r\n$4\r\nping\r\n")})
	assert.Empty(t, CheckKeepalivePings(in))
}

func TestKeepaliveMissingPing(t *testing.T) {
	in := keepaliveHistory()
	in.Chunks = in.Chunks[:1] // run 10's PING never came
	v := CheckKeepalivePings(in)
	require.Len(t, v, 1)
	assert.Equal(t, PropKeepalive, v[0].Check)
	assert.Contains(t, v[0].Detail, "n1 fed 0 PINGs to its replicas in replicationCron run 10, as master with 1 replicas attached and repl-ping-replica-period 5; Redis feeds 1")
}

func TestKeepaliveExtraPings(t *testing.T) {
	for name, c := range map[string]struct {
		run   int
		alter func(*KeepaliveRun)
	}{
		"off the period":  {run: 6},
		"in run 0":        {run: 0},
		"a second in one": {run: 5},
		"no replica":      {run: 10, alter: func(r *KeepaliveRun) { r.Replicas = 0 }},
		"as a replica":    {run: 10, alter: func(r *KeepaliveRun) { r.Master = false }},
		"period changed":  {run: 10, alter: func(r *KeepaliveRun) { r.Period = 3 }},
	} {
		t.Run(name, func(t *testing.T) {
			var in KeepaliveInput
			if c.alter == nil {
				in = keepaliveHistory(c.run)
			} else {
				in = keepaliveHistory()
				c.alter(&in.Runs[c.run])
			}
			v := CheckKeepalivePings(in)
			require.Len(t, v, 1)
			assert.Contains(t, v[0].Detail, "replicationCron run "+strconv.Itoa(c.run)+",")
		})
	}
}

func TestKeepalivePingOutsideRuns(t *testing.T) {
	in := keepaliveHistory()
	in.Chunks = append(in.Chunks, StreamChunk{Seq: 100, At: 20e9, Node: "n1", Start: 42, Data: []byte("*1\r\n$4\r\nping\r\n")})
	v := CheckKeepalivePings(in)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "n1 fed a PING into its replication stream at offset 42 outside any replicationCron run")
}

// A run the node woke into from DEBUG SLEEP ran the events it held first
// (a replica attaching or leaving, a CONFIG SET), one it went down in may
// not have run: it may feed one PING or none, except in run 0.
func TestKeepalivePartialRun(t *testing.T) {
	in := keepaliveHistory(7)
	in.Runs[7].Partial = true
	assert.Empty(t, CheckKeepalivePings(in))
	in = keepaliveHistory()
	in.Runs[10].Partial = true
	in.Chunks = in.Chunks[:1]
	assert.Empty(t, CheckKeepalivePings(in))

	in = keepaliveHistory(7, 7)
	in.Runs[7].Partial = true
	v := CheckKeepalivePings(in)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "n1 fed 2 PINGs to its replicas in replicationCron run 7 (in a tick it woke into from a busy spell or went down in)")
}

// run_with_period(1000): every hz-th serverCron from the first; at hz 1
// every one.
func TestReplCronDue(t *testing.T) {
	var due []int64
	for c := range int64(25) {
		if ReplCronDue(c, 10) {
			due = append(due, c)
		}
	}
	assert.Equal(t, []int64{0, 10, 20}, due)
	assert.True(t, ReplCronDue(3, 1))
	assert.True(t, ReplCronDue(6, 3), "1000/(1000/3) = 3")
	assert.False(t, ReplCronDue(300, 300), "1000/(1000/300) = 333")
	assert.True(t, ReplCronDue(333, 300))
	assert.False(t, ReplCronDue(0, 0))
}
