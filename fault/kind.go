package fault

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// Fault is one typed schedule step: a fault, an operator action or the
// heal, with its arguments as Go values. Each kind's type lives in the file
// of its family (net.go, disk.go, proc.go, auth.go, clock.go, op.go,
// heal.go) beside its syntax, its generator and how it applies.
type Fault interface {
	// Kind is the kind's name, as the schedule writes it.
	Kind() string
	// Args are the arguments as canonical schedule tokens.
	Args() []string
	// Apply carries the step out through the injector's target, or says
	// why it cannot run now (the step is then skipped, never an error of
	// the run).
	Apply(x *Injector) error
}

// Kind describes one kind of schedule step: its name, syntax and doc, the
// tokens it takes, how a seed generates it and how its tokens become a
// typed Fault. Each family's file registers its kinds.
type Kind struct {
	Name string
	// Syntax shows the arguments, e.g. "FROM TO bytes=N".
	Syntax string
	Doc    string

	// order places the kind in listings; swarm, if > 0, is its place in
	// the order a seed draws the kinds it enables (appending a kind keeps
	// old seeds' choices for the others), 0 for kinds a seed never
	// enables by themselves (they follow from others).
	order, swarm int
	pos          []tokType
	keys         []keyArg
	// build makes the typed step from canonical, validated tokens.
	build func(a args) Fault
	// generate fills in one episode of the kind at t (swarm kinds only).
	generate func(g *model, t sim.Time)
	// keepsHealed says a run of the step leaves the cluster healed (the
	// heal itself, healing a partition, restarting a node).
	keepsHealed bool
}

// kinds is every registered kind, sorted by order once the package is
// initialised.
var kinds []*Kind

// register adds k to the kinds; each family's file calls it for its kinds.
func register(k *Kind) *Kind {
	for _, o := range kinds {
		if o.Name == k.Name || o.order == k.order || (k.swarm > 0 && o.swarm == k.swarm) {
			panic("fault: kind " + k.Name + " clashes with " + o.Name)
		}
	}
	kinds = append(kinds, k)
	slices.SortFunc(kinds, func(a, b *Kind) int { return a.order - b.order })
	return k
}

// Kinds returns every step kind, in a stable order.
func Kinds() []*Kind { return kinds }

// SwarmKinds returns the names of the kinds a seed can enable, in the
// order the generator draws them.
func SwarmKinds() []string {
	var sw []*Kind
	for _, k := range kinds {
		if k.swarm > 0 {
			sw = append(sw, k)
		}
	}
	slices.SortFunc(sw, func(a, b *Kind) int { return a.swarm - b.swarm })
	out := make([]string, len(sw))
	for i, k := range sw {
		out[i] = k.Name
	}
	return out
}

// KindNamed returns the kind called name, or nil.
func KindNamed(name string) *Kind {
	for _, k := range kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
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
	tParam                    // op_config parameter, then its value (one or two tokens)
	tShutdown                 // SHUTDOWN's mode
	tSignal                   // a signal's name
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

// args reads a step's canonical, validated tokens for Kind.build.
type args []string

// str returns the i-th token.
func (a args) str(i int) string { return a[i] }

// val returns the value of key=value ("" if absent).
func (a args) val(key string) string {
	for _, t := range a {
		if v, ok := strings.CutPrefix(t, key+"="); ok {
			return v
		}
	}
	return ""
}

// dur returns key's duration; the token was validated.
func (a args) dur(key string) sim.Time { d, _ := ParseSeconds(a.val(key), false); return d }

// count returns key's integer; the token was validated.
func (a args) count(key string) int64 { n, _ := strconv.ParseInt(a.val(key), 10, 64); return n }

// prob returns key's probability; the token was validated.
func (a args) prob(key string) float64 { p, _ := strconv.ParseFloat(a.val(key), 64); return p }

// groups returns the two host groups of "a b | c d" tokens (nil, nil if
// there are none).
func (a args) groups() (x, y []string) {
	if len(a) == 0 {
		return nil, nil
	}
	x, y, _ = splitGroups(a)
	return append([]string(nil), x...), append([]string(nil), y...)
}

// Helpers that render canonical tokens.
func secs(key string, d sim.Time) string { return key + "=" + FormatSeconds(d) }
func itoa(i int) string                  { return strconv.Itoa(i) }
func keyInt(key string, n int64) string  { return key + "=" + strconv.FormatInt(n, 10) }
func keyProb(key string, p float64) string {
	return key + "=" + strconv.FormatFloat(p, 'f', -1, 64)
}

func groupArgs(a, b []string) []string {
	out := append(append([]string{}, a...), "|")
	return append(out, b...)
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
func checkStep(at sim.Time, kind string, args []string, hs *hostSet) ([]string, error) {
	st := struct {
		At   sim.Time
		Kind string
	}{at, kind}
	k := KindNamed(kind)
	if k == nil {
		return nil, fmt.Errorf("unknown step kind %q", st.Kind)
	}
	if st.At < 0 {
		return nil, fmt.Errorf("%s: time %s is negative", st.Kind, FormatSeconds(st.At))
	}
	if st.At%sim.Microsecond != 0 {
		return nil, fmt.Errorf("%s: time %dns is not a whole number of microseconds", st.Kind, st.At)
	}
	if st.At > Horizon {
		return nil, fmt.Errorf("%s: time %s is after the %ds budget", st.Kind, FormatSeconds(st.At), Horizon/sim.Second)
	}
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
			d, err := ParseSeconds(tok, true)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", st.Kind, err)
			}
			tok = FormatSeconds(d)
		case tParam:
			canon, rest, err := checkConfigValue(st.Kind, tok, args)
			if err != nil {
				return nil, err
			}
			out = append(out, tok)
			out = append(out, canon[:len(canon)-1]...)
			tok, args = canon[len(canon)-1], rest
		case tShutdown:
			if !slices.Contains(shutdownModes, tok) {
				return nil, fmt.Errorf("%s: bad shutdown mode %q (want %s)", st.Kind, tok, strings.Join(shutdownModes, ", "))
			}
		case tSignal:
			if !slices.Contains(signalNames, tok) {
				return nil, fmt.Errorf("%s: bad signal %q (want %s)", st.Kind, tok, strings.Join(signalNames, " or "))
			}
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
		d, err := ParseSeconds(val, false)
		if err != nil {
			return "", err
		}
		return FormatSeconds(d), nil
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

// ParseSeconds parses decimal seconds with at most six decimals ("1.25",
// "-5", "0.000001"); signed allows a leading '-'.
func ParseSeconds(s string, signed bool) (sim.Time, error) {
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
