package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
)

const chaosUsage = `usage: replsim chaos [--seeds N] [--duration D] [--start S] [--workers W]
                     [--shard K/N] [--bug NAME] [--family NAME] [--out DIR] [--json] [--check-determinism]

Runs the standard chaos scenario (a master, 2 replicas, 4 clients, 1,000
operations, the seed's faults, heal, check) over many seeds on all cores.
Seed start+i is in shard K/N iff i mod N == K: N machines split one sweep.
The summary gives the share of acknowledged writes lost on failover across
the sweep (Redis's asynchronous replication, as Jepsen measured it), and of
those a WAIT had confirmed on every replica (none may be lost).
Each failing (or unknown) seed gets a report folder and a line in
failing-seeds.txt, both under --out, or by default under a new folder in the
OS temp directory. The folder is made at the first failure: a sweep where
every seed passes writes nothing. The last line of the summary says where
the reports are, or that there are none. Exit status 0 all passed, 1 a seed
failed (or was unknown), 2 usage error (or the reports could not be
written).

`

// runSeed runs one seed; tests swap it to perturb runs.
var runSeed = harness.Run

// chaosConfig is a parsed chaos command line.
type chaosConfig struct {
	seeds       uint64
	duration    time.Duration
	start       uint64
	workers     int
	shard       shard
	bugs        []string
	families    []string
	faults      []string
	out         string
	json        bool
	determinism bool
	ops         int
	replicas    int
}

func parseChaos(args []string, stderr io.Writer) (chaosConfig, error) {
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, chaosUsage); fs.PrintDefaults() }
	var c chaosConfig
	fs.Uint64Var(&c.seeds, "seeds", 0, "number of seeds in the sweep (default 100 unless --duration)")
	fs.DurationVar(&c.duration, "duration", 0, "stop starting seeds after this much wall time (e.g. 10m); with --seeds, whichever ends first")
	fs.Uint64Var(&c.start, "start", 1, "first seed of the sweep")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "seeds run in parallel")
	shardFlag := fs.String("shard", "0/1", "run shard K of N: every N-th seed from start+K")
	fs.Var((*stringList)(&c.bugs), "bug", "switch on a planted bug (repeatable; see 'replsim bugs')")
	fs.Var((*stringList)(&c.families), "family", "force a command family into every seed's workload (repeatable: "+strings.Join(cluster.FamilyNames(), ", ")+"); the seed's other draws stay its own")
	fs.Var((*stringList)(&c.faults), "fault", "force a fault kind into every seed's swarm (repeatable: "+strings.Join(fault.SwarmKinds(), ", ")+"); op_config=PARAM also makes every CONFIG SET set PARAM; the seed's other draws stay its own")
	fs.StringVar(&c.out, "out", "", "folder for failing-seeds.txt and one report folder per failing seed, made at the first failure (default: a new folder in the OS temp directory)")
	fs.BoolVar(&c.json, "json", false, "print one JSON summary instead of text")
	fs.BoolVar(&c.determinism, "check-determinism", false, "run every seed twice and fail it if the trace hashes differ, naming the first trace line where the runs part")
	fs.IntVar(&c.ops, "ops", 0, "client operations per seed (default: the standard 1000)")
	fs.IntVar(&c.replicas, "replicas", 0, "replicas per seed (default: the standard 2)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("chaos: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.shard, err = parseShard(*shardFlag); err != nil {
		return c, fmt.Errorf("chaos: %w", err)
	}
	switch {
	case c.duration < 0:
		return c, fmt.Errorf("chaos: --duration %v is negative", c.duration)
	case c.seeds == 0 && c.duration == 0:
		c.seeds = 100
	}
	if c.workers < 1 {
		return c, fmt.Errorf("chaos: --workers %d: want at least 1", c.workers)
	}
	if c.ops < 0 || c.replicas < 0 {
		return c, fmt.Errorf("chaos: --ops and --replicas must not be negative")
	}
	if err := c.options(0).Validate(); err != nil {
		return c, fmt.Errorf("chaos: %w", err)
	}
	return c, nil
}

// options are the run options of one seed.
func (c *chaosConfig) options(seed uint64) harness.Options {
	o := harness.StandardOptions(seed)
	if c.ops > 0 {
		o.Ops = c.ops
	}
	if c.replicas > 0 {
		o.Replicas = c.replicas
	}
	o.Bugs = c.bugs
	o.Families = c.families
	o.Faults = c.faults
	return o
}

// seedResult is what the sweep keeps of one seed.
type seedResult struct {
	index uint64 // position in this shard's sequence, from 0
	seed  uint64
	res   *harness.Result
}

// chaosSummary is the --json output.
type chaosSummary struct {
	Seeds          uint64         `json:"seeds"`
	Passed         uint64         `json:"passed"`
	Failed         uint64         `json:"failed"`
	Unknown        uint64         `json:"unknown"`
	FailingSeeds   []uint64       `json:"failing_seeds"`
	UnknownSeeds   []uint64       `json:"unknown_seeds"`
	SeedsPerSec    float64        `json:"seeds_per_sec"`
	ElapsedSec     float64        `json:"elapsed_sec"`
	Faults         map[string]int `json:"faults"`
	Start          uint64         `json:"start"`
	Shard          string         `json:"shard"`
	Workers        int            `json:"workers"`
	Bugs           []string       `json:"bugs"`
	Determinism    bool           `json:"check_determinism"`
	FirstDetection *detection     `json:"first_detection"`
	// Failover is the sweep's count of acknowledged writes lost on
	// failover (Redis's asynchronous replication, not a violation), with
	// and without WAIT.
	Failover failoverLoss `json:"failover"`
	// Out is the folder holding the reports; empty (and left out) when
	// there are none.
	Out string `json:"out,omitempty"`
}

// failoverLoss adds up, over a sweep, the acknowledged writes and those
// lost when a replica was promoted without them (stats acked_writes,
// lost_on_failover, promotions), and the writes a WAIT had confirmed on
// every replica before a failover and those lost all the same
// (wait_covered_writes, wait_lost_writes).
type failoverLoss struct {
	AckedWrites int64 `json:"acked_writes"`
	Lost        int64 `json:"lost_on_failover"`
	Promotions  int64 `json:"promotions"`
	WaitCovered int64 `json:"wait_covered_writes"`
	WaitLost    int64 `json:"wait_lost_writes"`
}

func (f *failoverLoss) add(stats map[string]int64) {
	f.AckedWrites += stats["acked_writes"]
	f.Lost += stats["lost_on_failover"]
	f.Promotions += stats["promotions"]
	f.WaitCovered += stats["wait_covered_writes"]
	f.WaitLost += stats["wait_lost_writes"]
}

// headline is the Jepsen-style line: "acknowledged writes lost on
// failover: 3.1% (412 of 13,200, over 340 promotions); with WAIT covering
// them: 0 of 980".
func (f failoverLoss) headline() string {
	share := 0.0
	if f.AckedWrites > 0 {
		share = 100 * float64(f.Lost) / float64(f.AckedWrites)
	}
	return fmt.Sprintf("acknowledged writes lost on failover: %.1f%% (%s of %s, over %s promotions); with WAIT covering them: %s of %s",
		share, commas(f.Lost), commas(f.AckedWrites), commas(f.Promotions), commas(f.WaitLost), commas(f.WaitCovered))
}

// commas writes n with thousands separators: 13,200.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// detection is the first failing seed of a sweep: its seed and how many
// seeds of the shard's sequence it took to get there (1 = the first).
type detection struct {
	Seed     uint64 `json:"seed"`
	SeedsRun uint64 `json:"seeds_run"`
}

func chaosCommand(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseChaos(args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(stderr, err)
		}
		return 2
	}
	tuneGC()
	rep := newChaosReporter(cfg.out)
	sum := sweepChaos(cfg, rep, newProgress(stderr, isTerminal(stderr), cfg.shard.count(cfg.seeds), cfg.duration, time.Now))
	repErr := rep.close()
	sum.Out = rep.dir
	if cfg.json {
		if err := json.NewEncoder(stdout).Encode(sum); err != nil {
			fmt.Fprintf(stderr, "chaos: %v\n", err)
			return 2
		}
	} else {
		printChaosSummary(stdout, sum)
	}
	if repErr != nil {
		fmt.Fprintf(stderr, "chaos: writing reports: %v\n", repErr)
		return 2
	}
	if sum.Failed+sum.Unknown > 0 {
		return 1
	}
	return 0
}

// sweepChaos runs the sweep on cfg.workers goroutines; one collector
// goroutine (this one) counts results, writes reports and prints progress.
func sweepChaos(cfg chaosConfig, rep *chaosReporter, prog *progress) chaosSummary {
	began := prog.now()
	total := cfg.shard.count(cfg.seeds)
	indexes := make(chan uint64)
	results := make(chan seedResult)
	go func() {
		defer close(indexes)
		for i := uint64(0); cfg.seeds == 0 || i < total; i++ {
			if cfg.duration > 0 && prog.now().Sub(began) >= cfg.duration {
				return
			}
			indexes <- i
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range indexes {
				seed := cfg.shard.seed(cfg.start, i)
				results <- seedResult{index: i, seed: seed, res: runChaosSeed(cfg.options(seed), cfg.determinism)}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	sum := chaosSummary{Faults: map[string]int{}, FailingSeeds: []uint64{}, UnknownSeeds: []uint64{},
		Start: cfg.start, Shard: cfg.shard.String(), Workers: cfg.workers, Bugs: cfg.bugs,
		Determinism: cfg.determinism}
	if sum.Bugs == nil {
		sum.Bugs = []string{}
	}
	for r := range results {
		sum.Seeds++
		for k, v := range r.res.Faults {
			sum.Faults[k] += v
		}
		sum.Failover.add(r.res.Stats)
		switch r.res.Verdict {
		case harness.VerdictPass:
			sum.Passed++
		case harness.VerdictUnknown:
			sum.Unknown++
			sum.UnknownSeeds = append(sum.UnknownSeeds, r.seed)
		default:
			sum.Failed++
			sum.FailingSeeds = append(sum.FailingSeeds, r.seed)
			if sum.FirstDetection == nil || r.index+1 < sum.FirstDetection.SeedsRun {
				sum.FirstDetection = &detection{Seed: r.seed, SeedsRun: r.index + 1}
			}
		}
		if !r.res.Passed() {
			rep.failure(cfg.options(r.seed), r.res)
		}
		prog.update(sum.Seeds, sum.Failed+sum.Unknown)
	}
	prog.finish()
	el := prog.now().Sub(began)
	sum.ElapsedSec = el.Seconds()
	if el > 0 {
		sum.SeedsPerSec = float64(sum.Seeds) / el.Seconds()
	}
	sort.Slice(sum.FailingSeeds, func(i, j int) bool { return sum.FailingSeeds[i] < sum.FailingSeeds[j] })
	sort.Slice(sum.UnknownSeeds, func(i, j int) bool { return sum.UnknownSeeds[i] < sum.UnknownSeeds[j] })
	return sum
}

// chaosGCPercent is the GC target chaos sweeps run with unless GOGC is
// set: a seed allocates a few MB that die with it (node backlogs, porcupine
// state), so collecting less often makes sweeps ~1.7x faster for ~25 MB of
// heap per worker.
const chaosGCPercent = 400

// tuneGC applies chaosGCPercent unless the user chose GOGC.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(chaosGCPercent)
	}
}

// runChaosSeed runs one seed, twice when checking determinism: a second
// run with a different trace hash turns the seed into a failure that names
// the first trace line where the runs part.
func runChaosSeed(o harness.Options, determinism bool) *harness.Result {
	if !determinism {
		return runSeed(o)
	}
	return harness.CheckDeterminism(runSeed, o)
}

func printChaosSummary(w io.Writer, s chaosSummary) {
	fmt.Fprintf(w, "chaos: %d seeds from %d, shard %s, on %d workers in %.1fs: %.1f seeds/s\n",
		s.Seeds, s.Start, s.Shard, s.Workers, s.ElapsedSec, s.SeedsPerSec)
	if len(s.Bugs) > 0 {
		fmt.Fprintf(w, "  planted bugs: %s\n", strings.Join(s.Bugs, ", "))
	}
	if s.Determinism {
		fmt.Fprintf(w, "  every seed ran twice (determinism check)\n")
	}
	fmt.Fprintf(w, "  passed %d, failed %d, unknown %d\n", s.Passed, s.Failed, s.Unknown)
	if s.Failover.AckedWrites > 0 {
		fmt.Fprintf(w, "  %s\n", s.Failover.headline())
	}
	fmt.Fprintf(w, "  faults: %s\n", harness.FormatCounts(s.Faults))
	if len(s.FailingSeeds) > 0 {
		fmt.Fprintf(w, "  failing seeds: %s\n", joinSeeds(s.FailingSeeds))
	}
	if len(s.UnknownSeeds) > 0 {
		fmt.Fprintf(w, "  unknown seeds: %s\n", joinSeeds(s.UnknownSeeds))
	}
	if d := s.FirstDetection; d != nil && len(s.Bugs) > 0 {
		fmt.Fprintf(w, "  first detection: seed %d, after %d seeds\n", d.Seed, d.SeedsRun)
	} else if len(s.Bugs) > 0 {
		fmt.Fprintf(w, "  first detection: none in %d seeds\n", s.Seeds)
	}
	// The last line: where the reports are.
	if s.Out != "" {
		fmt.Fprintf(w, "  reports: %s (list in %s)\n", s.Out, filepath.Join(s.Out, "failing-seeds.txt"))
	} else if s.Failed+s.Unknown > 0 {
		fmt.Fprintf(w, "  reports: none (they could not be written)\n")
	} else {
		fmt.Fprintf(w, "  reports: none (no seed failed)\n")
	}
}

func joinSeeds(seeds []uint64) string {
	parts := make([]string, len(seeds))
	for i, s := range seeds {
		parts[i] = fmt.Sprint(s)
	}
	return strings.Join(parts, " ")
}
