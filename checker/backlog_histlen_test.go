package checker

import (
	"fmt"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A master's backlog holds at least what Redis's trimming leaves (mutant
// backlog.go:89:10 ignored a resize that grew it).
func TestBacklogHistlenLowerBound(t *testing.T) {
	settings := []SettingsChange{
		{At: 0, Node: "n1", Start: true, Settings: tap.Settings{ReplBacklogSize: 16384}},
		{At: 5e9, Node: "n1", Settings: tap.Settings{ReplBacklogSize: 65536}, OffsetBefore: 89000, OffsetAfter: 90000},
	}
	created := LogLine{Node: "n1", Proc: 1, At: 1e9, Settings: 1, ReplOffset: 1000, Format: logBacklogCreated,
		Msg: "Replication backlog created, my new replication IDs are 'a' and 'b'"}
	info := func(offset int, histlen int) InfoReading {
		return InfoReading{Node: "n1", Call: 9e9, Return: 9e9, Text: fmt.Sprintf("# Replication\r\nrole:master\r\nmaster_repl_offset:%d\r\n"+
			"repl_backlog_active:1\r\nrepl_backlog_histlen:%d\r\n", offset, histlen)}
	}
	lines := []LogLine{created}
	// 16 KB held at the growth, then 11,000 bytes fed under 64 KB.
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info(101000, 16384+11000)}, lines, settings))
	v := CheckBacklogHistlen([]InfoReading{info(101000, 16384)}, lines, settings)
	require.Len(t, v, 1, "the corrupted reply: the growth ignored")
	assert.Contains(t, v[0].Detail, "holds at least 27384 bytes")
	assert.Contains(t, v[0].Detail, "repl-backlog-size 16384, then 65536")

	shrunk := append(settings[:2:2], SettingsChange{At: 6e9, Node: "n1", Settings: tap.Settings{ReplBacklogSize: 16384},
		OffsetBefore: 95000, OffsetAfter: 95000})
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info(101000, 16384)}, lines, shrunk), "shrunk back: 16 KB is all it must hold")
	v = CheckBacklogHistlen([]InfoReading{info(101000, 16000)}, lines, shrunk)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "holds at least 16384 bytes")

	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info(1900, 900)}, lines, settings[:1]), "all 900 bytes fed since the creation")
	v = CheckBacklogHistlen([]InfoReading{info(1900, 899)}, lines, settings[:1])
	require.Len(t, v, 1)

	during := info(101000, 16384)
	during.Call = 4e9
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{during}, lines, settings), "resized while the INFO was in flight")
	ended := LogLine{Node: "n1", Proc: 1, At: 2e9, Format: "MASTER <-> REPLICA sync started"}
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info(101000, 16384)}, []LogLine{created, ended}, settings), "the process turned replica")
	restarted := LogLine{Node: "n1", Proc: 2, At: 3e9, Format: "Server initialized"}
	assert.Empty(t, CheckBacklogHistlen([]InfoReading{info(101000, 16384)}, []LogLine{created, restarted}, settings), "another process")
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
