package main

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLinearizableHistory(t *testing.T) {
	h := linearizableHistory(7, 3000, 4, 20)
	require.Len(t, h, 3000)
	assert.Equal(t, porcupine.Ok, checker.CheckLinearizable(h, 10*time.Second).Result)
	assert.Equal(t, h, linearizableHistory(7, 3000, 4, 20), "the same seed gives the same history")

	for i := range h {
		if h[i].Kind == checker.OpGet && h[i].Exists {
			h[i].Result += "x" // a value nobody wrote
			break
		}
	}
	assert.Equal(t, porcupine.Illegal, checker.CheckLinearizable(h, 10*time.Second).Result, "the checker bites a corrupted history")
}

func TestBenchSimulationOnly(t *testing.T) {
	code, out, errOut := runCLI("bench", "--time", "20ms", "--real", "none", "--history", "2000", "--ops", "50")
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{"replsim bench: ", "seeds/s", "ops/s", "linearizability check of a 2000-op history", "(linearizable)", "simulation: ", "of virtual time in"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "real ")
}

func TestBenchUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--real", "etcd"}, {"--time", "0s"}, {"extra"}} {
		code, _, errOut := runCLI(append([]string{"bench"}, args...)...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
	}
}

// The real half of the compression measurement against redis-server, with
// a 1 s repl-timeout to keep it short.
func TestRealCompressionRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server not installed")
		}
		t.Skip("redis-server not installed")
	}
	took, err := realCompression("redis", 20, 1)
	require.NoError(t, err)
	assert.Greater(t, took, time.Second, "the replica waited out repl-timeout")
}

func TestSimCompression(t *testing.T) {
	wall, virtual, err := simCompression(50, 3)
	require.NoError(t, err)
	assert.Greater(t, virtual, int64(3*time.Second), "the replica waited out repl-timeout in virtual time")
	assert.Less(t, wall, 10*time.Second)
}
