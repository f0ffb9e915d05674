package coverage

import (
	"sort"
	"strings"
)

// FileStats is the coverage of one source file.
type FileStats struct {
	File      string // slash path from the module root
	Stmts     int    // statements in the file
	Covered   int    // statements that ran
	Reachable int    // statements not excluded as unreachable
	ReachCov  int    // reachable statements that ran
	// Uncovered lists the line ranges of reachable statements that never
	// ran, merged and in order.
	Uncovered []LineRange

	lastMissed bool // the previous block of the file was reachable and missed
}

// Percent is the share of statements that ran, 0..100.
func (f FileStats) Percent() float64 { return pct(f.Covered, f.Stmts) }

// ReachablePercent is the share of reachable statements that ran.
func (f FileStats) ReachablePercent() float64 { return pct(f.ReachCov, f.Reachable) }

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// Summary is the coverage of a set of files: per file, worst first, and
// the total.
type Summary struct {
	Files []FileStats
	Total FileStats
}

// Summarize keeps the blocks whose file lies under prefix (a slash path
// from the module root such as "node/") and counts them per file. A
// block's File is an import path; modulePath is stripped to get the path
// from the module root. Files come sorted worst first: by reachable
// percentage, then by reachable statements missed, then by name; files
// with nothing reachable go last.
func Summarize(blocks []Block, modulePath, prefix string, excl Excluded) Summary {
	per := map[string]*FileStats{}
	for _, b := range blocks {
		file := strings.TrimPrefix(b.File, modulePath+"/")
		if !strings.HasPrefix(file, prefix) {
			continue
		}
		fs := per[file]
		if fs == nil {
			fs = &FileStats{File: file}
			per[file] = fs
		}
		ran := b.Count > 0
		fs.Stmts += b.Stmts
		if ran {
			fs.Covered += b.Stmts
		}
		if excl.contains(file, b) {
			fs.lastMissed = false
			continue
		}
		fs.Reachable += b.Stmts
		if ran {
			fs.ReachCov += b.Stmts
			fs.lastMissed = false
		} else if b.Stmts > 0 {
			fs.Uncovered = addRange(fs.Uncovered, LineRange{b.StartLine, b.EndLine}, fs.lastMissed)
			fs.lastMissed = true
		}
	}
	var s Summary
	s.Total.File = "total"
	for _, fs := range per {
		fs.lastMissed = false
		s.Files = append(s.Files, *fs)
		s.Total.Stmts += fs.Stmts
		s.Total.Covered += fs.Covered
		s.Total.Reachable += fs.Reachable
		s.Total.ReachCov += fs.ReachCov
	}
	sort.Slice(s.Files, func(i, j int) bool {
		a, b := s.Files[i], s.Files[j]
		if (a.Reachable == 0) != (b.Reachable == 0) {
			return b.Reachable == 0
		}
		if pa, pb := a.ReachablePercent(), b.ReachablePercent(); pa != pb {
			return pa < pb
		}
		if ma, mb := a.Reachable-a.ReachCov, b.Reachable-b.ReachCov; ma != mb {
			return ma > mb
		}
		return a.File < b.File
	})
	return s
}

// addRange adds r to sorted, merged ranges, merging it with the last
// range when they overlap, or touch and follow each other (no block ran in
// between). Blocks arrive in file order, so r starts at or after every
// earlier range's start.
func addRange(rs []LineRange, r LineRange, follows bool) []LineRange {
	if n := len(rs); n > 0 && (r.From <= rs[n-1].To || follows && r.From == rs[n-1].To+1) {
		if r.To > rs[n-1].To {
			rs[n-1].To = r.To
		}
		return rs
	}
	return append(rs, r)
}
