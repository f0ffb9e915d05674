package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rewrite keeps comments and order, rewrites lines in place (an alias
// under its primary name), blanks extra lines of a rewritten directive,
// turns unknown lines into "# ??? " comments, leaves directives it does not
// implement alone, and appends what differs from the default after the
// signature, as Redis 7.0.15 does (checked against redis-server with the
// same file and changes).
func TestRewriteConfigText(t *testing.T) {
	old := "# hello\nport 26998\n\nsave 900 1\nsave 300 10\n  # indented comment\n" +
		"daemonize no\nappendonly no\nslave-read-only yes\nrepl-backlog-size 2mb\n" +
		"lazyfree-lazy-eviction no\ndbfilename dump.rdb\nmaxmemory 1000000\nbogus-directive 1\n"
	cfg := DefaultConfig()
	cfg.Port = 26998
	cfg.Save = []SaveRule{{900, 1}, {300, 10}}
	cfg.ReplBacklogSize = 2 << 20
	cfg.MaxMemory = 2 << 30
	cfg.MasterAuth = "a b"
	cfg.ReplBacklogTTLSec = 10
	cfg.OutputLimits[classReplica] = OutputLimit{Hard: 1 << 20}
	cfg.Dir = "/tmp/surface-rw"
	got := rewriteConfigText(old, &cfg, rewriteRuntime{masterHost: "127.0.0.1", masterPort: 1})
	want := "# hello\nport 26998\n\nsave 900 1\nsave 300 10\n# indented comment\n" +
		"daemonize no\nappendonly no\nreplica-read-only yes\nrepl-backlog-size 2mb\n" +
		"lazyfree-lazy-eviction no\ndbfilename \"dump.rdb\"\nmaxmemory 2gb\n# ??? bogus-directive 1\n\n" +
		rewriteSignature + "\n"
	assert.True(t, len(got) > len(want) && got[:len(want)] == want, "got:\n%s", got)
	tail := got[len(want):]
	for _, l := range []string{
		"masterauth \"a b\"\n",
		"client-output-buffer-limit replica 1mb 0 0\n",
		"dir \"/tmp/surface-rw\"\n",
		"replicaof 127.0.0.1 1\n",
		"repl-backlog-ttl 10\n",
		"user default on nopass ~* &* +@all\n",
	} {
		assert.Contains(t, tail, l)
	}
	assert.NotContains(t, tail, "client-output-buffer-limit normal", "defaults are not appended")

	// Rewriting again: the signature is not repeated; as in Redis, the
	// first client-output-buffer-limit line takes the first class (normal,
	// default) and the changed replica class is appended again.
	again := rewriteConfigText(got, &cfg, rewriteRuntime{masterHost: "127.0.0.1", masterPort: 1})
	assert.Equal(t, 1, strings.Count(again, rewriteSignature))
	assert.Contains(t, again, "client-output-buffer-limit normal 0 0 0\n")
	assert.True(t, strings.HasSuffix(again, "user default on nopass ~* &* +@all\n\nclient-output-buffer-limit replica 1mb 0 0\n"), again)
	cfgBack, _, err := ParseConfig(ConfigSource{FileName: "x.conf", FileText: again})
	require.NoError(t, err)
	assert.Equal(t, cfg.OutputLimits, cfgBack.OutputLimits)
	assert.Equal(t, "127.0.0.1", cfgBack.ReplicaOfHost)
	assert.Equal(t, int64(10), cfgBack.ReplBacklogTTLSec)
}

func TestRewriteConfigTextSaveAndMaster(t *testing.T) {
	old := "port 1\n\nsave 900 1\nsave 300 10\n\nslaveof 10.0.0.1 6379\nrequirepass x\n"
	cfg := DefaultConfig()
	cfg.Port = 1
	cfg.Save = nil
	cfg.RequirePass = `p"w`
	got := rewriteConfigText(old, &cfg, rewriteRuntime{})
	assert.Equal(t, "port 1\n\nsave \"\"\n\nrequirepass \"p\\\"w\"\n\n"+rewriteSignature+"\n"+
		"dir \".\"\n"+
		"user default on #a1f446075399175b5044d356da5c706acce52b06a19bcf46172a9f14487f36ba ~* &* +@all\n", got)
	assert.Equal(t, "", rewriteConfigText("", &cfg, rewriteRuntime{})[:0])
}

func TestFormatMemory(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 1: "1", 1024: "1kb", 1536: "1536", 1 << 20: "1mb", 3 << 30: "3gb", 1000000: "1000000"} {
		assert.Equal(t, want, formatMemory(v))
	}
}
