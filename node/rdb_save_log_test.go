package node

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rdbSave logs which step of the save failed, in Redis 7.0.15's words
// (rdb.c rdbSave): SAVE in the server, BGSAVE in its child, followed by
// the parent's "Background saving error".
func TestRDBSaveFailureLines(t *testing.T) {
	// LZF cannot shrink the large value: it stays above glibc's buffer.
	var b strings.Builder
	for x := uint32(1); b.Len() < 5000; x = x*1103515245 + 12345 {
		b.WriteByte(byte('a' + x>>16%26))
	}
	small, large := "v", b.String()
	cases := []struct {
		name  string
		op    disksim.Op
		value string
		line  string
	}{
		{"open", disksim.OpCreate, small, "Failed opening the temp RDB file temp-1.rdb (in server root dir /srv/redis) for saving: Input/output error"},
		{"small write", disksim.OpWrite, small, "Write error saving DB on disk(fflush): Input/output error"},
		{"large write", disksim.OpWrite, large, "Write error saving DB on disk(rdbSaveRio): Input/output error"},
		{"fsync", disksim.OpSync, small, "Write error saving DB on disk(fsync): Input/output error"},
		{"rename", disksim.OpRename, small, "Error moving temp DB file temp-1.rdb on the final destination dump.rdb (in server root dir /srv/redis): Input/output error"},
		{"directory fsync", disksim.OpSyncDir, small, "Write error saving DB on disk(fsyncFileDir): Input/output error"},
	}
	for _, tc := range cases {
		for _, cmd := range []string{"SAVE", "BGSAVE"} {
			t.Run(tc.name+" "+cmd, func(t *testing.T) {
				cfg := persistConfig()
				cfg.Dir = "/srv/redis"
				a := startNode(t, cfg, nil)
				require.Equal(t, "OK", a.do("SET", "k", tc.value))
				require.NoError(t, a.env.fs.AddInjector(&disksim.Injector{Name: "eio", Ops: disksim.Ops(tc.op),
					Probability: 1, Err: vfs.ErrIO, Enabled: true}))
				if cmd == "SAVE" {
					assert.Equal(t, "(error) ERR", a.do("SAVE"))
					assert.Equal(t, []string{tc.line}, a.env.logsFrom(tc.line, 1))
					return
				}
				require.Equal(t, "Background saving started", a.do("BGSAVE"))
				a.runJobs()
				assert.Equal(t, []string{tc.line, "Background saving error"}, a.env.logsFrom(tc.line, 2))
			})
		}
	}
}
