package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// README.md shows real output of the CLI. Each such example sits between
// two marker comments, around one fenced block:
//
//	<!-- example: replsim run --seed 42 -->
//	```
//	seed 42: PASS
//	...
//	```
//	<!-- end -->
//
// TestREADMEExamples runs the command of every marker in process (the
// arguments after "replsim", split at spaces, in a fresh temporary working
// directory) and compares what it prints, stdout then stderr, with the
// block. In the block, "..." inside a line stands for any text on that line,
// and a line that is only "..." for any number of whole lines; use them for
// long lines only, real output is better. When output changes, the failure
// prints the fresh block to paste, or run
//
//	go test ./cmd/replsim -run TestREADMEExamples -update
//
// to rewrite every block that no longer matches (blocks that still match
// keep their elisions).
var flagUpdate = flag.Bool("update", false, "rewrite README.md's example blocks that no longer match with fresh output")

// readmeFile is README.md as seen from this package's directory.
const readmeFile = "../../README.md"

var (
	exampleStart = regexp.MustCompile(`^<!-- example: replsim (.+) -->$`)
	exampleEnd   = "<!-- end -->"
)

// readmeExample is one marked example of README.md.
type readmeExample struct {
	line  int      // 1-based line of the marker
	args  []string // the command line after "replsim"
	first int      // 0-based index of the block's first content line
	want  []string // the block's content lines
}

// parseExamples finds the marked examples in the lines of README.md.
func parseExamples(lines []string) ([]readmeExample, error) {
	var out []readmeExample
	for i := 0; i < len(lines); i++ {
		m := exampleStart.FindStringSubmatch(lines[i])
		if m == nil {
			if strings.HasPrefix(lines[i], "<!-- example") {
				return nil, fmt.Errorf("README.md:%d: malformed marker %q: want <!-- example: replsim ARGS -->", i+1, lines[i])
			}
			continue
		}
		ex := readmeExample{line: i + 1, args: strings.Fields(m[1])}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			return nil, fmt.Errorf("README.md:%d: the example marker must be followed by a ``` fence", i+1)
		}
		ex.first = i + 2
		j := ex.first
		for j < len(lines) && lines[j] != "```" {
			j++
		}
		if j+1 >= len(lines) || lines[j+1] != exampleEnd {
			return nil, fmt.Errorf("README.md:%d: the example's block must be closed by ``` and then %s", i+1, exampleEnd)
		}
		ex.want = lines[ex.first:j]
		out = append(out, ex)
		i = j + 1
	}
	return out, nil
}

// examplePattern turns a block into a regular expression for the whole
// output: "..." in a line matches any text on that line, a line of only
// "..." any number of lines.
func examplePattern(want []string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`\A`)
	for _, line := range want {
		if strings.TrimSpace(line) == "..." {
			b.WriteString(`(?:.*\n)*`)
			continue
		}
		parts := strings.Split(line, "...")
		for i, p := range parts {
			if i > 0 {
				b.WriteString(`.*`)
			}
			b.WriteString(regexp.QuoteMeta(p))
		}
		b.WriteString(`\n`)
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

// exampleOutput runs the example's command and returns stdout then stderr,
// ending in a newline.
func exampleOutput(t *testing.T, ex readmeExample) string {
	t.Helper()
	t.Chdir(t.TempDir())
	_, stdout, stderr := runCLI(ex.args...)
	out := stdout + stderr
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out
}

func TestREADMEExamples(t *testing.T) {
	path, err := filepath.Abs(readmeFile)
	require.NoError(t, err)
	text, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(string(text), "\n")
	examples, err := parseExamples(lines)
	require.NoError(t, err)
	require.NotEmpty(t, examples, "README.md has no marked examples")

	type replacement struct {
		ex  readmeExample
		out []string
	}
	var stale []replacement
	for _, ex := range examples {
		cmd := "replsim " + strings.Join(ex.args, " ")
		t.Run(cmd, func(t *testing.T) {
			got := exampleOutput(t, ex)
			if examplePattern(ex.want).MatchString(got) {
				return
			}
			fresh := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			stale = append(stale, replacement{ex, fresh})
			if *flagUpdate {
				t.Logf("README.md:%d: rewriting the block of %q", ex.line, cmd)
				return
			}
			// The fresh block goes to stdout unindented, ready to paste.
			fmt.Printf("----- README.md:%d, fresh block: replace lines %d-%d with -----\n%s\n```\n%s\n```\n%s\n----- end of fresh block -----\n",
				ex.line, ex.line, ex.first+len(ex.want)+2, lines[ex.line-1], strings.Join(fresh, "\n"), exampleEnd)
			t.Errorf("README.md:%d: %q prints something else now: paste the fresh block printed above, or run\n"+
				"  go test ./cmd/replsim -run TestREADMEExamples -update\nREADME.md had:\n%s",
				ex.line, cmd, strings.Join(ex.want, "\n"))
		})
	}
	if !*flagUpdate || len(stale) == 0 {
		return
	}
	// Replace from the last block up, so earlier indexes stay valid.
	for i := len(stale) - 1; i >= 0; i-- {
		r := stale[i]
		tail := append(append([]string{}, r.out...), lines[r.ex.first+len(r.ex.want):]...)
		lines = append(lines[:r.ex.first], tail...)
	}
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
}

func TestExamplePattern(t *testing.T) {
	for _, c := range []struct {
		want  []string
		out   string
		match bool
	}{
		{[]string{"a", "b"}, "a\nb\n", true},
		{[]string{"a", "b"}, "a\nb\nc\n", false},
		{[]string{"a", "b"}, "a\nbc\n", false},
		{[]string{"a...c"}, "abbbc\n", true},
		{[]string{"a...c"}, "ab\nc\n", false},
		{[]string{"a", "...", "z"}, "a\nb\nc\nz\n", true},
		{[]string{"a", "...", "z"}, "a\nz\n", true},
		{[]string{"x.y (1)"}, "x.y (1)\n", true},
		{[]string{"x.y (1)"}, "xzy (1)\n", false},
	} {
		assert.Equal(t, c.match, examplePattern(c.want).MatchString(c.out), "%q against %q", c.want, c.out)
	}
}

func TestParseExamples(t *testing.T) {
	lines := strings.Split("intro\n<!-- example: replsim run --seed 7 -->\n```text\nseed 7: PASS\n```\n<!-- end -->\nafter", "\n")
	ex, err := parseExamples(lines)
	require.NoError(t, err)
	require.Len(t, ex, 1)
	assert.Equal(t, 2, ex[0].line)
	assert.Equal(t, []string{"run", "--seed", "7"}, ex[0].args)
	assert.Equal(t, 3, ex[0].first)
	assert.Equal(t, []string{"seed 7: PASS"}, ex[0].want)

	for _, bad := range []string{
		"<!-- example: replsim run -->\nno fence",
		"<!-- example: replsim run -->\n```\nx\n```\nno end marker",
		"<!-- example: replsim run -->\n```\nunclosed",
		"<!-- example run -->",
	} {
		_, err := parseExamples(strings.Split(bad, "\n"))
		assert.Error(t, err, bad)
	}
}
