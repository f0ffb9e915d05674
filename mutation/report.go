package mutation

import (
	"fmt"
	"io"
	"strings"
)

// Score counts a run's verdicts.
type Score struct {
	Killed, Survived, Invalid, Equivalent int
	// KilledBy counts the kills by kind: "seed" (a seed failed or was
	// unknown), "crash", "timeout", "memory".
	KilledBy map[string]int
}

// Tally counts the verdicts of results.
func Tally(results []Result) Score {
	s := Score{KilledBy: map[string]int{}}
	for _, r := range results {
		switch r.Status {
		case Killed:
			s.Killed++
			s.KilledBy[killKind(r.Detail)]++
		case Survived:
			s.Survived++
		case Invalid:
			s.Invalid++
		case Equivalent:
			s.Equivalent++
		}
	}
	return s
}

func killKind(detail string) string {
	for _, k := range []string{"crash", "timeout", "memory"} {
		if strings.HasPrefix(detail, k) {
			return k
		}
	}
	return "seed"
}

// Percent is the mutation score, killed / (valid - equivalent), 0..100.
func (s Score) Percent() float64 {
	if s.Killed+s.Survived == 0 {
		return 0
	}
	return 100 * float64(s.Killed) / float64(s.Killed+s.Survived)
}

// PrintReport writes the score and the table of survivors.
func PrintReport(w io.Writer, results []Result) {
	s := Tally(results)
	fmt.Fprintf(w, "mutants: %d judged: %d killed (%d by a failing seed, %d crash, %d timeout, %d memory), %d survived\n",
		s.Killed+s.Survived, s.Killed, s.KilledBy["seed"], s.KilledBy["crash"], s.KilledBy["timeout"], s.KilledBy["memory"], s.Survived)
	fmt.Fprintf(w, "not counted: %d invalid (do not compile), %d listed as equivalent\n", s.Invalid, s.Equivalent)
	fmt.Fprintf(w, "score: %d/%d = %.1f%% (killed / (valid - equivalent))\n", s.Killed, s.Killed+s.Survived, s.Percent())
	if s.Survived == 0 {
		return
	}
	fmt.Fprintf(w, "survivors (%d):\n", s.Survived)
	width := 0
	for _, r := range results {
		if r.Status == Survived {
			width = max(width, len(r.Mutant.ID()))
		}
	}
	for _, r := range results {
		if r.Status == Survived {
			fmt.Fprintf(w, "  %-*s  %s\n", width, r.Mutant.ID(), r.Mutant.Desc)
		}
	}
}

// WriteResults writes one tab-separated line per result: ID, status,
// seconds, detail, description.
func WriteResults(w io.Writer, results []Result) error {
	if _, err := fmt.Fprintln(w, "id\tstatus\tseconds\tdetail\tdescription"); err != nil {
		return err
	}
	for _, r := range results {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%.1f\t%s\t%s\n", r.Mutant.ID(), r.Status, r.Elapsed.Seconds(),
			oneLine(r.Detail), oneLine(r.Mutant.Desc)); err != nil {
			return err
		}
	}
	return nil
}

func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}
