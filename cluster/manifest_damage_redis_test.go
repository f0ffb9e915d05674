package cluster

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/internal/redistest"
)

// redisLogPrefix is what redis-server puts before each message it logs.
var redisLogPrefix = regexp.MustCompile(`(?m)^\d+:[A-Z] \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] `)

// The fault's prediction against real Redis 7.0.15: a manifest redis-server
// wrote, broken as each form says, stops redis-server with exactly the
// report DamageManifest returns as the last thing it logs.
func TestManifestDamageMatchesRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs redis-server")
	}
	bin := redistest.RequireBinary(t, "redis-server")
	for _, name := range testAOFNames {
		t.Run(name, func(t *testing.T) { testManifestDamageOnRedis(t, bin, name) })
	}
}

func testManifestDamageOnRedis(t *testing.T, bin, name string) {
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes", "--appendfilename", name)
	c := srv.Dial(t)
	require.Equal(t, "OK", c.Do(t, "SET", "k", "v").String())
	original, err := os.ReadFile(filepath.Join(dir, testManifestPath(name)))
	require.NoError(t, err)

	for _, form := range fault.ManifestForms() {
		t.Run(form, func(t *testing.T) {
			damaged, report, err := fault.DamageManifest(form, original)
			require.NoError(t, err)
			run := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(run, "appendonlydir"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(run, testManifestPath(name)), damaged, 0o644))

			out := redisExitsOn(t, bin, run, "--appendonly", "yes", "--save", "", "--appendfilename", name)
			logged := redisLogPrefix.ReplaceAllString(out, "")
			want := strings.Join(report, "\n") + "\n"
			assert.True(t, strings.HasSuffix(logged, want), "redis-server logged:\n%s\nwant it to end with:\n%s", logged, want)
		})
	}
}

// redisExitsOn runs redis-server (bin) on dir with args, expects it to
// exit with status 1 within 10 s (it cannot load its files), and returns
// what it printed.
func redisExitsOn(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--port", strconv.Itoa(redistest.FreePort(t)), "--dir", dir}, args...)...)
	out, _ := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "redis-server did not exit:\n%s", out)
	assert.Equal(t, 1, cmd.ProcessState.ExitCode())
	return string(out)
}
