package fault

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// Limits on a schedule's topology.
const (
	MaxReplicas = 8
	MaxChained  = 4
	MaxClients  = 64
)

// ParseSchedule reads a schedule in the text form Format writes. Blank
// lines and lines starting with '#' are ignored. Errors name the line and
// the offending token. Arguments are returned in canonical form (durations
// with six decimals), so Format(ParseSchedule(text)) is text for any text
// Format wrote.
func ParseSchedule(text string) (Schedule, error) {
	var s Schedule
	var steps []rawStep
	var stepLines, clockLines []int
	seenSeed, seenTopo, seenSwarm, seenPersist := 0, 0, 0, 0
	for i, raw := range strings.Split(text, "\n") {
		line := i + 1
		f := strings.Fields(raw)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		errf := func(format string, args ...any) (Schedule, error) {
			return Schedule{}, fmt.Errorf("schedule line %d: %s", line, fmt.Sprintf(format, args...))
		}
		switch f[0] {
		case "seed":
			if seenSeed > 0 {
				return errf("second seed line (first on line %d)", seenSeed)
			}
			seenSeed = line
			if len(f) != 2 {
				return errf("want: seed N")
			}
			v, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				return errf("bad seed %q", f[1])
			}
			s.Seed = v
		case "topology":
			if seenTopo > 0 {
				return errf("second topology line (first on line %d)", seenTopo)
			}
			seenTopo = line
			t, err := parseTopology(f[1:])
			if err != nil {
				return errf("%v", err)
			}
			s.Topology = t
		case "persistence":
			if seenPersist > 0 {
				return errf("second persistence line (first on line %d)", seenPersist)
			}
			seenPersist = line
			p, err := parsePersistence(f[1:])
			if err != nil {
				return errf("%v", err)
			}
			s.Persistence = p
		case "swarm":
			if seenSwarm > 0 {
				return errf("second swarm line (first on line %d)", seenSwarm)
			}
			seenSwarm = line
			if len(f) != 2 {
				return errf("want: swarm KIND,KIND,... or swarm none")
			}
			if f[1] != "none" {
				s.Swarm = strings.Split(f[1], ",")
			}
			for _, k := range s.Swarm {
				if !slices.Contains(SwarmKinds(), k) {
					return errf("unknown fault kind %q in swarm", k)
				}
			}
		case "clock":
			c, err := parseClock(f[1:])
			if err != nil {
				return errf("%v", err)
			}
			s.Clocks = append(s.Clocks, c)
			clockLines = append(clockLines, line)
		case "at":
			if len(f) < 3 {
				return errf("want: at SECONDS KIND ARGS...")
			}
			at, err := ParseSeconds(f[1], false)
			if err != nil {
				return errf("%v", err)
			}
			steps = append(steps, rawStep{at: at, kind: f[2], args: f[3:]})
			stepLines = append(stepLines, line)
		default:
			return errf("unknown directive %q (want seed, topology, persistence, swarm, clock, at or a # comment)", f[0])
		}
	}
	if seenSeed == 0 {
		return Schedule{}, fmt.Errorf("schedule: no seed line")
	}
	if seenTopo == 0 {
		return Schedule{}, fmt.Errorf("schedule: no topology line")
	}
	err := s.validate(steps,
		func(i int) string { return fmt.Sprintf("schedule line %d", stepLines[i]) },
		func(i int) string { return fmt.Sprintf("schedule line %d", clockLines[i]) })
	if err != nil {
		return Schedule{}, err
	}
	return s, nil
}

// Validate checks a schedule built in code as ParseSchedule checks text
// (its steps through their text form), and puts them in canonical form.
func (s *Schedule) Validate() error {
	if err := s.Topology.validate(); err != nil {
		return fmt.Errorf("schedule: %v", err)
	}
	if err := s.Persistence.validate(); err != nil {
		return fmt.Errorf("schedule: persistence: %v", err)
	}
	for _, k := range s.Swarm {
		if !slices.Contains(SwarmKinds(), k) {
			return fmt.Errorf("schedule: unknown fault kind %q in swarm", k)
		}
	}
	raw := make([]rawStep, len(s.Steps))
	for i, st := range s.Steps {
		if st.Fault == nil {
			return fmt.Errorf("schedule step %d: no fault", i+1)
		}
		raw[i] = rawStep{at: st.At, kind: st.Kind(), args: st.Fault.Args()}
	}
	return s.validate(raw,
		func(i int) string { return fmt.Sprintf("schedule step %d (%s)", i+1, raw[i].kind) },
		func(i int) string { return fmt.Sprintf("schedule clock %d", i+1) })
}

// rawStep is a step as text, before it is checked and typed.
type rawStep struct {
	at   sim.Time
	kind string
	args []string
}

// validate checks host names, op_add_replica names and every raw step,
// and sets s.Steps to the typed steps; stepAt and clockAt name a step or
// clock by index for errors.
func (s *Schedule) validate(raw []rawStep, stepAt, clockAt func(int) string) error {
	var added []string
	addedAt := map[string]int{}
	for i, st := range raw {
		if st.kind != kindAddReplica.Name || len(st.args) == 0 {
			continue
		}
		name := st.args[0]
		if j, dup := addedAt[name]; dup {
			return fmt.Errorf("%s: op_add_replica: node %q is added twice (also by %s)", stepAt(i), name, stepAt(j))
		}
		addedAt[name] = i
		added = append(added, name)
	}
	hs := newHostSet(s.Topology, added)
	steps := make([]Step, len(raw))
	for i, st := range raw {
		canon, err := checkStep(st.at, st.kind, st.args, hs)
		if err != nil {
			return fmt.Errorf("%s: %v", stepAt(i), err)
		}
		steps[i] = Step{At: st.at, Fault: KindNamed(st.kind).build(canon)}
	}
	if len(steps) == 0 {
		steps = nil
	}
	s.Steps = steps
	seen := map[string]int{}
	for i, c := range s.Clocks {
		if !hs.nodes[c.Node] {
			return fmt.Errorf("%s: clock: unknown node %q", clockAt(i), c.Node)
		}
		if j, dup := seen[c.Node]; dup {
			return fmt.Errorf("%s: clock: node %q has a clock already (%s)", clockAt(i), c.Node, clockAt(j))
		}
		seen[c.Node] = i
		if c.Offset%1000 != 0 {
			return fmt.Errorf("%s: clock %s: offset is not a whole number of microseconds", clockAt(i), c.Node)
		}
		if c.DriftPPM < -maxDriftPPM || c.DriftPPM > maxDriftPPM {
			return fmt.Errorf("%s: clock %s: drift %d is outside ±%d ppm", clockAt(i), c.Node, c.DriftPPM, maxDriftPPM)
		}
	}
	return nil
}

// maxDriftPPM bounds a clock's drift.
const maxDriftPPM = 100000

func parseTopology(f []string) (Topology, error) {
	var t Topology
	want := []string{"replicas", "chained", "clients"}
	if len(f) != len(want) {
		return t, fmt.Errorf("want: topology replicas=N chained=N clients=N")
	}
	vals := make([]int, len(want))
	for i, key := range want {
		v, ok := strings.CutPrefix(f[i], key+"=")
		if !ok {
			return t, fmt.Errorf("topology: want %s=N, got %q", key, f[i])
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return t, fmt.Errorf("topology: bad %q: want an integer", f[i])
		}
		vals[i] = n
	}
	t = Topology{Replicas: vals[0], Chained: vals[1], Clients: vals[2]}
	if err := t.validate(); err != nil {
		return Topology{}, fmt.Errorf("topology: %v", err)
	}
	return t, nil
}

func (t Topology) validate() error {
	switch {
	case t.Replicas < 1 || t.Replicas > MaxReplicas:
		return fmt.Errorf("replicas=%d: want 1 to %d", t.Replicas, MaxReplicas)
	case t.Chained < 0 || t.Chained > MaxChained:
		return fmt.Errorf("chained=%d: want 0 to %d", t.Chained, MaxChained)
	case t.Clients < 1 || t.Clients > MaxClients:
		return fmt.Errorf("clients=%d: want 1 to %d", t.Clients, MaxClients)
	}
	return nil
}

// fsyncPolicies are the AOF fsync policies a schedule may name.
var fsyncPolicies = []string{"always", "everysec", "no"}

func parsePersistence(f []string) (Persistence, error) {
	var p Persistence
	if len(f) != 2 {
		return p, fmt.Errorf("want: persistence aof=off|always|everysec|no save=off|SECONDS:CHANGES")
	}
	aof, ok := strings.CutPrefix(f[0], "aof=")
	if !ok {
		return p, fmt.Errorf("persistence: want aof=..., got %q", f[0])
	}
	if aof != "off" {
		p.AppendFsync = aof
	}
	save, ok := strings.CutPrefix(f[1], "save=")
	if !ok {
		return p, fmt.Errorf("persistence: want save=..., got %q", f[1])
	}
	if save != "off" {
		secs, changes, ok := strings.Cut(save, ":")
		a, err1 := strconv.ParseInt(secs, 10, 64)
		b, err2 := strconv.ParseInt(changes, 10, 64)
		if !ok || err1 != nil || err2 != nil || a < 1 {
			return p, fmt.Errorf("persistence: bad %q: want save=off or save=SECONDS:CHANGES with SECONDS >= 1", f[1])
		}
		p.SaveSeconds, p.SaveChanges = a, b
	}
	if err := p.validate(); err != nil {
		return Persistence{}, fmt.Errorf("persistence: %v", err)
	}
	return p, nil
}

func (p Persistence) validate() error {
	if p.AppendFsync != "" && !slices.Contains(fsyncPolicies, p.AppendFsync) {
		return fmt.Errorf("bad aof=%s: want off, always, everysec or no", p.AppendFsync)
	}
	if p.SaveSeconds < 0 || p.SaveChanges < 0 || (p.SaveSeconds == 0 && p.SaveChanges != 0) {
		return fmt.Errorf("bad save rule %d:%d", p.SaveSeconds, p.SaveChanges)
	}
	return nil
}

func parseClock(f []string) (Clock, error) {
	if len(f) != 3 {
		return Clock{}, fmt.Errorf("want: clock NODE offset=SECONDS drift=PPM")
	}
	c := Clock{Node: f[0]}
	v, ok := strings.CutPrefix(f[1], "offset=")
	if !ok {
		return Clock{}, fmt.Errorf("clock: want offset=SECONDS, got %q", f[1])
	}
	off, err := ParseSeconds(v, true)
	if err != nil {
		return Clock{}, fmt.Errorf("clock: %v", err)
	}
	c.Offset = off
	v, ok = strings.CutPrefix(f[2], "drift=")
	if !ok {
		return Clock{}, fmt.Errorf("clock: want drift=PPM, got %q", f[2])
	}
	d, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return Clock{}, fmt.Errorf("clock: bad %q: want an integer", f[2])
	}
	c.DriftPPM = d
	return c, nil
}
