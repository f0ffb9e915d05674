package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmePending are top-level folders README.md describes that the layout
// change of issue 10 creates. Paths under one of them are not checked while
// it does not exist; once it does, TestREADMEPendingFolders asks for it to
// be taken off this list.
var readmePending = []string{}

// readmeDoc is README.md split into what the structure checks need.
type readmeDoc struct {
	headings []readmeLine // "## Title" lines outside fenced blocks
	prose    []readmeLine // lines outside fenced blocks
	code     []readmeLine // lines inside fenced blocks, example output excluded
}

type readmeLine struct {
	n    int // 1-based
	text string
}

func parseReadme(text string) readmeDoc {
	var d readmeDoc
	fenced, example := false, false
	for i, line := range strings.Split(text, "\n") {
		l := readmeLine{i + 1, line}
		switch {
		case exampleStart.MatchString(line):
			example = true
		case line == exampleEnd:
			example = false
		case strings.HasPrefix(line, "```"):
			fenced = !fenced
		case fenced && !example:
			d.code = append(d.code, l)
		case fenced:
		case strings.HasPrefix(line, "#"):
			d.headings = append(d.headings, l)
			d.prose = append(d.prose, l)
		default:
			d.prose = append(d.prose, l)
		}
	}
	return d
}

var (
	headingRe  = regexp.MustCompile(`^(#{1,6})\s+(.+?)\s*$`)
	linkRe     = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	pathWordRe = regexp.MustCompile(`^[A-Za-z0-9_.*-]+(/[A-Za-z0-9_.*-]+)*/?$`)
	slugDrop   = regexp.MustCompile(`[^a-z0-9 _-]`)
)

// headingSlug is the anchor GitHub gives a heading.
func headingSlug(title string) string {
	s := slugDrop.ReplaceAllString(strings.ToLower(title), "")
	return strings.ReplaceAll(s, " ", "-")
}

// pathWords are the words of a line that may name a file, stripped of the
// punctuation and quoting around them.
func pathWords(line string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(line, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '`' || r == '(' || r == ')' || r == '[' || r == ']' ||
			r == ',' || r == ';' || r == '"' || r == '\'' || r == '=' || r == '|' || r == '<' || r == '>'
	}) {
		w = strings.TrimRight(w, ":.!?")
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// repoChecker says whether README words name files that exist.
type repoChecker struct {
	root string
	top  map[string]bool // top-level entries of the repository
}

func newRepoChecker(t *testing.T, root string) repoChecker {
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	c := repoChecker{root: root, top: map[string]bool{}}
	for _, e := range entries {
		c.top[e.Name()] = true
	}
	return c
}

func pending(first string) bool {
	for _, p := range readmePending {
		if p == first {
			return true
		}
	}
	return false
}

// problem returns why word is a bad reference, or "" if it is fine or no
// path at all. A word is taken for a repository path when it has a slash
// and starts with a top-level entry, or when it names a .md file.
func (c repoChecker) problem(word string) string {
	if strings.Contains(word, "../") {
		return "points outside the repository (../): inline what the reader needs"
	}
	p := strings.TrimPrefix(word, "./")
	p = strings.TrimSuffix(p, "...")
	p = strings.TrimSuffix(p, "/")
	if p == "" || p == "." || !pathWordRe.MatchString(p) {
		return ""
	}
	first, _, nested := strings.Cut(p, "/")
	switch {
	case nested && c.top[first]:
	case nested && pending(first):
		return "" // the layout change creates it
	case strings.HasSuffix(p, ".md"):
	default:
		return ""
	}
	matches, err := filepath.Glob(filepath.Join(c.root, filepath.FromSlash(p)))
	if err != nil || len(matches) == 0 {
		return "names a file that is not in the repository"
	}
	return ""
}

func readReadme(t *testing.T) (root string, d readmeDoc) {
	t.Helper()
	text, err := os.ReadFile(readmeFile)
	require.NoError(t, err)
	root, err = filepath.Abs(filepath.Dir(readmeFile))
	require.NoError(t, err)
	return root, parseReadme(string(text))
}

// TestREADMEHeadingsOnce: no section of README.md appears twice.
func TestREADMEHeadingsOnce(t *testing.T) {
	_, d := readReadme(t)
	require.NotEmpty(t, d.headings)
	seen := map[string]int{}
	for _, h := range d.headings {
		m := headingRe.FindStringSubmatch(h.text)
		if m == nil {
			continue
		}
		key := strings.ToLower(m[2])
		if first, ok := seen[key]; ok {
			t.Errorf("README.md:%d: heading %q repeats line %d", h.n, m[2], first)
			continue
		}
		seen[key] = h.n
	}
}

// TestREADMEReferencesExist: every relative link, in-page anchor and path
// README.md names is in the repository; nothing points outside it.
func TestREADMEReferencesExist(t *testing.T) {
	root, d := readReadme(t)
	c := newRepoChecker(t, root)
	anchors := map[string]bool{}
	for _, h := range d.headings {
		if m := headingRe.FindStringSubmatch(h.text); m != nil {
			anchors[headingSlug(m[2])] = true
		}
	}
	for _, l := range d.prose {
		for _, m := range linkRe.FindAllStringSubmatch(l.text, -1) {
			target := m[1]
			switch {
			case strings.HasPrefix(target, "https://"), strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "mailto:"):
			case strings.HasPrefix(target, "#"):
				assert.True(t, anchors[target[1:]], "README.md:%d: link to %s: no such heading", l.n, target)
			default:
				file, _, _ := strings.Cut(target, "#")
				if strings.Contains(file, "../") {
					t.Errorf("README.md:%d: link %s points outside the repository", l.n, target)
					continue
				}
				_, err := os.Stat(filepath.Join(root, filepath.FromSlash(file)))
				assert.NoError(t, err, "README.md:%d: link %s", l.n, target)
			}
		}
	}
	for _, l := range append(d.prose, d.code...) {
		for _, w := range pathWords(l.text) {
			if why := c.problem(w); why != "" {
				t.Errorf("README.md:%d: %q %s", l.n, w, why)
			}
		}
	}
}

// TestREADMEPendingFolders: a pending folder that exists comes off the list,
// so its paths are checked.
func TestREADMEPendingFolders(t *testing.T) {
	root, _ := readReadme(t)
	for _, p := range readmePending {
		_, err := os.Stat(filepath.Join(root, p))
		assert.True(t, os.IsNotExist(err), "%s/ exists now: take it off readmePending in readme_links_test.go", p)
	}
}

func TestREADMECheckerSpotsBadReferences(t *testing.T) {
	root, err := filepath.Abs(filepath.Dir(readmeFile))
	require.NoError(t, err)
	c := newRepoChecker(t, root)
	for _, ok := range []string{"go.mod", "./cmd/replsim", "./node/...", "node/resp", "cmd/replsim/readme_test.go",
		"linux/amd64", "K/N", "/tmp/r", "--seed", "README.md", "node/testdata/*.conf"} {
		assert.Empty(t, c.problem(ok), ok)
	}
	old := readmePending
	readmePending = []string{"zzpending"}
	t.Cleanup(func() { readmePending = old })
	assert.Empty(t, c.problem("zzpending/testdata/x.txt"), "a pending folder is not checked yet")
	for _, bad := range []string{"DESIGN.md", "../shared/seed-tutorial.md", "node/nosuch.go", "harness/testdata/none/*.txt"} {
		assert.NotEmpty(t, c.problem(bad), bad)
	}
	d := parseReadme("# A\n```\n# not a heading\n```\n## B\n<!-- example: replsim run -->\n```\nDESIGN.md\n```\n<!-- end -->\n")
	assert.Equal(t, []readmeLine{{1, "# A"}, {5, "## B"}}, d.headings)
	assert.Equal(t, []readmeLine{{3, "# not a heading"}}, d.code)
	assert.Equal(t, "what-the-checkers-decide", headingSlug("What the checkers decide"))
	assert.Equal(t, "replsim-server-the-node-on-real-tcp", headingSlug("`replsim server`: the node on real TCP"))
	assert.Equal(t, []string{"./cmd/replsim", "vfs/osfs", "x"}, pathWords("`./cmd/replsim` (vfs/osfs): x."))
}
