package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/scenario"
	"github.com/replsim/replsim/sim"
)

const benchUsage = `usage: replsim bench [--time D] [--real redis|replsim|none] [--ops N] [--history N]

Measures: standard chaos seeds per second on one core, simulated client
operations per second without faults, the time to check a generated
history for linearizability, and the time compression of simulation: one
small workload plus one repl-timeout wait, simulated and then run against
real server processes on loopback.

`

func benchCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	per := fs.Duration("time", 3*time.Second, "wall time spent on each throughput measurement")
	real := fs.String("real", "redis", "real servers for the time compression: redis (/usr/bin/redis-server), replsim (replsim server) or none")
	ops := fs.Int("ops", 200, "client operations in the time compression workload")
	history := fs.Int("history", 100000, "operations in the history the linearizability checker is timed on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *per <= 0 || *ops <= 0 || *history <= 0 {
		fmt.Fprintf(stderr, "bench: --time, --ops and --history must be positive\n")
		return 2
	}
	switch *real {
	case "redis", "replsim", "none":
	default:
		fmt.Fprintf(stderr, "bench: --real %q: want redis, replsim or none\n", *real)
		return 2
	}
	fmt.Fprintf(stdout, "replsim bench: %s/%s, %d CPUs, %s, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), runtime.Version())

	fmt.Fprintf(stdout, "  standard seed on one core (GOMAXPROCS=1; 1 master + 2 replicas, 4 clients, 1000 ops, faults, checks):\n")
	for _, gc := range []int{100, chaosGCPercent} {
		old := debug.SetGCPercent(gc)
		seeds, perSeed, err := benchStandard(*per)
		debug.SetGCPercent(old)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		note := "Go's default"
		if gc == chaosGCPercent {
			note = "as replsim chaos runs"
		}
		fmt.Fprintf(stdout, "    GOGC=%d (%s): %.1f seeds/s (%.2f ms/seed)\n", gc, note, seeds, float64(perSeed)/1e6)
	}

	opsPerSec, err := benchFaultFree(*per)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "  simulated client ops, fault-free (1 master + 2 replicas, 4 clients): %.0f ops/s\n", opsPerSec)

	took, verdict := benchCheck(*history)
	fmt.Fprintf(stdout, "  linearizability check of a %d-op history (4 clients, 100 keys): %.3f s (%s)\n", *history, took.Seconds(), verdict)

	simWall, simVirtual, err := benchSimCompression(*ops, *per)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "  time compression (%d ops, then the master unreachable until repl-timeout %ds fires, then catch-up):\n", *ops, compressionTimeout)
	fmt.Fprintf(stdout, "    simulation: %.3f s of virtual time in %.4f s of wall time (%.0fx)\n",
		float64(simVirtual)/1e9, simWall.Seconds(), float64(simVirtual)/float64(simWall))
	if *real == "none" {
		return 0
	}
	realWall, err := realCompression(*real, *ops, compressionTimeout)
	if err != nil {
		fmt.Fprintf(stdout, "    real %s: skipped: %v\n", *real, err)
		return 0
	}
	fmt.Fprintf(stdout, "    real %s processes on loopback (master frozen with SIGSTOP): %.3f s of wall time\n", *real, realWall.Seconds())
	fmt.Fprintf(stdout, "    compression: simulation is %.0fx faster than real processes\n", realWall.Seconds()/simWall.Seconds())
	return 0
}

// compressionTimeout is repl-timeout, in seconds, in the compression run.
const compressionTimeout = 3

// benchStandard runs standard seeds on one core for about d.
func benchStandard(d time.Duration) (perSec float64, perSeed time.Duration, err error) {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	began := time.Now()
	n := 0
	for seed := uint64(1); time.Since(began) < d; seed++ {
		if res := harness.Run(harness.StandardOptions(seed)); res.Verdict == harness.VerdictFail {
			return 0, 0, fmt.Errorf("standard seed %d failed:\n%s", seed, res.Summary())
		}
		n++
	}
	el := time.Since(began)
	return float64(n) / el.Seconds(), el / time.Duration(n), nil
}

// benchFaultFree runs fault-free workloads for about d.
func benchFaultFree(d time.Duration) (float64, error) {
	began := time.Now()
	ops := 0
	for seed := uint64(1); time.Since(began) < d; seed++ {
		r, err := harness.RunFaultFree(seed, 4, 1000, 2)
		if err != nil {
			return 0, err
		}
		ops += r.Ops
	}
	return float64(ops) / time.Since(began).Seconds(), nil
}

// benchCheck times the linearizability check of a generated history.
func benchCheck(n int) (time.Duration, string) {
	h := linearizableHistory(1, n, 4, 100)
	began := time.Now()
	res := checker.CheckLinearizable(h, time.Minute)
	took := time.Since(began)
	verdict := map[porcupine.CheckResult]string{porcupine.Ok: "linearizable", porcupine.Illegal: "NOT linearizable: generator bug", porcupine.Unknown: "timed out"}[res.Result]
	return took, verdict
}

// benchSimCompression repeats the simulated compression run for about d
// and returns its mean wall time and its virtual time (the same every run).
func benchSimCompression(ops int, d time.Duration) (time.Duration, sim.Time, error) {
	began := time.Now()
	n := 0
	var virtual sim.Time
	for n == 0 || time.Since(began) < d {
		_, v, err := simCompression(ops, compressionTimeout)
		if err != nil {
			return 0, 0, err
		}
		virtual = v
		n++
	}
	return time.Since(began) / time.Duration(n), virtual, nil
}

// simCompression runs the compression workload in simulation.
func simCompression(ops int, replTimeout int64) (wall time.Duration, virtual sim.Time, err error) {
	began := time.Now()
	h := scenario.NewCluster(1)
	steps := []func() error{
		func() error { return h.Start("n1", cluster.NodeOptions{ReplTimeoutSec: replTimeout}) },
		func() error { return h.Start("n2", cluster.NodeOptions{ReplicaOf: "n1", ReplTimeoutSec: replTimeout}) },
		func() error { return wantTrue(h.WaitConverged(30*sim.Second), "replica link up") },
		func() error { return h.Workload(1, ops, 8) },
		func() error { return wantTrue(h.WaitWorkload(300*sim.Second), "workload done") },
		func() error { return wantTrue(h.WaitConverged(30*sim.Second), "replica caught up") },
		func() error { h.Partition([]string{"n1"}, []string{"n2"}); return nil },
		func() error {
			ok, err := h.WaitLink("n2", false, 60*sim.Second)
			return wantTrueErr(ok, err, "replica notices the silent master")
		},
		func() error { h.HealNetwork(); return nil },
		func() error { return wantTrue(h.WaitConverged(60*sim.Second), "replica relinks and catches up") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return 0, 0, fmt.Errorf("simulated compression run: %w", err)
		}
	}
	return time.Since(began), h.Now(), nil
}

func wantTrue(ok bool, what string) error { return wantTrueErr(ok, nil, what) }

func wantTrueErr(ok bool, err error, what string) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: timed out", what)
	}
	return nil
}

// cpuModel reads the CPU's name on Linux.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
