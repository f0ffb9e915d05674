package difftest

import (
	"testing"

	"github.com/replsim/replsim/internal/redistest"
)

// startRedis runs a throwaway redis-server on a free loopback port and
// returns its address. Without the binary it skips, or fails under CI.
// The DEBUG command is enabled so the suite can switch off active expiry.
func startRedis(t *testing.T) string {
	t.Helper()
	bin := redistest.RequireBinary(t, "redis-server")
	return redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--daemonize", "no", "--enable-debug-command", "yes").Addr()
}
