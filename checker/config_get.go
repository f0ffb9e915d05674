package checker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The directives the knobs family sets and reads back (CONFIG SET, then
// CONFIG GET, Mode "ADMIN"): they change nothing a checker could see, so
// CONFIG GET is all there is to judge. Each is a register per node: a
// CONFIG GET answers the value of a CONFIG SET that may be the latest one
// before it, in Redis's normalised form, or the default when no CONFIG
// SET surely came before it since the node started (or a value it had
// before: a CONFIG REWRITE may have kept it in the config file).

// knobDefaults are the directives judged and their Redis 7.0 defaults.
var knobDefaults = map[string]string{
	"maxmemory-clients":                 "0",
	"oom-score-adj":                     "no",
	"proc-title-template":               "{title} {listen-addr} {server-mode}",
	"latency-tracking":                  "yes",
	"latency-tracking-info-percentiles": "50 99 99.9",
	"watchdog-period":                   "0",
	"list-max-listpack-size":            "-2", // the list family's (cluster/workload_list.go)
}

// normaliseKnob is the value CONFIG GET shows after CONFIG SET name raw
// was accepted, as redis-server 7.0.15 shows it.
func normaliseKnob(name, raw string) string {
	switch name {
	case "maxmemory-clients":
		if strings.HasSuffix(raw, "%") {
			return raw
		}
		return strconv.FormatInt(memoryBytes(raw), 10)
	case "oom-score-adj", "latency-tracking":
		v := strings.ToLower(raw)
		if v == "relative" {
			v = "yes" // an alias Redis reads back as yes
		}
		return v
	case "latency-tracking-info-percentiles":
		var out []string
		for _, f := range strings.Fields(raw) {
			x, _ := strconv.ParseFloat(f, 64)
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		}
		return strings.Join(out, " ")
	}
	return raw
}

// memoryBytes reads Redis's memory units (k 1000, kb 1024, m, mb, g, gb).
func memoryBytes(s string) int64 {
	s = strings.ToLower(s)
	for _, u := range []struct {
		suffix string
		mul    int64
	}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1000}, {"m", 1000 * 1000}, {"g", 1000 * 1000 * 1000}} {
		if strings.HasSuffix(s, u.suffix) {
			n, _ := strconv.ParseInt(strings.TrimSuffix(s, u.suffix), 10, 64)
			return n * u.mul
		}
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// knobOp says whether op is a CONFIG SET or GET (verb) of a judged
// directive, and which.
func knobOp(op *Op) (verb, name string, ok bool) {
	if !op.IsAdmin() || op.Mode != "ADMIN" || len(op.Args) < 3 || !strings.EqualFold(op.Args[0], "CONFIG") {
		return "", "", false
	}
	verb, name = strings.ToUpper(op.Args[1]), strings.ToLower(op.Args[2])
	if _, judged := knobDefaults[name]; !judged {
		return "", "", false
	}
	switch {
	case verb == "SET" && len(op.Args) == 4, verb == "GET" && len(op.Args) == 3:
		return verb, name, true
	}
	return "", "", false
}

// CheckConfigGets checks every CONFIG GET of a judged directive that got
// an answer against the CONFIG SETs of the same node (roles tell when a
// node went down: a restart starts from its config file again).
func CheckConfigGets(ops []Op, roles []RoleChange) []Violation {
	type set struct {
		op    *Op
		value string
	}
	sets := map[[2]string][]set{}
	for i := range ops {
		op := &ops[i]
		if verb, name, ok := knobOp(op); ok && verb == "SET" && op.Err == "" && (op.Acked() || op.Unknown) {
			k := [2]string{op.Node, name}
			sets[k] = append(sets[k], set{op, normaliseKnob(name, op.Args[3])})
		}
	}
	var out []Violation
	for i := range ops {
		g := &ops[i]
		verb, name, ok := knobOp(g)
		if !ok || verb != "GET" || g.Err != "" || g.Unknown {
			continue
		}
		got, ok := configGetValue(g.Reply, name)
		if !ok {
			continue // refused for the node's state (NOAUTH, LOADING...)
		}
		started := int64(-1) // the node's latest start before the GET
		for _, r := range roles {
			if r.Node == g.Node && r.Role == "down" && r.At < g.Call {
				started = r.At
			}
		}
		allowed := map[string]bool{}
		before := false // an acknowledged SET surely before the GET
		ss := sets[[2]string{g.Node, name}]
		for _, s := range ss {
			if s.op.Call >= g.Return {
				continue
			}
			if s.op.Call < started {
				allowed[s.value] = true // maybe rewritten into its config file
				continue
			}
			if s.op.Acked() && s.op.Return < g.Call {
				before = true
			}
			superseded := false
			for _, t := range ss {
				if t.op.Acked() && t.op.Call > started && s.op.Acked() && s.op.Return < t.op.Call && t.op.Return < g.Call {
					superseded = true
					break
				}
			}
			if !superseded {
				allowed[s.value] = true
			}
		}
		if !before {
			allowed[knobDefaults[name]] = true
		}
		if allowed[got] {
			continue
		}
		want := make([]string, 0, len(allowed))
		for v := range allowed {
			want = append(want, strconv.Quote(v))
		}
		slices.Sort(want)
		out = append(out, Violation{Check: PropLinearizability, At: g.Return, Nodes: []string{g.Node}, Ops: []OpRef{g.Ref()},
			Detail: fmt.Sprintf("client %d's CONFIG GET %s on %s at %s answered %q, but the CONFIG SETs before it leave it %s",
				g.Client, name, g.Node, seconds(g.Call), got, strings.Join(want, " or "))})
	}
	return out
}

// configGetValue reads the value out of CONFIG GET name's reply as
// recorded (`1) "name" 2) "value"`).
func configGetValue(reply, name string) (string, bool) {
	prefix := `1) "` + name + `" 2) `
	if !strings.HasPrefix(reply, prefix) {
		return "", false
	}
	v, err := strconv.Unquote(reply[len(prefix):])
	return v, err == nil
}
