package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A master's backlog holds at least min(repl-backlog-size, bytes fed since
// its creation) (mutant backlog.go:89:10 ignored a resize that grew it).
func TestBacklogHistlenLowerBound(t *testing.T) {
	settings := []SettingsChange{
		{At: 0, Node: "n1", Start: true, Settings: tap.Settings{ReplBacklogSize: 16384}},
		{At: 5e9, Node: "n1", Settings: tap.Settings{ReplBacklogSize: 65536}},
	}
	created := LogLine{Node: "n1", Proc: 1, At: 1e9, Settings: 1, ReplOffset: 1000, Format: logBacklogCreated,
		Msg: "Replication backlog created, my new replication IDs are 'a' and 'b'"}
	info := func(histlen string) InfoReading {
		return InfoReading{Node: "n1", Call: 9e9, Return: 9e9, Text: "# Replication\r\nrole:master\r\nmaster_repl_offset:101000\r\n" +
			"repl_backlog_active:1\r\nrepl_backlog_histlen:" + histlen + "\r\n"}
	}
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info("16384")}, []LogLine{created}, settings), "16 KB was in force since the creation")

	settings[0].ReplBacklogSize = 1 << 20
	v := CheckBacklogHistlen([]InfoReading{info("16384")}, []LogLine{created}, settings)
	require.Len(t, v, 1, "the corrupted reply: 16 KB held where 64 KB was always in force")
	assert.Contains(t, v[0].Detail, "holds at least 65536 bytes")
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info("65536")}, []LogLine{created}, settings))

	small := info("900")
	small.Text = "# Replication\r\nrole:master\r\nmaster_repl_offset:1900\r\nrepl_backlog_active:1\r\nrepl_backlog_histlen:900\r\n"
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{small}, []LogLine{created}, settings), "all 900 bytes fed since the creation")

	ended := LogLine{Node: "n1", Proc: 1, At: 2e9, Format: "MASTER <-> REPLICA sync started"}
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info("16384")}, []LogLine{created, ended}, settings), "the process turned replica")
	restarted := LogLine{Node: "n1", Proc: 2, At: 3e9, Format: "Server initialized"}
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info("16384")}, []LogLine{created, restarted}, settings), "another process")
}

func TestInfoReadingsTakeReplicationReplies(t *testing.T) {
	ops := []Op{
		{Kind: OpRead, Node: "n1", Args: []string{"INFO", "replication"}, Reply: `# Replication\r\nrole:master\r\n`},
		{Kind: OpRead, Node: "n1", Args: []string{"INFO", "memory"}, Reply: `# Memory\r\nused_memory:1\r\n`},
	}
	final := ReplInfoInput{At: 7, Nodes: []ReplInfoNode{{Name: "n2", Up: true, Info: "# Replication\r\nrole:slave\r\n"}, {Name: "n3"}}}
	got := InfoReadings(ops, final)
	require.Len(t, got, 2)
	assert.Equal(t, "master", infoFields(got[0].Text)["role"])
	assert.Equal(t, "slave", infoFields(got[1].Text)["role"])
	assert.Equal(t, int64(7), got[1].Call)
}
