package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/replsim/replsim/fault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The schedules in testdata/checkfixes are runs the access, durability and
// prefix checks once failed although the nodes behaved as Redis does (a
// masterauth fixed by a password change every node followed, everysec on
// a clock that went back, a replica reader's writes on a promoted master,
// a restart after a failed start on a wiped disk). Those checks must pass
// them; other properties are not this test's business.
func TestCheckFixSchedules(t *testing.T) {
	files, err := filepath.Glob("testdata/checkfixes/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			require.NoError(t, err)
			sched, err := fault.ParseSchedule(string(text))
			require.NoError(t, err)
			res := Run(Options{Seed: sched.Seed, Schedule: &sched})
			for _, v := range res.Violations {
				switch v.Check {
				case "access", "durability", "prefix":
					assert.Fail(t, "violation", "[%s] %s", v.Check, v.Detail)
				}
			}
		})
	}
}
