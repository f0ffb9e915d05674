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

// knobSets returns the judged directives a CONFIG SET sets (name and
// normalised value), each of its name/value pairs: a CONFIG SET of
// several directives sets all or, refused, none (Redis 7.0's
// configSetCommand restores the ones it had applied).
func knobSets(op *Op) [][2]string {
	if !op.IsAdmin() || op.Mode != "ADMIN" || len(op.Args) < 4 || len(op.Args)%2 != 0 ||
		!strings.EqualFold(op.Args[0], "CONFIG") || !strings.EqualFold(op.Args[1], "SET") {
		return nil
	}
	var out [][2]string
	for i := 2; i+1 < len(op.Args); i += 2 {
		name := strings.ToLower(op.Args[i])
		if _, judged := knobDefaults[name]; judged {
			out = append(out, [2]string{name, normaliseKnob(name, op.Args[i+1])})
		}
	}
	return out
}

// isKnobGet says whether op is a CONFIG GET (of any names or patterns):
// each judged directive its reply shows is judged.
func isKnobGet(op *Op) bool {
	return op.IsAdmin() && op.Mode == "ADMIN" && len(op.Args) >= 3 &&
		strings.EqualFold(op.Args[0], "CONFIG") && strings.EqualFold(op.Args[1], "GET")
}

// CheckConfigGets checks every judged directive a CONFIG GET showed
// against the CONFIG SETs of the same node (roles tell when a node went
// down: a restart starts from its config file again).
func CheckConfigGets(ops []Op, roles []RoleChange) []Violation {
	sets := map[[2]string][]knobSet{}
	for i := range ops {
		op := &ops[i]
		if op.Err != "" || !(op.Acked() || op.Unknown) {
			continue
		}
		for _, kv := range knobSets(op) {
			k := [2]string{op.Node, kv[0]}
			sets[k] = append(sets[k], knobSet{op, kv[1]})
		}
	}
	var out []Violation
	for i := range ops {
		g := &ops[i]
		if !isKnobGet(g) || g.Err != "" || g.Unknown {
			continue
		}
		pairs, ok := configGetPairs(g.Reply)
		if !ok {
			continue // refused for the node's state (NOAUTH, LOADING...)
		}
		for _, p := range pairs {
			name, got := strings.ToLower(p[0]), p[1] // GET OOM-SCORE-ADJ names it so
			if _, judged := knobDefaults[name]; !judged {
				continue
			}
			if v, bad := judgeKnobGet(g, name, got, sets[[2]string{g.Node, name}], roles); bad {
				out = append(out, v)
			}
		}
	}
	return out
}

// knobSet is a CONFIG SET of a judged directive, with the value it set.
type knobSet struct {
	op    *Op
	value string
}

// judgeKnobGet judges one directive a CONFIG GET g showed (got) against
// the SETs of it on g's node.
func judgeKnobGet(g *Op, name, got string, ss []knobSet, roles []RoleChange) (Violation, bool) {
	started := int64(-1) // the node's latest start before the GET
	for _, r := range roles {
		if r.Node == g.Node && r.Role == "down" && r.At < g.Call {
			started = r.At
		}
	}
	allowed := map[string]bool{}
	before := false // an acknowledged SET surely before the GET
	for _, x := range ss {
		s, value := x.op, x.value
		if s.Call >= g.Return {
			continue
		}
		if s.Call < started {
			allowed[value] = true // maybe rewritten into its config file
			continue
		}
		if s.Acked() && s.Return < g.Call {
			before = true
		}
		superseded := false
		for _, y := range ss {
			t := y.op
			if t.Acked() && t.Call > started && s.Acked() && s.Return < t.Call && t.Return < g.Call {
				superseded = true
				break
			}
		}
		if !superseded {
			allowed[value] = true
		}
	}
	if !before {
		allowed[knobDefaults[name]] = true
	}
	if allowed[got] {
		return Violation{}, false
	}
	want := make([]string, 0, len(allowed))
	for v := range allowed {
		want = append(want, strconv.Quote(v))
	}
	slices.Sort(want)
	return Violation{Check: PropLinearizability, At: g.Return, Nodes: []string{g.Node}, Ops: []OpRef{g.Ref()},
		Detail: fmt.Sprintf("client %d's CONFIG GET %s on %s at %s answered %q, but the CONFIG SETs before it leave it %s",
			g.Client, name, g.Node, seconds(g.Call), got, strings.Join(want, " or "))}, true
}

// configGetPairs reads the name/value pairs out of a CONFIG GET reply as
// recorded (`1) "name" 2) "value" 3) ...`, the numbers padded from the
// tenth element on); false for an error or anything else.
func configGetPairs(reply string) ([][2]string, bool) {
	var items []string
	rest := reply
	for n := 1; strings.TrimSpace(rest) != ""; n++ {
		rest = strings.TrimLeft(rest, " ")
		prefix := strconv.Itoa(n) + ") "
		if !strings.HasPrefix(rest, prefix) {
			return nil, false
		}
		rest = rest[len(prefix):]
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, false
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return nil, false
		}
		items = append(items, v)
		rest = rest[len(q):]
	}
	if len(items)%2 != 0 {
		return nil, false
	}
	var out [][2]string
	for i := 0; i < len(items); i += 2 {
		out = append(out, [2]string{items[i], items[i+1]})
	}
	return out, true
}
