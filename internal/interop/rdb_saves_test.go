package interop

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/redistest"
)

// rdbSavesAfterDiskSync is a master's INFO rdb_saves after one replica's
// full sync to disk (repl-diskless-sync no) and nothing else.
func rdbSavesAfterDiskSync(t *testing.T, master *redistest.Server) int64 {
	replica := startRedis(t, "--replicaof", "127.0.0.1", port(master))
	waitLink(t, replica.Dial(t), "up")
	return infoInt(t, master.Dial(t), "persistence", "rdb_saves")
}

// A BGSAVE for SYNC to disk is rdbSaveBackground, which counts in
// rdb_saves (stat_rdb_saves); one to replicas' sockets is not. replsim
// counts as redis-server does.
func TestDiskSyncCountsInRDBSaves(t *testing.T) {
	theirs := rdbSavesAfterDiskSync(t, startRedis(t))
	ours := rdbSavesAfterDiskSync(t, startReplsim(t, "--save", "", "--repl-diskless-sync", "no"))
	assert.Equal(t, int64(1), theirs, "redis-server")
	assert.Equal(t, theirs, ours, "replsim")
}
