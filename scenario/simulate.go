package scenario

import (
	"errors"
	"strconv"
	"strings"

	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
)

// SimulateCommand renders opts as the script command that replays the same
// seeded run: `simulate seed=N ops=N clients=N replicas=N keys=N bug=...`,
// with faults=SCHEDULE and workload=OPS when opts carry a schedule and an
// operation list (Script.Format writes those as heredocs), which then stand
// for the counts they decide. Fields at their default are written out
// anyway so that a change of defaults does not change what a regression
// script runs.
func SimulateCommand(opts harness.Options) string {
	o := opts.WithDefaults()
	parts := []string{"simulate", "seed=" + strconv.FormatUint(o.Seed, 10)}
	if o.Workload == nil || o.Schedule == nil {
		// What the seed draws operations and faults for; a list and a
		// schedule carry all of it.
		parts = append(parts, "ops="+strconv.Itoa(o.Ops))
	}
	if o.Schedule == nil {
		parts = append(parts, "clients="+strconv.Itoa(o.Clients), "replicas="+strconv.Itoa(o.Replicas))
	}
	if o.Workload == nil {
		parts = append(parts, "keys="+strconv.Itoa(o.Keys))
	}
	for _, b := range o.Bugs {
		parts = append(parts, "bug="+quoteArg(b))
	}
	if o.Schedule != nil {
		parts = append(parts, "faults="+quoteArg(o.Schedule.Format()))
	}
	if o.Workload != nil {
		parts = append(parts, "workload="+quoteArg(o.Workload.Format()))
	}
	return strings.Join(parts, " ")
}

// ParseSimulate parses the arguments of a simulate command into harness.Options.
func ParseSimulate(args []string) (harness.Options, error) {
	return parseSimulate(args, "workload", 0)
}

// parseSimulate is ParseSimulate; errors in the operation list name
// opsName and count lines from opsLine+1.
func parseSimulate(args []string, opsName string, opsLine int) (harness.Options, error) {
	usage := scriptCommands["simulate"].usage
	plain, kv := keyValues(args)
	var o harness.Options
	bugs := kv["bug"]
	delete(kv, "bug")
	if f, ok := kv["faults"]; ok {
		if len(f) != 1 {
			return o, usagef("want at most one faults=SCHEDULE")
		}
		sched, err := fault.ParseSchedule(f[0])
		if err != nil {
			return o, usagef("option faults: %v", err)
		}
		o.Schedule = &sched
		delete(kv, "faults")
	}
	if w, ok := kv["workload"]; ok {
		if len(w) != 1 {
			return o, usagef("want at most one workload=OPS")
		}
		l, err := cluster.ParseOps(opsName, w[0])
		if err != nil {
			var pe *cluster.ParseError
			if errors.As(err, &pe) && pe.Line > 0 {
				pe.Line += opsLine
			}
			return o, usagef("option workload: %v", err)
		}
		o.Workload = l
		delete(kv, "workload")
	}
	seedVals, ok := kv["seed"]
	if !ok || len(seedVals) != 1 {
		return o, usagef("want exactly one seed=N (usage: %s)", usage)
	}
	seed, err := strconv.ParseUint(seedVals[0], 10, 64)
	if err != nil {
		return o, usagef("option seed: bad value %q", seedVals[0])
	}
	delete(kv, "seed")
	o.Seed = seed
	if o.Ops, err = intOption(kv, "ops", 0); err != nil {
		return o, err
	}
	if o.Clients, err = intOption(kv, "clients", 0); err != nil {
		return o, err
	}
	if o.Replicas, err = intOption(kv, "replicas", 0); err != nil {
		return o, err
	}
	if o.Keys, err = intOption(kv, "keys", 0); err != nil {
		return o, err
	}
	if err := noMoreOptions(kv, plain, usage); err != nil {
		return o, err
	}
	o.Bugs = bugs
	if err := o.Validate(); err != nil {
		return o, usagef("%v", err)
	}
	return o, nil
}

func cmdSimulate(e *scriptEnv, args []string) (string, error) {
	opsName, opsLine := "workload", 0
	if e.block != nil {
		for _, d := range e.block.Heredocs {
			if d.Key == "workload" {
				opsName, opsLine = e.name, d.Line-1
			}
		}
	}
	o, err := parseSimulate(args, opsName, opsLine)
	if err != nil {
		return "", err
	}
	res := harness.Run(o)
	lines := []string{"verdict " + res.Verdict, "faults: " + harness.FormatCounts(res.Faults)}
	for _, v := range res.Violations {
		lines = append(lines, "violation ["+v.Check+"] "+v.Detail)
	}
	if !res.Passed() {
		e.fail("simulate seed %d: %s", o.Seed, res.Verdict)
	}
	return strings.Join(lines, "\n"), nil
}
