package checker

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBacklogHeld(t *testing.T) {
	created := func(at, off int64, settings int) LogLine {
		return LogLine{Node: "n1", At: at, ReplOffset: off, Settings: settings, Format: logBacklogCreated,
			Args: []string{"aa", zeroReplID}, Msg: "Replication backlog created, my new replication IDs are 'aa' and '" + zeroReplID + "'"}
	}
	refused := func(at, req, off int64, settings int) LogLine {
		return LogLine{Node: "n1", At: at, ReplOffset: off, Settings: settings, Format: logNoBacklog, Args: []string{"n2:6379", strconv.FormatInt(req, 10)},
			Msg: "Unable to partial resync with replica n2:6379 for lack of backlog (Replica request was: " + strconv.FormatInt(req, 10) + ")."}
	}
	size := func(at, s int64) SettingsChange {
		return SettingsChange{At: at, Node: "n1", Settings: tap.Settings{ReplBacklogSize: s}}
	}
	other := SettingsChange{At: 1, Node: "n2", Settings: tap.Settings{ReplBacklogSize: 10}}
	settings := []SettingsChange{size(0, 16384), other}

	// Created at offset 100 with 16 KB: at offset 5,000 it holds 101..5000.
	v := backlogHeld([]LogLine{created(1, 100, 2), refused(2, 200, 5000, 2)}, settings)
	require.Len(t, v, 1, "a request the backlog holds, refused")
	assert.Contains(t, v[0].Detail, "holds offsets 101 to 5000")
	assert.Len(t, backlogHeld([]LogLine{created(1, 100, 2), refused(2, 5001, 5000, 2)}, settings), 1, "one past the offset: a +CONTINUE with nothing to send")

	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 2), refused(2, 100, 5000, 2)}, settings), "before the backlog's first byte")
	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 2), refused(2, 5002, 5000, 2)}, settings), "beyond the offset")
	assert.Empty(t, backlogHeld([]LogLine{refused(2, 200, 5000, 2)}, settings), "no backlog the log shows")
	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 2), {Node: "n1", At: 2, Format: logBacklogFreed}, refused(3, 200, 5000, 2)}, settings), "freed")
	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 2), {Node: "n1", At: 2, Format: "Connecting to MASTER %s:%d"}, refused(3, 200, 5000, 2)}, settings), "turned replica")
	restarted := refused(3, 200, 5000, 2)
	restarted.Proc = 1
	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 2), restarted}, settings), "another process")

	// Shrunk to 1,000 and grown back: the history beyond 1,000 bytes may be gone.
	resized := []SettingsChange{size(0, 16384), size(3, 1000), size(4, 16384)}
	assert.Empty(t, backlogHeld([]LogLine{created(1, 100, 1), refused(5, 200, 5000, 3)}, resized), "shrunk since")
	assert.Len(t, backlogHeld([]LogLine{created(1, 100, 1), refused(5, 4500, 5000, 3)}, resized), 1, "within the smallest size")
	assert.Len(t, backlogHeld([]LogLine{created(4, 100, 3), refused(5, 200, 5000, 3)}, resized), 1, "shrunk before the creation: the 1,000 no longer counts once grown")
}
