package fault

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// Schedule is a run's fault plan as data: the run parameters the seed
// decides (topology, the swarm of enabled fault kinds, the nodes' clocks)
// and the steps the harness carries out at their virtual times. A seed
// generates one (GenerateSchedule); its text form (Format, ParseSchedule)
// can be printed, edited and run instead (Options.Schedule).
//
// The text form has one item per line; '#' starts a comment line:
//
//	seed 42
//	topology replicas=2 chained=1 clients=4
//	persistence aof=everysec save=5:1
//	swarm net_partition,proc_crash
//	clock n2 offset=-0.250000 drift=35
//	at 0.800000 proc_crash n1 torn
//	at 1.100000 proc_restart n1
//	at 1.250000 net_partition n1 c1 | n2 n3
//	at 2.000000 net_heal n1 c1 | n2 n3
//	at 3.000000 heal
//
// Times and durations are seconds of virtual time with at most six decimals.
// Steps run in time order; steps at the same time run in line order.
type Schedule struct {
	// Seed is the seed the schedule was generated from; a run of the
	// schedule uses it unless told otherwise.
	Seed        uint64
	Topology    Topology
	Persistence Persistence
	// Swarm lists the fault kinds the seed enabled, sorted.
	Swarm  []string
	Clocks []Clock
	Steps  []Step
}

// Topology is the cluster a schedule runs on: n1 is the first master,
// n2..n(1+Replicas) replicate from it, and each of the Chained nodes after
// them replicates from one of those replicas (n(2+i%Replicas) for the
// i-th). Clients c1..cClients talk to the master; one reader r1.. per
// initial replica reads from it.
type Topology struct {
	Replicas int
	Chained  int
	Clients  int
}

// Persistence is every node's persistence config. The zero value is none.
type Persistence struct {
	// AppendFsync is the AOF's fsync policy (always, everysec, no); ""
	// means appendonly no. Written "aof=off".
	AppendFsync string
	// SaveSeconds and SaveChanges are one RDB save rule ("save=5:1");
	// 0 seconds means no RDB snapshots ("save=off").
	SaveSeconds, SaveChanges int64
}

// String renders the persistence line, e.g. "persistence aof=everysec save=5:1".
func (p Persistence) String() string {
	aof, save := p.AppendFsync, "off"
	if aof == "" {
		aof = "off"
	}
	if p.SaveSeconds > 0 {
		save = strconv.FormatInt(p.SaveSeconds, 10) + ":" + strconv.FormatInt(p.SaveChanges, 10)
	}
	return "persistence aof=" + aof + " save=" + save
}

// Clock is one node's clock: a constant offset from virtual time and a
// drift in parts per million. clock_jump steps move the offset later.
type Clock struct {
	Node     string
	Offset   sim.Time
	DriftPPM int64
}

// Step is one thing the injector does at virtual time At: a typed Fault
// (a fault, an operator action or the heal), e.g. NetPartition{A: ["n1"],
// B: ["n2", "n3"]}. See Kinds for every kind and its arguments.
type Step struct {
	At    sim.Time
	Fault Fault
}

// Kind returns the name of the step's kind, e.g. "net_partition".
func (st Step) Kind() string { return st.Fault.Kind() }

// String renders the step as its schedule line, e.g.
// "at 0.800000 proc_crash n1 torn".
func (st Step) String() string {
	var b strings.Builder
	b.WriteString("at ")
	b.WriteString(FormatSeconds(st.At))
	b.WriteByte(' ')
	b.WriteString(st.Kind())
	for _, a := range st.Fault.Args() {
		b.WriteByte(' ')
		b.WriteString(a)
	}
	return b.String()
}

// scheduleHeader is the comment Format starts with.
const scheduleHeader = "# replsim fault schedule: edit and run with replsim run --faults FILE; times in virtual seconds"

// Format renders the schedule in its text form. ParseSchedule(s.Format())
// returns s for every valid schedule.
func (s Schedule) Format() string {
	var b strings.Builder
	b.WriteString(scheduleHeader)
	b.WriteString("\nseed ")
	b.WriteString(strconv.FormatUint(s.Seed, 10))
	b.WriteString("\n")
	b.WriteString(s.Topology.String())
	b.WriteString("\n")
	b.WriteString(s.Persistence.String())
	b.WriteString("\nswarm ")
	if len(s.Swarm) == 0 {
		b.WriteString("none")
	}
	b.WriteString(strings.Join(s.Swarm, ","))
	b.WriteByte('\n')
	for _, c := range s.Clocks {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	for _, st := range s.Steps {
		b.WriteString(st.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// String renders the topology line, e.g. "topology replicas=2 chained=1 clients=4".
func (t Topology) String() string {
	return "topology replicas=" + strconv.Itoa(t.Replicas) + " chained=" + strconv.Itoa(t.Chained) +
		" clients=" + strconv.Itoa(t.Clients)
}

// String renders the clock line, e.g. "clock n2 offset=-0.250000 drift=35".
func (c Clock) String() string {
	return "clock " + c.Node + " offset=" + FormatSeconds(c.Offset) + " drift=" + strconv.FormatInt(c.DriftPPM, 10)
}

// Nodes returns the names of the topology's nodes in order: n1, its
// replicas, then the chained replicas.
func (t Topology) Nodes() []string {
	out := make([]string, 1+t.Replicas+t.Chained)
	for i := range out {
		out[i] = "n" + strconv.Itoa(i+1)
	}
	return out
}

// Upstream returns the node the i-th node (0-based, as in Nodes) first
// replicates from, or "" for the master.
func (t Topology) Upstream(i int) string {
	switch {
	case i == 0:
		return ""
	case i <= t.Replicas:
		return "n1"
	}
	return "n" + strconv.Itoa(2+(i-1-t.Replicas)%t.Replicas)
}

// ClientNames returns the client host names: c1.., then the readers r1...
func (t Topology) ClientNames() []string {
	var out []string
	for i := 1; i <= t.Clients; i++ {
		out = append(out, "c"+strconv.Itoa(i))
	}
	for i := 1; i <= t.Replicas+t.Chained; i++ {
		out = append(out, "r"+strconv.Itoa(i))
	}
	return out
}

// FormatSeconds renders t as seconds with six decimals ("-5.000000").
func FormatSeconds(t sim.Time) string {
	neg := t < 0
	if neg {
		t = -t
	}
	s := string(AppendSeconds(nil, t))
	if neg {
		return "-" + s
	}
	return s
}

// AppendSeconds appends t as FormatSeconds renders it (t >= 0).
func AppendSeconds(b []byte, t sim.Time) []byte {
	b = strconv.AppendInt(b, t/sim.Second, 10)
	b = append(b, '.')
	us := (t % sim.Second) / sim.Microsecond
	for div := int64(100000); div > 0; div /= 10 {
		b = append(b, byte('0'+us/div%10))
	}
	return b
}

// Clone returns a copy of s that shares nothing mutable with it.
func (s Schedule) Clone() Schedule {
	c := s
	c.Swarm = append([]string(nil), s.Swarm...)
	c.Clocks = append([]Clock(nil), s.Clocks...)
	c.Steps = append([]Step(nil), s.Steps...) // faults are values, never changed in place
	return c
}
