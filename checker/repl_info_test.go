package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// healthyReplInfo is a master n1 with replicas n2 and n3, links up.
func healthyReplInfo() ReplInfoInput {
	master := "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n" +
		"slave0:ip=n2,port=6380,state=online,offset=100,lag=0\r\n" +
		"slave1:ip=n3,port=6381,state=online,offset=90,lag=1\r\n" +
		"master_replid:abc\r\nmaster_repl_offset:100\r\n"
	replica := func() string {
		return "# Replication\r\nrole:slave\r\nmaster_host:n1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n" +
			"master_last_io_seconds_ago:1\r\nconnected_slaves:0\r\n"
	}
	return ReplInfoInput{Healed: true, Nodes: []ReplInfoNode{
		{Name: "n1", Port: 6379, Up: true, Info: master, ReplTimeoutSec: 60,
			RoleReplicas: []RoleReplica{{IP: "n2", Port: "6380", Offset: 100}, {IP: "n3", Port: "6381", Offset: 90}}},
		{Name: "n2", Port: 6380, Up: true, Info: replica(), ReplTimeoutSec: 60},
		{Name: "n3", Port: 6381, Up: true, Info: replica(), ReplTimeoutSec: 60},
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

func TestManifests(t *testing.T) {
	good := "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	assert.Empty(t, CheckManifests([]ManifestFile{{Node: "n1", Text: good},
		{Node: "n2", Text: "file \"odd name.aof\" seq 2 type h\n"}}))
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
	} {
		vs := CheckManifests([]ManifestFile{{Node: "n1", Text: text}})
		require.Len(t, vs, 1, text)
		assert.Contains(t, vs[0].Detail, want)
	}
}
