package coverage

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the summary as a table, worst file first, then the total.
// With uncovered set, each file is followed by the line ranges of its
// reachable statements that never ran.
func Print(w io.Writer, s Summary, uncovered bool) {
	fmt.Fprintf(w, "%-32s %6s %6s %6s   %6s %6s %6s\n", "file", "stmts", "run", "%", "reach", "run", "%")
	row := func(f FileStats) {
		reach := "     -"
		if f.Reachable > 0 {
			reach = fmt.Sprintf("%6.1f", f.ReachablePercent())
		}
		fmt.Fprintf(w, "%-32s %6d %6d %6.1f   %6d %6d %s\n", f.File, f.Stmts, f.Covered, f.Percent(), f.Reachable, f.ReachCov, reach)
	}
	for _, f := range s.Files {
		row(f)
		if uncovered && len(f.Uncovered) > 0 {
			fmt.Fprintf(w, "    not run: %s\n", FormatRanges(f.Uncovered))
		}
	}
	row(s.Total)
}

// FormatRanges writes ranges as "3 7-9 12".
func FormatRanges(rs []LineRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r.From == r.To {
			parts[i] = fmt.Sprint(r.From)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r.From, r.To)
		}
	}
	return strings.Join(parts, " ")
}
