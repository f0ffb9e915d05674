package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A BGSAVE for SYNC to disk is a BGSAVE of dump.rdb (rdbSaveBackground):
// the file is written, and its end sets the save's status, time and the
// change count as any BGSAVE's does; one that fails fails the waiting
// replica and leaves the status err, so writes get MISCONF with save rules.
func TestSyncSaveToDiskIsABgsave(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = []node.SaveRule{{Seconds: 3600, Changes: 1}}
	cfg.ReplDisklessSync = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	_, out := psync(h, false)
	require.True(t, strings.HasPrefix(out, "+FULLRESYNC "), out)
	ticks(h, 300*time.Millisecond)
	data, err := h.Env.FS().ReadFile(cfg.DBFilename)
	require.NoError(t, err, "the sync's save wrote dump.rdb")
	assert.Contains(t, string(data), "REDIS0010")
	info := h.DoString(c, "INFO", "persistence")
	assert.Contains(t, info, "rdb_last_bgsave_status:ok")
	assert.Contains(t, info, "rdb_changes_since_last_save:0")

	eio := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpWrite), Probability: 1, Enabled: true}
	require.NoError(t, h.Env.Disk().AddInjector(eio))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "w"))
	r2, out := psync(h, false)
	require.True(t, strings.HasPrefix(out, "+FULLRESYNC "), out)
	ticks(h, 300*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Background saving error"))
	assert.Equal(t, 1, countLogs(h, "SYNC failed. BGSAVE child returned an error"))
	assert.True(t, h.Env.Closed(r2))
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_last_bgsave_status:err")
	assert.True(t, strings.HasPrefix(h.DoString(c, "SET", "k", "x"), "-MISCONF "))
}
