package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -rewrite regenerates the expected transcripts of the scenario and
// regression scripts from what the code does now:
//
//	go test ./harness -run Scenario -rewrite
var flagRewrite = flag.Bool("rewrite", false, "rewrite the expected transcripts of scenario scripts")

// TestScenarioScripts runs every script under testdata/scenarios and
// testdata/regressions and compares each command's transcript.
func TestScenarioScripts(t *testing.T) {
	var files []string
	for _, dir := range []string{"testdata/scenarios", "testdata/regressions"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(path)
			require.NoError(t, err)
			s, err := ParseScript(path, string(text))
			require.NoError(t, err)
			run, err := RunScript(s)
			require.NoError(t, err)
			if *flagRewrite {
				require.NoError(t, os.WriteFile(path, []byte(s.Format(run.Outputs)), 0o644))
				return
			}
			for i, b := range s.Blocks {
				assert.Equal(t, b.Expected, run.Outputs[i], "%s:%d: %s (go test ./scenario -run Scenario -rewrite regenerates)", path, b.Line, b.Command)
			}
		})
	}
}

func readScenario(tb testing.TB, path string) string {
	tb.Helper()
	text, err := os.ReadFile(path)
	require.NoError(tb, err)
	return string(text)
}

// BenchmarkScenarioTutorial runs the tutorial script, parse included.
func BenchmarkScenarioTutorial(b *testing.B) {
	b.ReportAllocs()
	text := readScenario(b, "testdata/scenarios/tutorial.txt")
	for b.Loop() {
		s, err := ParseScript("tutorial.txt", text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := RunScript(s); err != nil {
			b.Fatal(err)
		}
	}
}
