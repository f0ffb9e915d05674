package harness

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/checker"
)

// PropDeterminism names the violation of a run that replayed differently.
const PropDeterminism = "determinism"

// divergenceContext is how many trace lines around the first difference a
// determinism failure shows from each run.
const divergenceContext = 3

// CheckDeterminism runs opts twice with run and compares the trace hashes
// (the fast path: no trace is kept unless opts asks for it). If they
// differ, it runs both again keeping the traces, and the first result gets
// a determinism violation naming the first trace line where the runs part,
// with a few lines of context from each (FoundationDB and TigerBeetle
// report it so). run is Run, or a stand-in in tests.
func CheckDeterminism(run func(Options) *Result, opts Options) *Result {
	res := run(opts)
	again := run(opts)
	if again.TraceHash == res.TraceHash {
		return res
	}
	detail := fmt.Sprintf("seed %d replayed differently: trace hash %s on the first run, %s on the second", opts.Seed, res.TraceHash, again.TraceHash)
	a, b := res, again
	if len(a.Trace) == 0 || len(b.Trace) == 0 {
		traced := opts
		traced.KeepTrace = true
		a, b = run(traced), run(traced)
	}
	if a.TraceHash == b.TraceHash {
		detail += fmt.Sprintf("; two more runs keeping their traces agreed (hash %s), so the difference comes and goes", a.TraceHash)
	} else {
		detail += "\n" + FirstDivergence(a.Trace, b.Trace, divergenceContext).String()
	}
	res.Verdict = VerdictFail
	res.Violations = append([]checker.Violation{{Check: PropDeterminism, Detail: detail}}, res.Violations...)
	return res
}

// Divergence is where two traces first differ: Line is the 1-based number
// of the first line that differs (or that one trace has and the other does
// not), and A and B the lines around it from each trace.
type Divergence struct {
	Line int
	// Same reports that the traces are equal (Line is then 0).
	Same bool
	// Start is the line number of A[0] and B[0].
	Start int
	A, B  []string
	// LenA and LenB are the traces' lengths.
	LenA, LenB int
}

// FirstDivergence finds the first line where traces a and b differ and
// keeps context lines before it and after it from each.
func FirstDivergence(a, b []string, context int) Divergence {
	d := Divergence{LenA: len(a), LenB: len(b)}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		d.Same = true
		return d
	}
	d.Line = i + 1
	from := max(0, i-context)
	d.Start = from + 1
	d.A = a[from:min(len(a), i+context+1)]
	d.B = b[from:min(len(b), i+context+1)]
	return d
}

// String renders the divergence for a person, indented to follow a
// violation's first line: the line number, then each run's lines around
// it, the first differing one marked with '>'.
func (d Divergence) String() string {
	if d.Same {
		return fmt.Sprintf("  the traces are identical (%d lines)", d.LenA)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  the traces first differ at line %d (of %d and %d lines):\n", d.Line, d.LenA, d.LenB)
	side := func(name string, lines []string, n int) {
		fmt.Fprintf(&b, "    %s run:\n", name)
		for i, l := range lines {
			mark := " "
			if d.Start+i == d.Line {
				mark = ">"
			}
			fmt.Fprintf(&b, "    %s %*d  %s\n", mark, digits(max(d.LenA, d.LenB)), d.Start+i, l)
		}
		if d.Start+len(lines) == d.Line {
			fmt.Fprintf(&b, "    > (the %s run's trace ends after %d lines)\n", name, n)
		}
	}
	side("first", d.A, d.LenA)
	side("second", d.B, d.LenB)
	return strings.TrimSuffix(b.String(), "\n")
}

func digits(n int) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
