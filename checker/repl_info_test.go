package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// healthyReplInfo is a master n1 with replicas n2 and n3, links up, read
// at 10s of virtual time just as every node ran its replicationCron.
func healthyReplInfo() ReplInfoInput {
	master := "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n" +
		"slave0:ip=n2,port=6380,state=online,offset=100,lag=0\r\n" +
		"slave1:ip=n3,port=6381,state=online,offset=90,lag=1\r\n" +
		"master_replid:" + strings.Repeat("ab", 20) + "\r\nmaster_replid2:" + strings.Repeat("0", 40) + "\r\nmaster_repl_offset:100\r\nsecond_repl_offset:-1\r\n"
	replica := func() string {
		return "# Replication\r\nrole:slave\r\nmaster_host:n1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n" +
			"master_last_io_seconds_ago:1\r\nconnected_slaves:0\r\n"
	}
	const at = 10 * 1e9
	clock := FixedClock(0, 0)
	return ReplInfoInput{Healed: true, At: at, Nodes: []ReplInfoNode{
		{Name: "n1", Port: 6379, Up: true, Info: master, ReplTimeoutSec: 60, Clock: clock, ReplCronAt: at,
			RoleReplicas: []RoleReplica{{IP: "n2", Port: "6380", Offset: 100}, {IP: "n3", Port: "6381", Offset: 90}}},
		{Name: "n2", Port: 6380, Up: true, Info: replica(), ReplTimeoutSec: 60, Clock: clock, ReplCronAt: at},
		{Name: "n3", Port: 6381, Up: true, Info: replica(), ReplTimeoutSec: 60, Clock: clock, ReplCronAt: at},
	}}
}

func TestReplInfoHealthy(t *testing.T) {
	assert.Empty(t, CheckReplInfo(healthyReplInfo()))
	in := healthyReplInfo()
	in.Healed = false
	in.Nodes[0].Info = "role:master\r\n"
	assert.Empty(t, CheckReplInfo(in), "an unhealed run is not judged")
}

func TestReplInfoCorrupted(t *testing.T) {
	replace := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	cases := map[string]struct {
		edit func(in *ReplInfoInput)
		want string
	}{
		"replica's ip missing": {func(in *ReplInfoInput) { in.Nodes[0].Info = replace(in.Nodes[0].Info, "ip=n2,", "ip=,") },
			"does not list replica n2:6380"},
		"wrong port": {func(in *ReplInfoInput) { in.Nodes[0].Info = replace(in.Nodes[0].Info, "port=6381", "port=6379") },
			"does not list replica n3:6381"},
		"offset beyond the master's": {func(in *ReplInfoInput) { in.Nodes[0].Info = replace(in.Nodes[0].Info, "offset=90", "offset=101") },
			"at offset 101, master_repl_offset is 100"},
		"lag beyond repl-timeout": {func(in *ReplInfoInput) { in.Nodes[0].Info = replace(in.Nodes[0].Info, "lag=1", "lag=61") },
			"with lag 61"},
		"not online": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "state=online,offset=90", "state=wait_bgsave,offset=90")
		}, `in state "wait_bgsave"`},
		"missing from ROLE": {func(in *ReplInfoInput) { in.Nodes[0].RoleReplicas = in.Nodes[0].RoleReplicas[:1] },
			"ROLE does not list replica n3:6381"},
		"last I/O too old": {func(in *ReplInfoInput) {
			in.Nodes[1].Info = replace(in.Nodes[1].Info, "master_last_io_seconds_ago:1", "master_last_io_seconds_ago:61")
		}, `master_last_io_seconds_ago is "61"`},
		"an empty replid2": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "master_replid2:"+strings.Repeat("0", 40), "master_replid2:")
		}, `master_replid2 is "" with second_repl_offset "-1"`},
		"no secondary ID with an offset": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "second_repl_offset:-1", "second_repl_offset:0")
		}, `second_repl_offset "0"`},
		"a secondary ID without an offset": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "master_replid2:"+strings.Repeat("0", 40), "master_replid2:"+strings.Repeat("cd", 20))
		}, `second_repl_offset "-1"`},
		"the secondary ID is the first": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "master_replid2:"+strings.Repeat("0", 40), "master_replid2:"+strings.Repeat("ab", 20))
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "second_repl_offset:-1", "second_repl_offset:101")
		}, "master_replid2 equals master_replid"},
		"a short replid": {func(in *ReplInfoInput) {
			in.Nodes[0].Info = replace(in.Nodes[0].Info, "master_replid:"+strings.Repeat("ab", 20), "master_replid:abc")
		}, `master_replid is "abc"`},
		"wrong master port": {func(in *ReplInfoInput) {
			in.Nodes[2].Info = replace(in.Nodes[2].Info, "master_port:6379", "master_port:6380")
		},
			"master_port 6380"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := healthyReplInfo()
			tc.edit(&in)
			vs := CheckReplInfo(in)
			require.NotEmpty(t, vs)
			assert.Equal(t, "repl_info", vs[0].Check)
			assert.Contains(t, vs[0].Detail, tc.want)
		})
	}
}

// Redis times a link out only in replicationCron (once a second): until
// the next run after a forward clock jump, a replica's last I/O and a
// master's lag for a replica read as old as the jump makes them. Seed
// 2004306: n4's clock jumped 90.12s forward 0.07s after its
// replicationCron, and at the read, 0.71s after that run,
// master_last_io_seconds_ago was 91.
func TestReplInfoClockJumpBeforeReplicationCron(t *testing.T) {
	jumped := func(in *ReplInfoInput, node int, cronAt int64) {
		n := &in.Nodes[node]
		n.Clock = NodeClock{Segments: []ClockSegment{{}, {From: 9.3e9, Offset: 90.12e9}}}
		n.ReplCronAt = cronAt
	}
	io91 := func(in *ReplInfoInput) {
		in.Nodes[1].Info = strings.Replace(in.Nodes[1].Info, "master_last_io_seconds_ago:1", "master_last_io_seconds_ago:91", 1)
	}
	lag91 := func(in *ReplInfoInput) { in.Nodes[0].Info = strings.Replace(in.Nodes[0].Info, "lag=1", "lag=91", 1) }

	// The jump came after the node's last replicationCron: allowed.
	in := healthyReplInfo()
	io91(&in)
	lag91(&in)
	jumped(&in, 0, 9.29e9)
	jumped(&in, 1, 9.29e9)
	assert.Empty(t, CheckReplInfo(in))

	// A replicationCron ran since the jump: it should have dropped both.
	in = healthyReplInfo()
	io91(&in)
	lag91(&in)
	jumped(&in, 0, 9.5e9)
	jumped(&in, 1, 9.5e9)
	vs := CheckReplInfo(in)
	require.Len(t, vs, 2)
	assert.Contains(t, vs[0].Detail, `n2: link up, but master_last_io_seconds_ago is "91" (repl-timeout 60, at most 61 since its last replicationCron)`)
	assert.Contains(t, vs[1].Detail, "n1: INFO lists replica n3:6381 with lag 91 (repl-timeout 60, at most 61")

	// Without a jump, a second between runs: repl-timeout + 1, not more.
	in = healthyReplInfo()
	in.Nodes[1].Info = strings.Replace(in.Nodes[1].Info, "master_last_io_seconds_ago:1", "master_last_io_seconds_ago:61", 1)
	in.Nodes[1].ReplCronAt = in.At - 0.9e9
	assert.Empty(t, CheckReplInfo(in))
	in.Nodes[1].Info = strings.Replace(in.Nodes[1].Info, "master_last_io_seconds_ago:61", "master_last_io_seconds_ago:62", 1)
	vs = CheckReplInfo(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `master_last_io_seconds_ago is "62"`)

	// A clock set back then forward since the run: the I/O may have come
	// at the lowest reading.
	in = healthyReplInfo()
	in.Nodes[1].Info = strings.Replace(in.Nodes[1].Info, "master_last_io_seconds_ago:1", "master_last_io_seconds_ago:140", 1)
	in.Nodes[1].Clock = NodeClock{Segments: []ClockSegment{{}, {From: 9.3e9, Offset: -80e9}, {From: 9.6e9, Offset: 0}}}
	in.Nodes[1].ReplCronAt = 9.2e9
	assert.Empty(t, CheckReplInfo(in))
}

// A master that freed a replica's client (here on repl-timeout after its
// clock jumped) no longer lists it, while the replica, the close still on
// its way (0.79s of latency), says its link is up. Seed 2002504.
func TestReplInfoMasterClosedLink(t *testing.T) {
	in := healthyReplInfo()
	in.Nodes[0].Info = strings.Replace(in.Nodes[0].Info, "slave0:ip=n2,port=6380,state=online,offset=100,lag=0\r\n", "", 1)
	in.Nodes[0].RoleReplicas = in.Nodes[0].RoleReplicas[1:]
	vs := CheckReplInfo(in)
	require.Len(t, vs, 2, "the master end still open: it must list n2")
	assert.Contains(t, vs[0].Detail, "INFO replication does not list replica n2:6380")
	assert.Contains(t, vs[1].Detail, "ROLE does not list replica n2:6380")
	in.Nodes[1].MasterClosed = true
	assert.Empty(t, CheckReplInfo(in))
}

// A replica that crashed behind a partition and came back leaves its old
// link at the master, listed in the state it was left in (seed 2600493:
// a full sync still waiting): one entry of its name must be the live,
// online link; with none online the rule still bites.
func TestReplInfoStaleDuplicateLink(t *testing.T) {
	in := healthyReplInfo()
	live := "slave0:ip=n2,port=6380,state=online,offset=100,lag=0\r\n"
	require.Contains(t, in.Nodes[0].Info, live)
	in.Nodes[0].Info = strings.Replace(in.Nodes[0].Info, live, "slave0:ip=n2,port=6380,state=wait_bgsave,offset=0,lag=0\r\n"+strings.Replace(live, "slave0", "slave9", 1), 1)
	assert.Empty(t, CheckReplInfo(in))
	in = healthyReplInfo()
	in.Nodes[0].Info = strings.Replace(in.Nodes[0].Info, live, "slave0:ip=n2,port=6380,state=wait_bgsave,offset=0,lag=0\r\nslave9:ip=n2,port=6380,state=send_bulk,offset=0,lag=0\r\n", 1)
	vs := CheckReplInfo(in)
	require.Len(t, vs, 1, "%v", vs)
	assert.Contains(t, vs[0].Detail, `in state "wait_bgsave" though its link is up`)
}

func TestManifests(t *testing.T) {
	good := "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	assert.Empty(t, CheckManifests([]ManifestFile{{Node: "n1", Text: good},
		{Node: "n2", Text: "file \"odd name.aof\" seq 2 type h\n"},
		{Node: "n3", Text: "file \"caf\\xc3\\xa9.aof.1.incr.aof\" seq 1 type i\nfile back~up.aof.2.incr.aof seq 2 type i\n"},
		// Seed 3957943: the incr seq wrapped past LLONG_MAX, as in Redis.
		{Node: "n4", Text: "file appendonly.aof.-9223372036854775808.incr.aof seq -9223372036854775808 type i\n"},
		// Seed 6079906: five rewrites after the wrap.
		{Node: "n5", Text: "file appendonly.aof.-9223372036854775803.incr.aof seq -9223372036854775803 type i\n"}}))
	base := "REDIS0010\xfa\x09redis-ver\x067.0.15" + aofBaseAux + "\xff"
	assert.Empty(t, CheckManifests([]ManifestFile{{Node: "n1", Text: good, Bases: map[string]string{"appendonly.aof.1.base.rdb": base}}}))
	vs := CheckManifests([]ManifestFile{{Node: "n1", Text: good,
		Bases: map[string]string{"appendonly.aof.1.base.rdb": strings.Replace(base, "\xc0\x01", "\xc0\x00", 1)}}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "does not carry the AUX field aof-base 1")
	for text, want := range map[string]string{
		"": "empty manifest",
		"file \"appendonly.aof.1.base.rdb\" seq 1 type b\n": "quotes a name that needs no quotes",
		"file appendonly.aof.1.base.rdb seq 1 type b":       "last line not terminated",
		"file appendonly.aof.1.base.rdb type b seq 1\n":     "is not as Redis writes it",
		"file appendonly.aof.1.incr.aof seq -1 type i\n":    "is not as Redis writes it",
		// Redis quotes a name with a byte that is not printable ASCII.
		"file caf\xc3\xa9.aof.1.incr.aof seq 1 type i\n": "is not as Redis writes it",
		"file del\x7f.aof.1.incr.aof seq 1 type i\n":     "is not as Redis writes it",
		"file ctl\x01.aof.1.incr.aof seq 1 type i\n":     "is not as Redis writes it",
		"file \"back~up.aof.1.incr.aof\" seq 1 type i\n": "quotes a name that needs no quotes",
	} {
		vs := CheckManifests([]ManifestFile{{Node: "n1", Text: text}})
		require.Len(t, vs, 1, text)
		assert.Contains(t, vs[0].Detail, want)
	}
}

// A replica synced with SYNC sends no ACKs and its master never times it
// out (CLIENT_PRE_PSYNC): its lag grows without bound (seed 20284). One
// synced with PSYNC is still held to repl-timeout.
func TestReplInfoLagOfASyncReplica(t *testing.T) {
	in := healthyReplInfo()
	in.Nodes[0].Info = strings.Replace(in.Nodes[0].Info, "lag=1", "lag=244", 1)
	require.Len(t, CheckReplInfo(in), 1)
	in.Nodes[2].BySYNC = true
	assert.Empty(t, CheckReplInfo(in))
	in.Nodes[1].BySYNC, in.Nodes[2].BySYNC = true, false
	assert.Len(t, CheckReplInfo(in), 1, "the lag is n3's")
}

// A replica's master client keeps no applied stream in its query buffer
// once nothing more of its master's is on the way.
func TestReplInfoMasterQueryBuffer(t *testing.T) {
	line := func(qbuf, flags string) string {
		return "id=3 addr=n1:6379 laddr=127.0.0.1:6380 fd=8 name= age=9 idle=0 flags=" + flags + " db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=" + qbuf + " qbuf-free=0 cmd=ping"
	}
	in := healthyReplInfo()
	in.Nodes[1].MasterClient = line("0", "M")
	assert.Empty(t, CheckReplInfo(in))

	in.Nodes[1].MasterClient = line("120", "M")
	v := CheckReplInfo(in)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "n2: its master client holds qbuf=120 with nothing of its master's still on the way")

	in.Nodes[1].MasterInFlight = true
	assert.Empty(t, CheckReplInfo(in), "the rest of a split command on its way")
	in.Nodes[1].MasterInFlight = false
	in.Nodes[1].MasterClient = line("120", "Mx")
	assert.Empty(t, CheckReplInfo(in), "a MULTI of its master's open")
}
