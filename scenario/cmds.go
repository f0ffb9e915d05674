package scenario

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

// scriptCommand runs one command; it returns the transcript.
type scriptCommand struct {
	usage string
	run   func(e *scriptEnv, args []string) (string, error)
}

// scriptCommands is the command table; ScriptHelp renders it.
var scriptCommands map[string]scriptCommand

func init() {
	scriptCommands = map[string]scriptCommand{
		"seed":           {"seed N  (before the first start; default 1)", cmdSeed},
		"start":          {"start n1 n2 ... [replicaof=n1] [requirepass=x] [masterauth=x] [appendonly=yes|no] [appendfsync=always|everysec|no] [repl-timeout=SECONDS] [repl-backlog-size=BYTES] [save=SECONDS:CHANGES] [bug=NAME]", cmdStart},
		"slaveof":        {"slaveof n2 n1 | slaveof n2 no one", cmdSlaveof},
		"replicaof":      {"replicaof n2 n1 | replicaof n2 no one", cmdSlaveof},
		"set":            {"set n1 key value", cmdSet},
		"get":            {"get n1 key", cmdGet},
		"cmd":            {"cmd n1 ARG...  (any command, reply as redis-cli prints it)", cmdCmd},
		"info":           {"info n1 field...  (INFO, only the named fields)", cmdInfo},
		"partition":      {"partition n1 [n2 ...] | n3 [n4 ...]", cmdPartition},
		"heal":           {"heal", cmdHeal},
		"reset":          {"reset n1 n2  (reset every connection between two hosts)", cmdReset},
		"crash":          {"crash n1 [keepall|torn|loseall]  (default keepall: kill -9)", cmdCrash},
		"restart":        {"restart n1", cmdRestart},
		"promote":        {"promote n2  (SLAVEOF NO ONE on it, every other live node pointed at it)", cmdPromote},
		"run":            {"run DURATION  (advance virtual time, e.g. run 2s)", cmdRun},
		"wait-converged": {"wait-converged [TIMEOUT]  (default 30s)", cmdWaitConverged},
		"wait-link":      {"wait-link n2 up|down [TIMEOUT]  (default 30s; the replica's link to its master)", cmdWaitLink},
		"workload":       {"workload [ops=N] [clients=N] [keys=N]  (defaults 100, 1, 8)", cmdWorkload},
		"wait-workload":  {"wait-workload [TIMEOUT]  (default 300s)", cmdWaitWorkload},
		"check":          {"check  (linearizability of the workload so far, convergence of every live replica)", cmdCheck},
		"simulate":       {"simulate seed=N [ops=N] [clients=N] [replicas=N] [keys=N] [bug=NAME]... [faults=SCHEDULE] [workload=OPS]  (a whole seeded run: verdict, faults, violations; faults= replays that schedule instead of the seed's, workload= that operation list instead of drawing operations; both are usually heredocs, faults=<<FAULTS)", cmdSimulate},
	}
}

// ScriptHelp lists the scenario script commands, one usage line each.
func ScriptHelp() string {
	names := make([]string, 0, len(scriptCommands))
	for n := range scriptCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString("  " + scriptCommands[n].usage + "\n")
	}
	return b.String()
}

func (e *scriptEnv) exec(args []string) (string, error) {
	c, ok := scriptCommands[args[0]]
	if !ok {
		return "", usagef("unknown command (known:\n%s)", ScriptHelp())
	}
	return c.run(e, args[1:])
}

func wantArgs(args []string, min, max int, usage string) error {
	if len(args) < min || (max >= 0 && len(args) > max) {
		return usagef("usage: %s", usage)
	}
	return nil
}

// keyValues splits key=value words from plain ones.
func keyValues(args []string) (plain []string, kv map[string][]string) {
	kv = map[string][]string{}
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok {
			kv[k] = append(kv[k], v)
		} else {
			plain = append(plain, a)
		}
	}
	return plain, kv
}

func parseDuration(s string) (sim.Time, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, usagef("bad duration %q (want e.g. 500ms, 2s)", s)
	}
	return sim.Time(d), nil
}

func formatDuration(t sim.Time) string { return time.Duration(t).String() }

func cmdSeed(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 1, 1, "seed N"); err != nil {
		return "", err
	}
	if e.h != nil {
		return "", usagef("seed must come before the first command that starts the cluster")
	}
	n, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		return "", usagef("bad seed %q", args[0])
	}
	e.seed = n
	return "ok", nil
}

func cmdStart(e *scriptEnv, args []string) (string, error) {
	names, kv := keyValues(args)
	if len(names) == 0 {
		return "", usagef("usage: %s", scriptCommands["start"].usage)
	}
	var o cluster.NodeOptions
	for k, vs := range kv {
		if len(vs) > 1 && k != "bug" {
			return "", usagef("option %s given twice", k)
		}
		v := vs[0]
		var err error
		switch k {
		case "replicaof":
			o.ReplicaOf = v
		case "requirepass":
			o.RequirePass = v
		case "masterauth":
			o.MasterAuth = v
		case "appendonly":
			o.AppendOnly, err = parseYesNo(v)
		case "appendfsync":
			o.AppendFsync = v
		case "repl-timeout":
			o.ReplTimeoutSec, err = strconv.ParseInt(v, 10, 64)
		case "repl-backlog-size":
			o.ReplBacklogSize, err = strconv.ParseInt(v, 10, 64)
		case "save":
			o.SaveSeconds, o.SaveChanges, err = parseSaveRule(v)
		case "bug":
			o.Bugs = vs
		default:
			return "", usagef("unknown option %q (usage: %s)", k, scriptCommands["start"].usage)
		}
		if err != nil {
			return "", usagef("option %s: bad value %q", k, v)
		}
	}
	h := e.harness()
	for _, n := range names {
		if err := h.Start(n, o); err != nil {
			return "", err
		}
	}
	return "ok", nil
}

// parseSaveRule reads SECONDS:CHANGES, one RDB save rule.
func parseSaveRule(v string) (seconds, changes int64, err error) {
	secs, chs, ok := strings.Cut(v, ":")
	seconds, err1 := strconv.ParseInt(secs, 10, 64)
	changes, err2 := strconv.ParseInt(chs, 10, 64)
	if !ok || err1 != nil || err2 != nil || seconds <= 0 || changes <= 0 {
		return 0, 0, fmt.Errorf("want SECONDS:CHANGES")
	}
	return seconds, changes, nil
}

func parseYesNo(v string) (bool, error) {
	switch v {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("want yes or no")
}

// nodeArg checks that a node exists; a misspelt node is a script mistake.
func (e *scriptEnv) nodeArg(name string) (*cluster.Cluster, error) {
	h := e.harness()
	if h.Node(name) == nil {
		return nil, usagef("no node %q (started: %s)", name, strings.Join(h.NodeNames(), " "))
	}
	return h, nil
}

func (e *scriptEnv) execReply(name string, args ...string) (string, error) {
	h, err := e.nodeArg(name)
	if err != nil {
		return "", err
	}
	v, err := h.Exec(name, args...)
	if err != nil {
		return "", err
	}
	return renderReply(v), nil
}

// renderReply prints a reply as redis-cli does, except that a bulk string
// of several lines (INFO, CLIENT LIST) is printed as its lines.
func renderReply(v resp.Value) string {
	if v.Kind == resp.BulkString && !v.Null && strings.Contains(string(v.Str), "\n") {
		return strings.TrimRight(strings.ReplaceAll(string(v.Str), "\r\n", "\n"), "\n")
	}
	return v.String()
}

func cmdSlaveof(e *scriptEnv, args []string) (string, error) {
	const usage = "slaveof REPLICA MASTER | slaveof REPLICA no one"
	if err := wantArgs(args, 2, 3, usage); err != nil {
		return "", err
	}
	if len(args) == 3 {
		if !strings.EqualFold(args[1], "no") || !strings.EqualFold(args[2], "one") {
			return "", usagef("usage: %s", usage)
		}
		return e.execReply(args[0], "SLAVEOF", "NO", "ONE")
	}
	h, err := e.nodeArg(args[1])
	if err != nil {
		return "", err
	}
	host, port := h.Addr(args[1])
	return e.execReply(args[0], "SLAVEOF", host, strconv.Itoa(port))
}

func cmdSet(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 3, 3, "set NODE KEY VALUE"); err != nil {
		return "", err
	}
	return e.execReply(args[0], "SET", args[1], args[2])
}

func cmdGet(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 2, 2, "get NODE KEY"); err != nil {
		return "", err
	}
	return e.execReply(args[0], "GET", args[1])
}

func cmdCmd(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 2, -1, scriptCommands["cmd"].usage); err != nil {
		return "", err
	}
	return e.execReply(args[0], args[1:]...)
}

func cmdInfo(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 2, -1, scriptCommands["info"].usage); err != nil {
		return "", err
	}
	h, err := e.nodeArg(args[0])
	if err != nil {
		return "", err
	}
	v, err := h.Exec(args[0], "INFO", "everything")
	if err != nil {
		return "", err
	}
	if v.Kind != resp.BulkString {
		return renderReply(v), nil
	}
	fields := map[string]string{}
	for _, l := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "#") {
			fields[k] = val
		}
	}
	out := make([]string, len(args)-1)
	for i, f := range args[1:] {
		if val, ok := fields[f]; ok {
			out[i] = f + ":" + val
		} else {
			out[i] = f + ": (absent)"
		}
	}
	return strings.Join(out, "\n"), nil
}

func cmdPartition(e *scriptEnv, args []string) (string, error) {
	usage := scriptCommands["partition"].usage
	bar := -1
	for i, a := range args {
		if a == "|" {
			bar = i
		}
	}
	if bar <= 0 || bar == len(args)-1 {
		return "", usagef("usage: %s", usage)
	}
	for i, a := range args {
		if i != bar {
			if _, err := e.nodeArg(a); err != nil {
				return "", err
			}
		}
	}
	e.harness().Partition(args[:bar], args[bar+1:])
	return "ok", nil
}

func cmdHeal(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 0, 0, "heal"); err != nil {
		return "", err
	}
	e.harness().HealNetwork()
	return "ok", nil
}

func cmdReset(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 2, 2, scriptCommands["reset"].usage); err != nil {
		return "", err
	}
	for _, a := range args {
		if _, err := e.nodeArg(a); err != nil {
			return "", err
		}
	}
	n := e.harness().Net().ResetBetween(args[0], args[1])
	return fmt.Sprintf("reset %d connections", n), nil
}

func cmdCrash(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 1, 2, scriptCommands["crash"].usage); err != nil {
		return "", err
	}
	h, err := e.nodeArg(args[0])
	if err != nil {
		return "", err
	}
	mode := disksim.CrashKeepAll
	if len(args) == 2 {
		switch args[1] {
		case "keepall":
		case "torn":
			mode = disksim.CrashTorn
		case "loseall":
			mode = disksim.CrashLoseAll
		default:
			return "", usagef("crash mode %q: want keepall, torn or loseall", args[1])
		}
	}
	if err := h.Crash(args[0], mode); err != nil {
		return "", err
	}
	return "ok", nil
}

func cmdRestart(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 1, 1, "restart NODE"); err != nil {
		return "", err
	}
	h, err := e.nodeArg(args[0])
	if err != nil {
		return "", err
	}
	if err := h.Restart(args[0]); err != nil {
		return "", err
	}
	return "ok", nil
}

func cmdPromote(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 1, 1, "promote NODE"); err != nil {
		return "", err
	}
	h, err := e.nodeArg(args[0])
	if err != nil {
		return "", err
	}
	if err := h.Promote(args[0]); err != nil {
		return "", err
	}
	return "ok", nil
}

func cmdRun(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 1, 1, "run DURATION"); err != nil {
		return "", err
	}
	d, err := parseDuration(args[0])
	if err != nil {
		return "", err
	}
	e.harness().RunFor(d)
	return "ok", nil
}

func optionalTimeout(args []string, def sim.Time, usage string) (sim.Time, error) {
	if err := wantArgs(args, 0, 1, usage); err != nil {
		return 0, err
	}
	if len(args) == 0 {
		return def, nil
	}
	return parseDuration(args[0])
}

func cmdWaitConverged(e *scriptEnv, args []string) (string, error) {
	timeout, err := optionalTimeout(args, 30*sim.Second, scriptCommands["wait-converged"].usage)
	if err != nil {
		return "", err
	}
	h := e.harness()
	if h.WaitConverged(timeout) {
		return "converged", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "not converged after %s:", formatDuration(timeout))
	for _, line := range h.ReplicaLag() {
		b.WriteString("\n  " + line)
	}
	e.fail("not converged after %s", formatDuration(timeout))
	return b.String(), nil
}

func cmdWaitLink(e *scriptEnv, args []string) (string, error) {
	usage := scriptCommands["wait-link"].usage
	if err := wantArgs(args, 2, 3, usage); err != nil {
		return "", err
	}
	h, err := e.nodeArg(args[0])
	if err != nil {
		return "", err
	}
	if args[1] != "up" && args[1] != "down" {
		return "", usagef("usage: %s", usage)
	}
	timeout, err := optionalTimeout(args[2:], 30*sim.Second, usage)
	if err != nil {
		return "", err
	}
	from := h.Now()
	ok, err := h.WaitLink(args[0], args[1] == "up", timeout)
	if err != nil {
		return "", err
	}
	if !ok {
		e.fail("link of %s not %s after %s", args[0], args[1], formatDuration(timeout))
		return fmt.Sprintf("link not %s after %s", args[1], formatDuration(timeout)), nil
	}
	return fmt.Sprintf("link %s after %s", args[1], formatDuration((h.Now()-from)/sim.Millisecond*sim.Millisecond)), nil
}

func intOption(kv map[string][]string, name string, def int) (int, error) {
	vs, ok := kv[name]
	if !ok {
		return def, nil
	}
	if len(vs) > 1 {
		return 0, usagef("option %s given twice", name)
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < 0 {
		return 0, usagef("option %s: bad value %q", name, vs[0])
	}
	delete(kv, name)
	return n, nil
}

func noMoreOptions(kv map[string][]string, plain []string, usage string) error {
	if len(plain) > 0 {
		return usagef("unexpected argument %q (usage: %s)", plain[0], usage)
	}
	for k := range kv {
		return usagef("unknown option %q (usage: %s)", k, usage)
	}
	return nil
}

func cmdWorkload(e *scriptEnv, args []string) (string, error) {
	usage := scriptCommands["workload"].usage
	plain, kv := keyValues(args)
	ops, err := intOption(kv, "ops", 100)
	if err != nil {
		return "", err
	}
	clients, err := intOption(kv, "clients", 1)
	if err != nil {
		return "", err
	}
	keys, err := intOption(kv, "keys", 8)
	if err != nil {
		return "", err
	}
	if err := noMoreOptions(kv, plain, usage); err != nil {
		return "", err
	}
	if err := e.harness().Workload(clients, ops, keys); err != nil {
		return "", err
	}
	return "ok", nil
}

func cmdWaitWorkload(e *scriptEnv, args []string) (string, error) {
	timeout, err := optionalTimeout(args, fault.Horizon, scriptCommands["wait-workload"].usage)
	if err != nil {
		return "", err
	}
	h := e.harness()
	if !h.WaitWorkload(timeout) {
		e.fail("workload not done after %s", formatDuration(timeout))
		return "not done after " + formatDuration(timeout), nil
	}
	unknown := 0
	for _, op := range h.MasterOps() {
		if op.Unknown {
			unknown++
		}
	}
	return fmt.Sprintf("done: %d ops, %d with no reply", len(h.MasterOps()), unknown), nil
}

func cmdCheck(e *scriptEnv, args []string) (string, error) {
	if err := wantArgs(args, 0, 0, "check"); err != nil {
		return "", err
	}
	vs := e.harness().CheckNow()
	if len(vs) == 0 {
		return "ok", nil
	}
	lines := make([]string, len(vs))
	failed := 0
	for i, v := range vs {
		if v.Check == checker.PropHazard {
			lines[i] = "hazard " + v.Detail
			continue
		}
		lines[i] = "violation [" + v.Check + "] " + v.Detail
		failed++
	}
	if failed > 0 {
		e.fail("check: %d violations", failed)
	}
	return strings.Join(lines, "\n"), nil
}
