// Package harness ties a seed to a verdict: it builds a simulated cluster
// (nodes, clients, network, disks) on the sim kernel, drives a workload and
// a fault schedule derived from the seed, lets the cluster heal, and hands
// the recorded history and final states to the checkers.
package harness

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/node"
)

// Options describe one run. The zero value of every field but Seed means
// "the default".
type Options struct {
	Seed uint64
	// Ops is the number of operations the master's clients issue in all.
	Ops int
	// Clients is the number of clients writing to the master.
	Clients int
	// Replicas is the number of replicas of the first master (default 2).
	Replicas int
	// Keys is the size of the key space.
	Keys int
	// Bugs switches on planted node bugs by name.
	Bugs []string
	// Families forces command families into the seed's workload mix
	// (cluster.FamilyNames), to focus a sweep on them.
	Families []string
	// Faults forces fault kinds into the seed's swarm (fault.SwarmKinds),
	// to focus a sweep on them; "op_config=PARAM" also makes every
	// CONFIG SET of the operator set PARAM (fault.Params.Force).
	Faults []string
	// KeepTrace keeps every trace line in the result (for reports).
	KeepTrace bool
	// CheckTimeout bounds porcupine per key (wall clock).
	CheckTimeout time.Duration
	// NoFaults runs the seed's topology and clocks without fault steps.
	NoFaults bool
	// Schedule, if set, is run instead of the schedule the seed generates
	// (see GenerateSchedule); Replicas and Clients then default to its
	// topology and must agree with it.
	Schedule *fault.Schedule
	// Workload, if set, is the operation list the clients send instead of
	// drawing operations from the seed (cluster.OpList); its clients must
	// be in the run's topology.
	Workload *cluster.OpList
	// MaxEvents caps the events of a run (default 5,000,000); a run that
	// reaches it is a liveness violation.
	MaxEvents uint64
}

// WithDefaults returns o with every zero field set to its default (a
// schedule's topology decides Replicas and Clients).
func (o Options) WithDefaults() Options {
	if o.Schedule != nil {
		if o.Replicas <= 0 {
			o.Replicas = o.Schedule.Topology.Replicas
		}
		if o.Clients <= 0 {
			o.Clients = o.Schedule.Topology.Clients
		}
	}
	if o.Clients <= 0 {
		o.Clients = 4
	}
	d := cluster.Options{Ops: o.Ops, Keys: o.Keys, Replicas: o.Replicas, CheckTimeout: o.CheckTimeout}.WithDefaults()
	o.Ops, o.Keys, o.Replicas, o.CheckTimeout = d.Ops, d.Keys, d.Replicas, d.CheckTimeout
	if o.MaxEvents == 0 {
		o.MaxEvents = defaultMaxEvents
	}
	return o
}

// Validate reports options that cannot run.
func (o Options) Validate() error {
	for _, b := range o.Bugs {
		if !node.IsBug(b) {
			names := []string{}
			for _, info := range node.Bugs() {
				names = append(names, info.Name)
			}
			sort.Strings(names)
			return fmt.Errorf("unknown bug %q (known: %v)", b, names)
		}
	}
	for _, f := range o.Families {
		if !slices.Contains(cluster.FamilyNames(), f) {
			return fmt.Errorf("unknown family %q (known: %v)", f, cluster.FamilyNames())
		}
	}
	if err := fault.CheckForce(o.Faults); err != nil {
		return err
	}
	if o.Replicas > fault.MaxReplicas {
		return fmt.Errorf("replicas: at most %d, got %d", fault.MaxReplicas, o.Replicas)
	}
	if o.Clients > fault.MaxClients {
		return fmt.Errorf("clients: at most %d, got %d", fault.MaxClients, o.Clients)
	}
	if o.Schedule != nil {
		s := o.Schedule.Clone()
		if err := o.WithDefaults().checkSchedule(&s); err != nil {
			return err
		}
	}
	if o.Workload != nil {
		t := GenerateSchedule(o).Topology
		if o.Schedule != nil {
			t = o.Schedule.Topology
		}
		return o.Workload.Check(t)
	}
	return nil
}

// checkSchedule validates s (putting it in canonical form) and checks that
// it fits the options.
func (o Options) checkSchedule(s *fault.Schedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if o.Replicas != s.Topology.Replicas {
		return fmt.Errorf("schedule: topology has replicas=%d but the run asks for %d", s.Topology.Replicas, o.Replicas)
	}
	if o.Clients != s.Topology.Clients {
		return fmt.Errorf("schedule: topology has clients=%d but the run asks for %d", s.Topology.Clients, o.Clients)
	}
	return nil
}

// GenerateSchedule is the schedule the seed of opts generates (see
// fault.Generate), with the options' defaults.
func GenerateSchedule(opts Options) fault.Schedule {
	opts = opts.WithDefaults()
	return fault.Generate(fault.Params{Seed: opts.Seed, Ops: opts.Ops, Replicas: opts.Replicas, Clients: opts.Clients, NoFaults: opts.NoFaults, Force: opts.Faults})
}
