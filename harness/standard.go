package harness

import (
	"fmt"
	"time"

	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/sim"
)

// StandardOptions is the standard chaos scenario, defined once for chaos
// sweeps and benchmarks: one master and two replicas, four clients issuing
// 1,000 operations over eight keys, the seed's fault schedule, then heal
// and check. `replsim run --seed N --replicas 2` replays it.
func StandardOptions(seed uint64) Options {
	return Options{Seed: seed, Ops: 1000, Clients: 4, Replicas: 2, Keys: 8}
}

// FaultFreeResult is the outcome of RunFaultFree.
type FaultFreeResult struct {
	// Ops is the number of client operations that completed.
	Ops int
	// SimTime is the virtual time the workload and convergence took.
	SimTime sim.Time
	// Events is the number of simulation events run.
	Events uint64
}

// RunFaultFree runs ops operations from clients clients (eight keys)
// against a master with replicas replicas on a network without faults,
// then waits for the replicas to converge. It is the yardstick for raw
// simulation speed; an error means the cluster did not finish or converge.
func RunFaultFree(seed uint64, clients, ops, replicas int) (FaultFreeResult, error) {
	w := sim.NewWorld(seed)
	h := cluster.New(w, cluster.Options{})
	if err := h.Start("n1", cluster.NodeOptions{}); err != nil {
		return FaultFreeResult{}, err
	}
	for i := 0; i < replicas; i++ {
		if err := h.Start(fmt.Sprintf("n%d", i+2), cluster.NodeOptions{ReplicaOf: "n1"}); err != nil {
			return FaultFreeResult{}, err
		}
	}
	if err := h.Workload(clients, ops, 8); err != nil {
		return FaultFreeResult{}, err
	}
	if !h.WaitWorkload(workloadBudget) {
		return FaultFreeResult{}, fmt.Errorf("fault-free seed %d: workload not done after %s", seed, time.Duration(workloadBudget))
	}
	if !h.WaitConverged(healBudget) {
		return FaultFreeResult{}, fmt.Errorf("fault-free seed %d: replicas did not converge", seed)
	}
	done := 0
	for _, op := range h.MasterOps() {
		if !op.Unknown || op.QuietReply != "" { // a quiet write's request got its one reply
			done++
		}
	}
	return FaultFreeResult{Ops: done, SimTime: w.Now(), Events: w.Fired()}, nil
}
