package scenario

import (
	"testing"

	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const heredocScript = `# a comment
simulate seed=3 ops=20 faults=<<FAULTS workload=<<WORKLOAD
seed 3
topology replicas=1 chained=0 clients=1
FAULTS
c1 SET k1 5

c1 GET k1
WORKLOAD
----
verdict pass

echo <<A "x y"
line
A
----
ok
`

// A heredoc's body is the lines up to its tag, newlines included, and
// Format writes the script back as it was.
func TestHeredocs(t *testing.T) {
	s, err := ParseScript("h.txt", heredocScript)
	require.NoError(t, err)
	require.Len(t, s.Blocks, 2)
	b := s.Blocks[0]
	assert.Equal(t, []Heredoc{
		{Tag: "FAULTS", Key: "faults", Body: "seed 3\ntopology replicas=1 chained=0 clients=1\n", Line: 3},
		{Tag: "WORKLOAD", Key: "workload", Body: "c1 SET k1 5\n\nc1 GET k1\n", Line: 6},
	}, b.Heredocs)
	assert.Equal(t, "verdict pass", b.Expected)
	words, err := b.Words()
	require.NoError(t, err)
	assert.Equal(t, []string{"simulate", "seed=3", "ops=20", "faults=seed 3\ntopology replicas=1 chained=0 clients=1\n", "workload=c1 SET k1 5\n\nc1 GET k1\n"}, words)
	words, err = s.Blocks[1].Words()
	require.NoError(t, err)
	assert.Equal(t, []string{"echo", "line\n", "x y"}, words)
	assert.Equal(t, 13, s.Blocks[1].Line)
	assert.Equal(t, heredocScript, s.Format(nil))
}

// The old form, a quoted word with \n escapes, still runs, and Format
// turns it into a heredoc with the same words.
func TestHeredocFromQuotedWord(t *testing.T) {
	old := "simulate seed=3 \"faults=seed 3\\nFAULTS\\n\" x=\"a b\" <<X\n----\n"
	s, err := ParseScript("o.txt", "simulate seed=3 faults=\"seed 3\\nFAULTS\\n\" x=\"a b\" y=\"no newline\\nat the end\"\n----\n")
	require.NoError(t, err)
	before, err := s.Blocks[0].Words()
	require.NoError(t, err)
	text := s.Format(nil)
	assert.Equal(t, "simulate seed=3 faults=<<FAULTS_2 x=\"a b\" y=\"no newline\\nat the end\"\nseed 3\nFAULTS\nFAULTS_2\n----\n", text,
		"a tag that is a line of the body gets a suffix; a value without a final newline stays quoted")
	back, err := ParseScript("o.txt", text)
	require.NoError(t, err)
	after, err := back.Blocks[0].Words()
	require.NoError(t, err)
	assert.Equal(t, before, after)
	_, err = ParseScript("o.txt", old)
	assert.ErrorContains(t, err, "o.txt:1: <<X is never closed by a line X")
}

func TestHeredocErrors(t *testing.T) {
	for text, want := range map[string]string{
		"echo <<x\nx\n----\n":            "h:1: heredoc <<x: a tag is a capital letter",
		"echo <<A <<A\nA\nA\n----\n":     "h:1: heredoc <<A twice in one command",
		"\necho <<A\nbody\n----\n":       "h:2: <<A is never closed by a line A",
		"echo <<A\nA\nmore\n----\n":      `h:1: command "echo <<A" must be followed by a line "----"`,
		"echo \"unterminated\n----\n":    "h:1: unterminated quote",
		"echo <<A\nA\n----\n\nx\n----\n": "",
	} {
		_, err := ParseScript("h", text)
		if want == "" {
			assert.NoError(t, err, "%q", text)
			continue
		}
		if assert.Error(t, err, "%q", text) {
			assert.Contains(t, err.Error(), want, "%q", text)
		}
	}
}

// A mistake in a simulate's operation list names the script's own line.
func TestSimulateWorkloadErrorNamesTheScriptLine(t *testing.T) {
	s, err := ParseScript("w.txt", "seed 1\n----\n\nsimulate seed=3 workload=<<OPS\nc1 GET k1\nc1 SET k1\nOPS\n----\n")
	require.NoError(t, err)
	_, err = RunScript(s)
	assert.ErrorContains(t, err, "w.txt:4: simulate: option workload: w.txt:6: SET: wrong number of arguments (1)")
}

// A simulate command carries an operation list that replays the run it
// came from exactly.
func TestSimulateCommandCarriesTheWorkload(t *testing.T) {
	o := harness.StandardOptions(7)
	o.Ops = 200
	res := harness.Run(o)
	o.Workload = res.Workload
	s := &Script{Blocks: []ScriptBlock{{Command: SimulateCommand(o)}}}
	text := s.Format(nil)
	assert.Contains(t, text, " workload=<<WORKLOAD\n# replsim workload")
	back, err := ParseScript("s", text)
	require.NoError(t, err)
	words, err := back.Blocks[0].Words()
	require.NoError(t, err)
	opts, err := ParseSimulate(words[1:])
	require.NoError(t, err)
	assert.Equal(t, res.TraceHash, harness.Run(opts).TraceHash)
}
