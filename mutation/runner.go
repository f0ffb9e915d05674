package mutation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/replsim/replsim/internal/gotool"
)

// Status is the verdict on one mutant.
type Status string

// The verdicts.
const (
	Killed     Status = "killed"     // a seed failed, or the sweep crashed, timed out or blew its memory
	Survived   Status = "survived"   // every seed passed
	Invalid    Status = "invalid"    // it does not compile; not counted
	Equivalent Status = "equivalent" // listed as equivalent; not run, not counted
)

// Result is the verdict on one mutant and why.
type Result struct {
	Mutant  Mutant
	Status  Status
	Detail  string // the failing seed, crash line, compiler error or equivalence reason
	Elapsed time.Duration
}

// Options say how to judge mutants.
type Options struct {
	Module gotool.Module
	// Seeds is the sweep per mutant: seeds Start..Start+Seeds-1.
	Seeds uint64
	Start uint64
	// Workers is chaos's --workers for each sweep.
	Workers int
	// Jobs is how many mutants are built and swept at once.
	Jobs int
	// Timeout bounds one mutant's sweep (not its build); 0 derives it from
	// the unmutated sweep: ten times as long, at least minTimeout.
	Timeout time.Duration
	// MemLimit kills a sweep whose resident memory passes it (bytes; 0 =
	// no limit), which counts as killed.
	MemLimit int64
	// Judge stops once this many mutants are killed or survived (0 = all);
	// invalid and equivalent ones do not count towards it.
	Judge int
	// Equivalent mutants are skipped.
	Equivalent EquivalentList
	// SkipBaseline trusts that the unmutated code passes the sweep (tests);
	// it needs an explicit Timeout.
	SkipBaseline bool
	// Log receives a line per mutant as it is judged.
	Log io.Writer
}

// minTimeout is the least derived timeout: a shared machine's load can
// slow a sweep several times over, and a timeout counts as a kill.
const minTimeout = 3 * time.Minute

// Outcome is a finished run.
type Outcome struct {
	Results  []Result // in the order the mutants were taken
	Baseline time.Duration
	Timeout  time.Duration
}

// Execute judges mutants in order: each is applied through a build
// overlay (sources holds each file's source as enumerated), built, and
// swept with chaos. The unmutated code is swept first and must pass.
func Execute(o Options, order []Mutant, sources map[string][]byte) (Outcome, error) {
	var out Outcome
	if o.Jobs < 1 {
		o.Jobs = 1
	}
	if o.Workers < 1 {
		o.Workers = 1
	}
	if o.Start == 0 {
		o.Start = 1
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	tmp, err := os.MkdirTemp("", "replsim-mutate-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmp)

	out.Timeout = o.Timeout
	if !o.SkipBaseline {
		began := time.Now()
		bin := filepath.Join(tmp, "replsim-base")
		refused, err := goBuild(o.Module.Root, "", bin)
		if err != nil {
			return out, fmt.Errorf("building the unmutated code: %w", err)
		}
		if refused != "" {
			return out, fmt.Errorf("building the unmutated code: %s", refused)
		}
		killed, detail, err := sweep(context.Background(), o, bin, filepath.Join(tmp, "reports-base"))
		if err != nil {
			return out, err
		}
		if killed {
			return out, fmt.Errorf("the unmutated code already fails the sweep (%s): fix that first", detail)
		}
		out.Baseline = time.Since(began)
		if out.Timeout == 0 {
			out.Timeout = max(minTimeout, 10*out.Baseline)
		}
		fmt.Fprintf(o.Log, "mutate: unmutated sweep of %d seeds passed in %.1fs; per-mutant timeout %v\n",
			o.Seeds, out.Baseline.Seconds(), roundTime(out.Timeout))
	}
	if out.Timeout == 0 {
		return out, fmt.Errorf("mutate: a timeout is needed when the baseline is skipped")
	}
	o.Timeout = out.Timeout

	type job struct {
		index int
		res   Result
		err   error
	}
	results := make([]*Result, len(order))
	done := make(chan job, o.Jobs)
	var failed error
	free := make([]int, o.Jobs) // work folder slots
	for i := range free {
		free[i] = i
	}
	slotOf := map[int]int{}
	next, inflight, judged := 0, 0, 0
	for {
		for failed == nil && inflight < o.Jobs && next < len(order) && (o.Judge == 0 || judged+inflight < o.Judge) {
			m := order[next]
			if reason, ok := o.Equivalent.Reason(m); ok {
				r := Result{Mutant: m, Status: Equivalent, Detail: reason}
				results[next] = &r
				next++
				continue
			}
			slot := free[len(free)-1]
			free = free[:len(free)-1]
			slotOf[next] = slot
			dir := filepath.Join(tmp, fmt.Sprintf("job%d", slot))
			go func(i int, m Mutant) {
				r, err := judge(o, dir, m, sources[m.File])
				done <- job{i, r, err}
			}(next, m)
			next++
			inflight++
		}
		if inflight == 0 {
			break
		}
		j := <-done
		inflight--
		free = append(free, slotOf[j.index])
		if j.err != nil {
			if failed == nil {
				failed = fmt.Errorf("mutant %s: %w", j.res.Mutant.ID(), j.err)
			}
			continue
		}
		results[j.index] = &j.res
		if j.res.Status == Killed || j.res.Status == Survived {
			judged++
		}
		fmt.Fprintf(o.Log, "mutate: %s %s: %s (%.1fs)\n", j.res.Mutant.ID(), j.res.Status, j.res.Detail, j.res.Elapsed.Seconds())
	}
	if failed != nil {
		return out, failed
	}
	// Keep the prefix of the order up to the Judge-th judged mutant, so the
	// answer does not depend on which parallel job finished first.
	judged = 0
	for _, r := range results {
		if r == nil || o.Judge > 0 && judged == o.Judge {
			break
		}
		out.Results = append(out.Results, *r)
		if r.Status == Killed || r.Status == Survived {
			judged++
		}
	}
	return out, nil
}

// judge builds and sweeps one mutant in its own work folder. An error is
// the runner's own trouble (a file it cannot write, a sweep it cannot
// start), not a verdict.
func judge(o Options, dir string, m Mutant, src []byte) (Result, error) {
	began := time.Now()
	res := Result{Mutant: m}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	mutated := filepath.Join(dir, filepath.Base(m.File))
	if err := os.WriteFile(mutated, m.Apply(src), 0o644); err != nil {
		return res, err
	}
	overlay, err := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(o.Module.Root, filepath.FromSlash(m.File)): mutated},
	})
	if err != nil {
		return res, err
	}
	ovPath := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovPath, overlay, 0o644); err != nil {
		return res, err
	}
	bin := filepath.Join(dir, "replsim")
	refused, err := goBuild(o.Module.Root, ovPath, bin)
	if err != nil {
		return res, err
	}
	if refused != "" {
		res.Status, res.Detail = Invalid, refused
		res.Elapsed = time.Since(began)
		return res, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	killed, detail, err := sweep(ctx, o, bin, filepath.Join(dir, "reports"))
	if err != nil {
		return res, err
	}
	res.Status = Survived
	if killed {
		res.Status = Killed
	}
	res.Detail = detail
	res.Elapsed = time.Since(began)
	return res, nil
}

// goBuild builds ./cmd/replsim to bin, through overlay when not "". A
// build the compiler refuses returns its complaint (the mutant is
// invalid); err is for a go command that could not run or timed out.
func goBuild(root, overlay, bin string) (refused string, err error) {
	args := []string{"build", "-buildvcs=false", "-o", bin}
	if overlay != "" {
		args = append(args, "-overlay="+overlay)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	o, err := runLimited(ctx, root, 0, "go", append(args, "./cmd/replsim")...)
	switch {
	case err != nil:
		return "", err
	case o.timedOut:
		return "", fmt.Errorf("go build timed out")
	case o.exit != 0:
		if msg := firstCompileError(string(o.stderr)); msg != "" {
			return msg, nil
		}
		return fmt.Sprintf("go build: exit status %d", o.exit), nil
	}
	return "", nil
}

// firstCompileError is the first line of the compiler's complaint.
func firstCompileError(msg string) string {
	for _, line := range strings.Split(msg, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			return "does not compile: " + strings.TrimSpace(line)
		}
	}
	return ""
}

// firstChunk is the first slice of a sweep; each next one doubles, so a
// mutant that fails early is found without running every seed.
const firstChunk = 25

// sweep runs chaos over the seeds in growing chunks until one fails. It
// reports whether the sweep killed the mutant and how. The failing seeds'
// reports go to reports, removed before sweep returns: only the verdict is
// kept (a run of many mutants otherwise leaves a report folder per kill).
func sweep(ctx context.Context, o Options, bin, reports string) (killed bool, detail string, err error) {
	defer os.RemoveAll(reports)
	chunk := uint64(firstChunk)
	for start, end := o.Start, o.Start+o.Seeds; start < end; start, chunk = start+chunk, min(2*chunk, 1<<20) {
		chunk = min(chunk, end-start)
		args := []string{"chaos", "--json", "--out=" + reports, fmt.Sprintf("--seeds=%d", chunk), fmt.Sprintf("--start=%d", start),
			fmt.Sprintf("--workers=%d", o.Workers)}
		out, err := runLimited(ctx, o.Module.Root, o.MemLimit, bin, args...)
		if err != nil {
			return false, "", err
		}
		switch {
		case out.timedOut:
			return true, fmt.Sprintf("timeout after %v", roundTime(o.Timeout)), nil
		case out.tooBig:
			return true, fmt.Sprintf("memory over %d MB", o.MemLimit>>20), nil
		case out.exit == 0:
		case out.exit == 1:
			var sum struct {
				FailingSeeds []uint64 `json:"failing_seeds"`
				UnknownSeeds []uint64 `json:"unknown_seeds"`
			}
			if json.Unmarshal(out.stdout, &sum) == nil {
				if len(sum.FailingSeeds) > 0 {
					return true, fmt.Sprintf("seed %d failed", sum.FailingSeeds[0]), nil
				}
				if len(sum.UnknownSeeds) > 0 {
					return true, fmt.Sprintf("seed %d unknown", sum.UnknownSeeds[0]), nil
				}
			}
			return true, fmt.Sprintf("chaos exit 1 in seeds %d..%d", start, start+chunk-1), nil
		default:
			if line := crashLine(out.stderr); line != "" {
				return true, "crash: " + line, nil
			}
			return true, fmt.Sprintf("crash: chaos exit %d", out.exit), nil
		}
	}
	return false, fmt.Sprintf("%d seeds passed", o.Seeds), nil
}

// roundTime rounds d to whole seconds for printing, when it is that long.
func roundTime(d time.Duration) time.Duration {
	if d < time.Second {
		return d
	}
	return d.Round(time.Second)
}
