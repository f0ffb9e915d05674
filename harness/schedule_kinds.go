package harness

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// StepKind describes one kind of schedule step.
type StepKind struct {
	Name string
	// Syntax shows the arguments, e.g. "FROM TO bytes=N".
	Syntax string
	Doc    string

	pos  []tokType
	keys []keyArg
}

type tokType uint8

const (
	tHost      tokType = iota // a node or client host
	tNode                     // a node
	tNewNode                  // a node name not in the topology (nN)
	tGroups                   // HOST... | HOST...
	tOptGroups                // nothing, or HOST... | HOST...
	tMode                     // crash mode
	tSignedDur                // signed seconds
	tParam                    // op_config parameter, then its integer value
)

type valType uint8

const (
	vDur   valType = iota // seconds >= 0
	vProb                 // probability in (0, 1]
	vCount                // integer >= 0
	vEnum                 // one of enum
	vWord                 // [A-Za-z0-9_-]+
)

type keyArg struct {
	key  string
	typ  valType
	enum []string
}

// Crash modes as schedule tokens.
var crashModes = []string{"keep_all", "torn", "lose_all"}

// Configuration parameters op_config may set.
var configParams = []string{"repl-backlog-size", "repl-timeout", "repl-ping-replica-period"}

var stepKinds = []StepKind{
	{Name: "net_reset", Syntax: "FROM TO bytes=N", Doc: "reset the newest live connection of FROM to TO once N more bytes from FROM have been delivered (mid-command, mid-RDB, mid-reply)",
		pos: []tokType{tHost, tHost}, keys: []keyArg{{key: "bytes", typ: vCount}}},
	{Name: "net_partition", Syntax: "HOST... | HOST...", Doc: "cut every link between the two groups, both ways, until net_heal or heal",
		pos: []tokType{tGroups}},
	{Name: "net_oneway", Syntax: "FROM... | TO...", Doc: "cut every link from the first group to the second until net_heal or heal",
		pos: []tokType{tGroups}},
	{Name: "net_heal", Syntax: "[HOST... | HOST...]", Doc: "heal the cuts between the two groups, or every partition",
		pos: []tokType{tOptGroups}},
	{Name: "net_blackhole", Syntax: "FROM TO for=D", Doc: "silently drop bytes from FROM to TO for D seconds (a stream that lost bytes stays stalled)",
		pos: []tokType{tHost, tHost}, keys: []keyArg{{key: "for", typ: vDur}}},
	{Name: "net_latency", Syntax: "FROM TO base=D jitter=D for=D", Doc: "slow the link FROM->TO to base+jitter for D seconds",
		pos: []tokType{tHost, tHost}, keys: []keyArg{{key: "base", typ: vDur}, {key: "jitter", typ: vDur}, {key: "for", typ: vDur}}},
	{Name: "net_dial_error", Syntax: "HOST count=N err=refused|timeout", Doc: "fail the next N dials to HOST",
		pos: []tokType{tHost}, keys: []keyArg{{key: "count", typ: vCount}, {key: "err", typ: vEnum, enum: []string{"refused", "timeout"}}}},
	{Name: "disk_write_error", Syntax: "NODE p=P for=D err=eio|enospc", Doc: "fail NODE's writes with probability P for D seconds",
		pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}, {key: "err", typ: vEnum, enum: []string{"eio", "enospc"}}}},
	{Name: "disk_fsync_error", Syntax: "NODE p=P for=D", Doc: "fail NODE's fsyncs with probability P for D seconds",
		pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}}},
	{Name: "disk_bitflip", Syntax: "NODE p=P for=D", Doc: "flip one bit of NODE's reads with probability P for D seconds",
		pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}}},
	{Name: "proc_crash", Syntax: "NODE keep_all|torn|lose_all", Doc: "kill NODE (keep_all: kill -9; torn, lose_all: power loss) until proc_restart or heal",
		pos: []tokType{tNode, tMode}},
	{Name: "proc_restart", Syntax: "NODE", Doc: "start a crashed NODE from its files; if it refuses to load them, wipe its data dir and start it again a second later",
		pos: []tokType{tNode}},
	{Name: "proc_pause", Syntax: "NODE for=D", Doc: "stop NODE for D seconds: it processes nothing, then everything that arrived, in order",
		pos: []tokType{tNode}, keys: []keyArg{{key: "for", typ: vDur}}},
	{Name: "auth_wrong_masterauth", Syntax: "NODE for=D", Doc: "CONFIG SET masterauth to a wrong password on NODE and drop its master link; fixed after D seconds",
		pos: []tokType{tNode}, keys: []keyArg{{key: "for", typ: vDur}}},
	{Name: "auth_requirepass_change", Syntax: "NODE pass=WORD for=D", Doc: "CONFIG SET requirepass WORD on NODE; after D seconds every node and client follows",
		pos: []tokType{tNode}, keys: []keyArg{{key: "pass", typ: vWord}, {key: "for", typ: vDur}}},
	{Name: "clock_jump", Syntax: "NODE SECONDS", Doc: "move NODE's clock by SECONDS (negative: backwards)",
		pos: []tokType{tNode, tSignedDur}},
	{Name: "op_promote", Syntax: "NODE", Doc: "SLAVEOF NO ONE on NODE; every other node and client follows it",
		pos: []tokType{tNode}},
	{Name: "op_repoint", Syntax: "NODE TARGET", Doc: "SLAVEOF TARGET on the replica NODE",
		pos: []tokType{tNode, tNode}},
	{Name: "op_demote", Syntax: "MASTER TARGET", Doc: "SLAVEOF TARGET on the master: no node takes writes until TARGET is promoted",
		pos: []tokType{tNode, tNode}},
	{Name: "op_add_replica", Syntax: "NEWNODE", Doc: "start a new empty node that replicates from the current master",
		pos: []tokType{tNewNode}},
	{Name: "op_config", Syntax: "NODE PARAM VALUE", Doc: "CONFIG SET PARAM VALUE on NODE (repl-backlog-size, repl-timeout, repl-ping-replica-period)",
		pos: []tokType{tNode, tParam}},
	{Name: "heal", Syntax: "", Doc: "end every fault: heal the network, restart crashed nodes, resume paused ones, fix passwords and the topology (clocks keep their offsets)"},
}

// StepKinds returns every step kind, in a stable order.
func StepKinds() []StepKind { return stepKinds }

func stepKind(name string) *StepKind {
	for i := range stepKinds {
		if stepKinds[i].Name == name {
			return &stepKinds[i]
		}
	}
	return nil
}

// hostSet says which host names a schedule may use.
type hostSet struct {
	nodes   map[string]bool // topology nodes and nodes any op_add_replica adds
	initial map[string]bool // topology nodes
	clients map[string]bool
}

func newHostSet(t Topology, added []string) *hostSet {
	hs := &hostSet{nodes: map[string]bool{}, initial: map[string]bool{}, clients: map[string]bool{}}
	for _, n := range t.Nodes() {
		hs.nodes[n], hs.initial[n] = true, true
	}
	for _, n := range added {
		hs.nodes[n] = true
	}
	for _, c := range t.ClientNames() {
		hs.clients[c] = true
	}
	return hs
}

// checkStep validates a step's arguments against its kind and the hosts,
// and returns them in canonical form (durations with six decimals).
func checkStep(st Step, hs *hostSet) ([]string, error) {
	k := stepKind(st.Kind)
	if k == nil {
		return nil, fmt.Errorf("unknown step kind %q", st.Kind)
	}
	if st.At < 0 {
		return nil, fmt.Errorf("%s: time %s is negative", st.Kind, formatSeconds(st.At))
	}
	if st.At%sim.Microsecond != 0 {
		return nil, fmt.Errorf("%s: time %dns is not a whole number of microseconds", st.Kind, st.At)
	}
	if st.At > workloadBudget {
		return nil, fmt.Errorf("%s: time %s is after the %ds budget", st.Kind, formatSeconds(st.At), workloadBudget/sim.Second)
	}
	args := st.Args
	var out []string
	usage := func() string {
		if k.Syntax == "" {
			return st.Kind + " takes no arguments"
		}
		return "usage: " + st.Kind + " " + k.Syntax
	}
	var hosts []string
	for _, t := range k.pos {
		switch t {
		case tGroups, tOptGroups:
			if t == tOptGroups && len(args) == 0 {
				continue
			}
			a, b, err := splitGroups(args)
			if err != nil {
				return nil, fmt.Errorf("%s: %v (%s)", st.Kind, err, usage())
			}
			for _, h := range append(append([]string{}, a...), b...) {
				if !hs.nodes[h] && !hs.clients[h] {
					return nil, fmt.Errorf("%s: unknown host %q", st.Kind, h)
				}
			}
			n := len(a) + 1 + len(b)
			out = append(out, args[:n]...)
			args = args[n:]
			continue
		}
		if len(args) == 0 {
			return nil, fmt.Errorf("%s: missing argument (%s)", st.Kind, usage())
		}
		tok := args[0]
		args = args[1:]
		switch t {
		case tHost:
			if !hs.nodes[tok] && !hs.clients[tok] {
				return nil, fmt.Errorf("%s: unknown host %q", st.Kind, tok)
			}
			hosts = append(hosts, tok)
		case tNode:
			if !hs.nodes[tok] {
				return nil, fmt.Errorf("%s: unknown node %q", st.Kind, tok)
			}
			hosts = append(hosts, tok)
		case tNewNode:
			if !isNodeName(tok) {
				return nil, fmt.Errorf("%s: bad node name %q (want n followed by a number)", st.Kind, tok)
			}
			if hs.initial[tok] {
				return nil, fmt.Errorf("%s: node %q is already in the topology", st.Kind, tok)
			}
		case tMode:
			if !slices.Contains(crashModes, tok) {
				return nil, fmt.Errorf("%s: bad crash mode %q (want %s)", st.Kind, tok, strings.Join(crashModes, ", "))
			}
		case tSignedDur:
			d, err := parseSeconds(tok, true)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", st.Kind, err)
			}
			tok = formatSeconds(d)
		case tParam:
			if !slices.Contains(configParams, tok) {
				return nil, fmt.Errorf("%s: unsupported parameter %q (want %s)", st.Kind, tok, strings.Join(configParams, ", "))
			}
			if len(args) == 0 {
				return nil, fmt.Errorf("%s: missing value for %s (%s)", st.Kind, tok, usage())
			}
			v, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("%s: bad value %q for %s (want a positive integer)", st.Kind, args[0], tok)
			}
			out = append(out, tok)
			tok = strconv.FormatInt(v, 10)
			args = args[1:]
		}
		out = append(out, tok)
	}
	for _, ka := range k.keys {
		if len(args) == 0 {
			return nil, fmt.Errorf("%s: missing %s= (%s)", st.Kind, ka.key, usage())
		}
		tok := args[0]
		args = args[1:]
		val, ok := strings.CutPrefix(tok, ka.key+"=")
		if !ok {
			return nil, fmt.Errorf("%s: want %s=..., got %q (%s)", st.Kind, ka.key, tok, usage())
		}
		canon, err := checkValue(ka, val)
		if err != nil {
			return nil, fmt.Errorf("%s: bad %s: %v", st.Kind, tok, err)
		}
		out = append(out, ka.key+"="+canon)
	}
	if len(args) > 0 {
		return nil, fmt.Errorf("%s: unexpected argument %q (%s)", st.Kind, args[0], usage())
	}
	if len(hosts) == 2 && hosts[0] == hosts[1] {
		return nil, fmt.Errorf("%s: %q twice: the two hosts must differ", st.Kind, hosts[0])
	}
	return out, nil
}

func checkValue(ka keyArg, val string) (string, error) {
	switch ka.typ {
	case vDur:
		d, err := parseSeconds(val, false)
		if err != nil {
			return "", err
		}
		return formatSeconds(d), nil
	case vProb:
		p, err := strconv.ParseFloat(val, 64)
		if err != nil || !(p > 0 && p <= 1) {
			return "", fmt.Errorf("want a probability in (0, 1]")
		}
		return strconv.FormatFloat(p, 'f', -1, 64), nil
	case vCount:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return "", fmt.Errorf("want a non-negative integer")
		}
		return strconv.FormatInt(n, 10), nil
	case vEnum:
		if !slices.Contains(ka.enum, val) {
			return "", fmt.Errorf("want one of %s", strings.Join(ka.enum, ", "))
		}
	case vWord:
		if !isWord(val) {
			return "", fmt.Errorf("want letters, digits, '_' or '-'")
		}
	}
	return val, nil
}

// splitGroups splits "a b | c d" into its two non-empty groups of
// distinct hosts.
func splitGroups(args []string) (a, b []string, err error) {
	bar := -1
	for i, t := range args {
		if t == "|" {
			if bar >= 0 {
				return nil, nil, fmt.Errorf("more than one '|'")
			}
			bar = i
		}
	}
	if bar < 0 {
		return nil, nil, fmt.Errorf("missing '|' between the two groups")
	}
	a, b = args[:bar], args[bar+1:]
	if len(a) == 0 || len(b) == 0 {
		return nil, nil, fmt.Errorf("empty group")
	}
	seen := map[string]bool{}
	for _, h := range args {
		if h == "|" {
			continue
		}
		if seen[h] {
			return nil, nil, fmt.Errorf("host %q appears twice", h)
		}
		seen[h] = true
	}
	return a, b, nil
}

// parseSeconds parses decimal seconds with at most six decimals ("1.25",
// "-5", "0.000001"); signed allows a leading '-'.
func parseSeconds(s string, signed bool) (sim.Time, error) {
	bad := func(why string) (sim.Time, error) { return 0, fmt.Errorf("bad seconds %q: %s", s, why) }
	neg := false
	body := s
	if strings.HasPrefix(body, "-") {
		if !signed {
			return bad("must not be negative")
		}
		neg, body = true, body[1:]
	}
	whole, frac, hasDot := strings.Cut(body, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return bad("want digits, optionally '.' and up to six decimals")
	}
	if len(frac) > 6 {
		return bad("more than six decimals")
	}
	if len(whole) > 7 {
		return bad("too large")
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	t := w*sim.Second + f*sim.Microsecond
	if neg {
		t = -t
	}
	return t, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != "" && len(s) <= 64
}

func isNodeName(s string) bool {
	return len(s) >= 2 && len(s) <= 6 && s[0] == 'n' && s[1] != '0' && allDigits(s[1:])
}
