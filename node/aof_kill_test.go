package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A rewrite child that has written its temp base but not yet been reaped
// when it is killed (a node paused while its child finished, then told to
// stop the AOF) leaves no temp file: killAppendOnlyChild removes it
// (aofRemoveTempFile), the job's end is ignored. Chaos seed 6033201.
func TestKilledRewriteRemovesWrittenTempBase(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	tn := startNode(t, cfg, nil)
	require.Equal(t, "OK", tn.do("SET", "k", "v"))
	require.Contains(t, tn.do("BGREWRITEAOF"), "Background append only file rewriting started")
	require.Len(t, tn.env.jobs, 1)
	j := tn.env.jobs[0]
	tn.env.jobs = nil
	jobErr := j.run(tn.env.fs)
	require.NoError(t, jobErr)
	require.NotEmpty(t, tempRewriteFiles(t, tn), "the job wrote its temp base")

	require.Equal(t, "OK", tn.do("CONFIG", "SET", "appendonly", "no"))
	tn.n.OnJobDone(j.id, jobErr)

	require.Empty(t, tempRewriteFiles(t, tn))
	require.Contains(t, strings.Join(tn.env.logs, "\n"), "Killing running AOF rewrite child")
}

func tempRewriteFiles(t *testing.T, tn *testNode) []string {
	t.Helper()
	names, err := tn.env.fs.List(tn.n.cfg.AppendDirname)
	require.NoError(t, err)
	var temps []string
	for _, name := range names {
		if strings.HasPrefix(name, "temp-rewriteaof") {
			temps = append(temps, name)
		}
	}
	return temps
}
