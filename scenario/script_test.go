package scenario

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

const sampleScript = `# a comment
start n1
----
ok

# the next transcript has a blank line
cmd n1 INFO keyspace
----
----
# Keyspace

x
----
----

get n1 "a key"
----
(nil)
# trailing comment
`

func TestParseScriptBlocks(t *testing.T) {
	s, err := ParseScript("sample.txt", sampleScript)
	require.NoError(t, err)
	require.Len(t, s.Blocks, 3)
	assert.Equal(t, "# a comment\n", s.Blocks[0].Pre)
	assert.Equal(t, 2, s.Blocks[0].Line)
	assert.Equal(t, "start n1", s.Blocks[0].Command)
	assert.Equal(t, "ok", s.Blocks[0].Expected)
	assert.Equal(t, "# Keyspace\n\nx", s.Blocks[1].Expected)
	assert.Equal(t, 7, s.Blocks[1].Line)
	assert.Equal(t, "(nil)\n# trailing comment", s.Blocks[2].Expected, "a transcript runs to the blank line")
	assert.Equal(t, sampleScript, s.Format(nil), "formatting a parsed script gives it back")
}

func TestParseScriptErrors(t *testing.T) {
	for text, want := range map[string]string{
		"start n1\nok\n":              `f.txt:1: command "start n1" must be followed by a line "----"`,
		"start n1\n":                  `f.txt:1: command "start n1" must be followed by`,
		"----\nok\n":                  "f.txt:1: ---- without a command before it",
		"x\n----\n----\nnever closed": "f.txt:1: transcript of \"x\" opened with ---- twice is never closed",
	} {
		_, err := ParseScript("f.txt", text)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), want)
	}
}

func TestSplitArgs(t *testing.T) {
	got, err := splitArgs(`set n1  "a b" x="c\"d"  ""`)
	require.NoError(t, err)
	assert.Equal(t, []string{"set", "n1", "a b", `x=c"d`, ""}, got)
	_, err = splitArgs(`set n1 "open`)
	assert.ErrorContains(t, err, "unterminated quote at column 8")
}

func TestScriptFormatChoosesDoubleSeparator(t *testing.T) {
	s := &Script{Blocks: []ScriptBlock{{Command: "a"}, {Command: "b"}}}
	text := s.Format([]string{"one\n\ntwo", "----\nthree"})
	back, err := ParseScript("f", text)
	require.NoError(t, err)
	assert.Equal(t, "one\n\ntwo", back.Blocks[0].Expected)
	assert.Equal(t, "----\nthree", back.Blocks[1].Expected)
}

// Any transcript without a ----/---- pair survives Format and ParseScript.
func TestScriptFormatRoundTripProperty(t *testing.T) {
	line := rapid.SampledFrom([]string{"", "ok", "----", "  ", "# c", "(nil)", "a b"})
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "blocks")
		s := &Script{Name: "p"}
		var outs []string
		for i := 0; i < n; i++ {
			s.Blocks = append(s.Blocks, ScriptBlock{Command: "cmd" + strings.Repeat("x", i)})
			ls := rapid.SliceOfN(line, 0, 5).Draw(t, "lines")
			for j := 1; j < len(ls); j++ {
				if ls[j] == scriptSep && ls[j-1] == scriptSep {
					ls[j] = "x" // two separators in a row end a transcript
				}
			}
			out := strings.TrimRight(strings.Join(ls, "\n"), "\n")
			if strings.HasSuffix(out, scriptSep) {
				out += "\nend"
			}
			outs = append(outs, out)
		}
		back, err := ParseScript("p", s.Format(outs))
		require.NoError(t, err)
		require.Len(t, back.Blocks, n)
		for i, b := range back.Blocks {
			require.Equal(t, outs[i], b.Expected, "block %d", i)
		}
	})
}

func TestRunScriptNamesMistakes(t *testing.T) {
	for text, want := range map[string]string{
		"frob n1\n----\n":                       "x.txt:1: frob: unknown command",
		"start n1\n----\n\nget n9 k\n----\n":    `x.txt:4: get: no node "n9" (started: n1)`,
		"start n1\n----\n\nrun soon\n----\n":    `x.txt:4: run: bad duration "soon"`,
		"start n1 color=red\n----\n":            `x.txt:1: start: unknown option "color"`,
		"start n1\n----\n\nseed 3\n----\n":      "x.txt:4: seed: seed must come before",
		"simulate ops=3\n----\n":                "x.txt:1: simulate: want exactly one seed=N",
		"simulate seed=1 bug=nope\n----\n":      `unknown bug "nope"`,
		"start n1\n----\n\ncrash n1 gone\n----": `crash mode "gone"`,
	} {
		s, err := ParseScript("x.txt", text)
		require.NoError(t, err, text)
		_, err = RunScript(s)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), want)
	}
}

func TestRunScriptRuntimeErrorsAreTranscript(t *testing.T) {
	s, err := ParseScript("x.txt", "start n1\n----\n\ncrash n1\n----\n\nget n1 k\n----\n\nrestart n1\n----\n\nget n1 k\n----\n")
	require.NoError(t, err)
	run, err := RunScript(s)
	require.NoError(t, err)
	assert.Equal(t, []string{"ok", "ok", "error: node n1 is down", "ok", "(nil)"}, run.Outputs)
	assert.False(t, run.Failed())
}

func TestRunScriptFailures(t *testing.T) {
	s, err := ParseScript("x.txt", "start n1\n----\nok\n\nstart n2 replicaof=n1 masterauth=x\n----\nok\n\nwait-converged 2s\n----\n")
	require.NoError(t, err)
	run, err := RunScript(s)
	require.NoError(t, err)
	assert.True(t, run.Failed())
	assert.Equal(t, []string{"line 9: not converged after 2s"}, run.Failures)
	assert.Contains(t, run.Outputs[2], "not converged after 2s:\n  n2: master n1 link")
	assert.Equal(t, []string{"x.txt:9: wait-converged 2s"}, run.Mismatches(s))
}

func TestSimulateCommandRoundTrip(t *testing.T) {
	o := harness.Options{Seed: 9, Ops: 40, Clients: 2, Replicas: 3, Keys: 5, Bugs: []string{"stale-read"}}
	line := SimulateCommand(o)
	assert.Equal(t, "simulate seed=9 ops=40 clients=2 replicas=3 keys=5 bug=stale-read", line)
	args, err := splitArgs(line)
	require.NoError(t, err)
	back, err := ParseSimulate(args[1:])
	require.NoError(t, err)
	assert.Equal(t, o, back)
}

func TestSimulateInScriptFailsWithBug(t *testing.T) {
	s, err := ParseScript("x.txt", "simulate seed=3 ops=200 bug=stale-read\n----\n")
	require.NoError(t, err)
	run, err := RunScript(s)
	require.NoError(t, err)
	assert.True(t, run.Failed())
	assert.True(t, strings.HasPrefix(run.Outputs[0], "verdict fail\nfaults: "), run.Outputs[0])
	assert.Contains(t, run.Outputs[0], "violation [linearizability] key k")
}

// FuzzParseScript: any text parses or gives an error, never a panic, and a
// parsed script formats to a fixpoint.
func FuzzParseScript(f *testing.F) {
	f.Add(sampleScript)
	f.Add("x\n----\n----\na\n\nb\n----\n----\n")
	f.Add(heredocScript)
	f.Add("simulate faults=\"a\\nb\\n\" \"c\\n\"\n----\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseScript("f", text)
		if err != nil {
			return
		}
		once := s.Format(nil)
		back, err := ParseScript("f", once)
		require.NoError(t, err, "formatted:\n%s", once)
		require.Equal(t, once, back.Format(nil))
		require.Len(t, back.Blocks, len(s.Blocks))
		for i := range s.Blocks {
			want, err := s.Blocks[i].Words()
			got, err2 := back.Blocks[i].Words()
			if err == nil {
				require.NoError(t, err2)
				require.Equal(t, want, got, "block %d: Format kept its words", i)
			}
		}
	})
}

// A simulate command carries a fault schedule (faults=...) that parses back
// to the same schedule and replays the same run.
func TestSimulateCommandCarriesTheSchedule(t *testing.T) {
	o := harness.StandardOptions(7)
	sched := harness.GenerateSchedule(o)
	sched.Steps = sched.Steps[len(sched.Steps)/2:]
	o.Schedule = &sched
	line := SimulateCommand(o)
	words, err := SplitCommand(line)
	require.NoError(t, err)
	back, err := ParseSimulate(words[1:])
	require.NoError(t, err)
	require.NotNil(t, back.Schedule)
	assert.Equal(t, sched.Format(), back.Schedule.Format())
	assert.Equal(t, harness.Run(o).TraceHash, harness.Run(back).TraceHash)
}
