package coverage

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func blk(file string, from, to, stmts, count int) Block {
	return Block{File: "mod/" + file, StartLine: from, StartCol: 1, EndLine: to, EndCol: 2, Stmts: stmts, Count: count}
}

func TestSummarizeCountsPerFileWorstFirst(t *testing.T) {
	blocks := []Block{
		blk("node/a.go", 1, 2, 2, 1),
		blk("node/a.go", 3, 4, 2, 0),
		blk("node/a.go", 5, 5, 1, 0), // touches 3-4 with nothing run between: merged
		blk("node/a.go", 6, 6, 1, 1),
		blk("node/a.go", 7, 7, 1, 0), // follows a block that ran: its own range
		blk("node/b.go", 1, 9, 4, 3),
		blk("node/c.go", 1, 3, 3, 0), // excluded by function
		blk("node/c.go", 4, 5, 1, 0),
		blk("node/d.go", 1, 1, 5, 0), // excluded whole
		blk("cmd/x.go", 1, 1, 7, 0),  // not under node/
	}
	excl := Excluded{"node/c.go": {{1, 3}}, "node/d.go": nil}
	s := Summarize(blocks, "mod", "node/", excl)

	var files []string
	for _, f := range s.Files {
		files = append(files, f.File)
	}
	assert.Equal(t, []string{"node/c.go", "node/a.go", "node/b.go", "node/d.go"}, files)
	a := s.Files[1]
	assert.Equal(t, FileStats{File: "node/a.go", Stmts: 7, Covered: 3, Reachable: 7, ReachCov: 3,
		Uncovered: []LineRange{{3, 5}, {7, 7}}}, a)
	c := s.Files[0]
	assert.Equal(t, 4, c.Stmts)
	assert.Equal(t, 1, c.Reachable)
	assert.Equal(t, []LineRange{{4, 5}}, c.Uncovered)
	d := s.Files[3]
	assert.Equal(t, 0, d.Reachable)
	assert.Nil(t, d.Uncovered)
	assert.Equal(t, FileStats{File: "total", Stmts: 20, Covered: 7, Reachable: 12, ReachCov: 7}, s.Total)
	assert.InDelta(t, 35.0, s.Total.Percent(), 1e-9)
	assert.InDelta(t, 100.0*7/12, s.Total.ReachablePercent(), 1e-9)
}

func TestPercentOfNothingIsFull(t *testing.T) {
	assert.Equal(t, 100.0, FileStats{}.Percent())
}

func TestFormatRanges(t *testing.T) {
	assert.Equal(t, "3 7-9 12", FormatRanges([]LineRange{{3, 3}, {7, 9}, {12, 12}}))
	assert.Equal(t, "", FormatRanges(nil))
}

func TestPrint(t *testing.T) {
	s := Summarize([]Block{blk("node/a.go", 1, 2, 2, 1), blk("node/a.go", 4, 6, 2, 0), blk("node/d.go", 1, 1, 1, 0)},
		"mod", "node/", Excluded{"node/d.go": nil})
	var buf bytes.Buffer
	Print(&buf, s, true)
	assert.Equal(t, ""+
		"file                              stmts    run      %    reach    run      %\n"+
		"node/a.go                             4      2   50.0        4      2   50.0\n"+
		"    not run: 4-6\n"+
		"node/d.go                             1      0    0.0        0      0      -\n"+
		"total                                 5      2   40.0        4      2   50.0\n", buf.String())
}
