package shrink

import (
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/sim"
)

// ddmin drops chunks of a sequence of items (delta debugging, complements
// only): all of it, then halves, quarters, ... single items, and single
// items again until a sweep drops nothing. count is the sequence's length
// in o; without returns o without items lo..hi-1.
func (s *shrinker) ddmin(count func(harness.Options) int, without func(o harness.Options, lo, hi int) harness.Options) bool {
	changed := false
	for chunk := count(s.r.Shrunk); chunk >= 1 && !s.exhausted(); {
		dropped := false
		for lo := 0; lo < count(s.r.Shrunk) && !s.exhausted(); {
			hi := min(lo+chunk, count(s.r.Shrunk))
			if s.try(without(s.r.Shrunk, lo, hi)) {
				dropped, changed = true, true
				continue
			}
			lo = hi
		}
		switch {
		case chunk == 1 && !dropped:
			return changed
		case chunk > 1:
			chunk = min((chunk+1)/2, max(count(s.r.Shrunk), 1))
		}
	}
	return changed
}

// withList returns o with a copy of its operation list changed by f.
func withList(o harness.Options, f func(l *cluster.OpList)) harness.Options {
	l := o.Workload.Clone()
	f(l)
	o.Workload = l
	return o
}

// withSchedule returns o with a copy of its schedule changed by f.
func withSchedule(o harness.Options, f func(s *fault.Schedule)) harness.Options {
	s := o.Schedule.Clone()
	f(&s)
	o.Schedule = &s
	return o
}

func opCount(o harness.Options) int {
	if o.Workload == nil {
		return 0
	}
	return len(o.Workload.Ops)
}

// shrinkOps drops operations, then commands of a transaction (one stays).
func shrinkOps(s *shrinker) bool {
	if s.r.Shrunk.Workload == nil {
		return false
	}
	changed := s.ddmin(opCount, func(o harness.Options, lo, hi int) harness.Options {
		return withList(o, func(l *cluster.OpList) { l.Ops = slices.Delete(l.Ops, lo, hi) })
	})
	for i := 0; i < opCount(s.r.Shrunk); i++ {
		for j := 0; j < len(s.r.Shrunk.Workload.Ops[i].Op.Sub); {
			op := s.r.Shrunk.Workload.Ops[i].Op
			if op.Kind != checker.OpTx || len(op.Sub) < 2 {
				break
			}
			if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) { l.Ops[i].Op.Sub = slices.Delete(l.Ops[i].Op.Sub, j, j+1) })) {
				changed = true
				continue
			}
			j++
		}
	}
	return changed
}

// shrinkClients drops a client's operations, hands them to another client
// (one client fewer sends anything), and takes clients nobody uses out of
// the topology.
func shrinkClients(s *shrinker) bool {
	if s.r.Shrunk.Workload == nil {
		return false
	}
	changed := false
	for _, c := range s.r.Shrunk.Workload.Clients() {
		if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) {
			l.Ops = slices.DeleteFunc(l.Ops, func(o cluster.ClientOp) bool { return o.Client == c })
		})) {
			changed = true
		}
	}
	if l := s.r.Shrunk.Workload; idleClients(l) {
		// A client with no operations sends no SELECT: its db is noise;
		// a bad-auth one without operations only dials.
		changed = s.try(withList(s.r.Shrunk, func(l *cluster.OpList) {
			for c := range l.DBs {
				if l.Count(c) == 0 {
					delete(l.DBs, c)
				}
			}
			for c := range l.Auth {
				if l.Count(c) == 0 {
					delete(l.Auth, c)
				}
			}
		})) || changed
	}
	names := s.r.Shrunk.Schedule.Topology.ClientNames()
	for i, from := range names {
		for _, to := range names[:i] {
			l := s.r.Shrunk.Workload
			if to[0] != from[0] || l.Count(from) == 0 {
				continue
			}
			if l.Count(to) > 0 && l.DB(to) != l.DB(from) {
				continue
			}
			if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) { renameClient(l, from, to) })) {
				changed = true
				break
			}
		}
	}
	for {
		t := s.r.Shrunk.Schedule.Topology
		last := "c" + strconv.Itoa(t.Clients)
		if t.Clients <= 1 || s.r.Shrunk.Workload.Count(last) > 0 {
			break
		}
		c := withSchedule(s.r.Shrunk, func(sc *fault.Schedule) {
			sc.Topology.Clients--
			dropHost(sc, last)
		})
		c = withList(c, func(l *cluster.OpList) { delete(l.DBs, last) })
		c.Clients = c.Schedule.Topology.Clients
		if !s.try(c) {
			break
		}
		changed = true
	}
	return changed
}

// idleClients reports whether l gives a database or a bad-auth mode to a
// client without operations.
func idleClients(l *cluster.OpList) bool {
	for c := range l.DBs {
		if l.Count(c) == 0 {
			return true
		}
	}
	for c := range l.Auth {
		if l.Count(c) == 0 {
			return true
		}
	}
	return false
}

// renameClient gives from's operations (and database) to to.
func renameClient(l *cluster.OpList, from, to string) {
	for i := range l.Ops {
		if l.Ops[i].Client == from {
			l.Ops[i].Client = to
		}
	}
	if db := l.DB(from); db != 0 {
		l.DBs[to] = db
	} else {
		delete(l.DBs, to)
	}
	delete(l.DBs, from)
}

// dropHost takes every step that names host out of the schedule, and the
// host's clock.
func dropHost(sc *fault.Schedule, host string) {
	sc.Steps = slices.DeleteFunc(sc.Steps, func(st fault.Step) bool { return slices.Contains(st.Fault.Args(), host) })
	sc.Clocks = slices.DeleteFunc(sc.Clocks, func(c fault.Clock) bool { return c.Node == host })
}

// keyDB is the database prefix of a key ("d1:" of "d1:k3", "" for db 0).
func keyDB(k string) string {
	if p, _, ok := strings.Cut(k, ":"); ok && strings.HasPrefix(p, "d") {
		return p + ":"
	}
	return ""
}

// shrinkKeys renames a key onto another of the same database, so fewer
// keys are in play.
func shrinkKeys(s *shrinker) bool {
	if s.r.Shrunk.Workload == nil {
		return false
	}
	changed := false
	keys := s.r.Shrunk.Workload.Keys()
	for i := len(keys) - 1; i > 0; i-- {
		from := keys[i]
		for _, to := range keys[:i] {
			if keyDB(to) != keyDB(from) || !slices.Contains(s.r.Shrunk.Workload.Keys(), to) {
				continue
			}
			if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) { renameKey(l, from, to) })) {
				changed = true
				break
			}
		}
	}
	// Then the first free plain name of its database (k0, k1, ...), for
	// the reader's sake.
	for _, from := range s.r.Shrunk.Workload.Keys() {
		keys := s.r.Shrunk.Workload.Keys()
		for j := 0; ; j++ {
			to := keyDB(from) + "k" + strconv.Itoa(j)
			if to == from || len(to) > len(from) || len(to) == len(from) && to > from {
				break
			}
			if slices.Contains(keys, to) {
				continue
			}
			if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) { renameKey(l, from, to) })) {
				changed = true
			}
			break
		}
	}
	return changed
}

func renameKey(l *cluster.OpList, from, to string) {
	for i := range l.Ops {
		rewriteOp(&l.Ops[i].Op, func(op *checker.Op) {
			if op.Kind == checker.OpCmd {
				renameCmdKey(op, from, to)
				return
			}
			if op.Key == from {
				op.Key = to
			}
			if op.Key2 == from {
				op.Key2 = to
			}
		})
	}
}

// renameCmdKey renames key from to to in a registry command's keys,
// unless the command names both (the checker judges its keys apart).
func renameCmdKey(op *checker.Op, from, to string) {
	keys := checker.CmdKeys(op.Args)
	for _, p := range keys {
		if op.Args[p] == to {
			return
		}
	}
	args := slices.Clone(op.Args)
	for _, p := range checker.CmdKeyArgs(op.Args) {
		if args[p] == from {
			args[p] = to
		}
	}
	op.Args = args
	if len(keys) > 0 {
		op.Key = args[keys[0]]
	}
}

// rewriteOp applies f to op and to each command of a transaction, and
// renders the commands' Args anew.
func rewriteOp(op *checker.Op, f func(*checker.Op)) {
	f(op)
	for i := range op.Sub {
		f(&op.Sub[i])
		op.Sub[i].Args = reparse(&op.Sub[i])
	}
	if op.Kind != checker.OpTx && op.Args != nil {
		op.Args = reparse(op)
	}
}

// reparse renders op's command words from its fields (the form the
// workload sends); a command refused when queued keeps its words.
func reparse(op *checker.Op) []string {
	if (op.Kind == checker.OpRead && op.Mode == "") || op.Kind == checker.OpCmd || op.IsExpect() || op.IsAdmin() {
		// A table command's words are the command (PROTOX names raw
		// bytes, cluster/workload_protocol.go); its key is renamed in them.
		return op.Args
	}
	saved := op.Args
	op.Args = nil
	words := cluster.CommandWords(op)
	op.Args = saved
	return words
}

// valueSlot addresses one value of an operation list: operation op, its
// sub command sub (-1 for the operation itself), Value2 if second.
type valueSlot struct {
	op, sub int
	second  bool
}

func (v valueSlot) get(l *cluster.OpList) *string {
	op := &l.Ops[v.op].Op
	if v.sub >= 0 {
		op = &op.Sub[v.sub]
	}
	if v.second {
		return &op.Value2
	}
	return &op.Value
}

func valueSlots(l *cluster.OpList) []valueSlot {
	var out []valueSlot
	add := func(i, sub int, op *checker.Op) {
		if len(op.Value) > 1 {
			out = append(out, valueSlot{i, sub, false})
		}
		if len(op.Value2) > 1 {
			out = append(out, valueSlot{i, sub, true})
		}
	}
	for i := range l.Ops {
		add(i, -1, &l.Ops[i].Op)
		for j := range l.Ops[i].Op.Sub {
			add(i, j, &l.Ops[i].Op.Sub[j])
		}
	}
	return out
}

// shortened returns l with the values at slots cut to their first byte
// (half, if half is set).
func shortened(o harness.Options, slots []valueSlot, half bool) harness.Options {
	return withList(o, func(l *cluster.OpList) {
		for _, v := range slots {
			p := v.get(l)
			if half {
				*p = (*p)[:len(*p)/2]
			} else {
				*p = (*p)[:1]
			}
		}
		for i := range l.Ops {
			rewriteOp(&l.Ops[i].Op, func(*checker.Op) {})
		}
	})
}

// shrinkValues shortens values: all at once, then one by one.
func shrinkValues(s *shrinker) bool {
	if s.r.Shrunk.Workload == nil {
		return false
	}
	slots := valueSlots(s.r.Shrunk.Workload)
	if len(slots) == 0 {
		return false
	}
	if s.try(shortened(s.r.Shrunk, slots, false)) {
		return true
	}
	changed := false
	for _, v := range slots {
		if s.try(shortened(s.r.Shrunk, []valueSlot{v}, false)) || s.try(shortened(s.r.Shrunk, []valueSlot{v}, true)) {
			changed = true
		}
	}
	return changed
}

// faultSteps returns the indexes of the steps that may go (all but the
// heal).
func faultSteps(sc *fault.Schedule) []int {
	var out []int
	for i, st := range sc.Steps {
		if _, heal := st.Fault.(fault.Heal); !heal {
			out = append(out, i)
		}
	}
	return out
}

// shrinkSteps drops fault steps.
func shrinkSteps(s *shrinker) bool {
	return s.ddmin(func(o harness.Options) int { return len(faultSteps(o.Schedule)) },
		func(o harness.Options, lo, hi int) harness.Options {
			drop := faultSteps(o.Schedule)[lo:hi]
			return withSchedule(o, func(sc *fault.Schedule) {
				var keep []fault.Step
				for i, st := range sc.Steps {
					if !slices.Contains(drop, i) {
						keep = append(keep, st)
					}
				}
				sc.Steps = keep
			})
		})
}

// shrinkReplicas takes the last node (a chained replica first) and its
// reader out of the topology, with the steps that name them.
func shrinkReplicas(s *shrinker) bool {
	changed := false
	for {
		t := s.r.Shrunk.Schedule.Topology
		if t.Chained == 0 && t.Replicas <= 1 {
			return changed
		}
		node := "n" + strconv.Itoa(1+t.Replicas+t.Chained)
		reader := "r" + strconv.Itoa(t.Replicas+t.Chained)
		c := withSchedule(s.r.Shrunk, func(sc *fault.Schedule) {
			if sc.Topology.Chained > 0 {
				sc.Topology.Chained--
			} else {
				sc.Topology.Replicas--
			}
			dropHost(sc, node)
			dropHost(sc, reader)
		})
		c.Replicas = c.Schedule.Topology.Replicas
		if c.Workload != nil {
			c = withList(c, func(l *cluster.OpList) {
				l.Ops = slices.DeleteFunc(l.Ops, func(o cluster.ClientOp) bool { return o.Client == reader })
			})
		}
		if !s.try(c) {
			return changed
		}
		changed = true
	}
}

// shrinkTimes lets operations go as soon as their client is ready, and
// moves fault steps (the heal too) earlier: to the step before, or half
// way there.
func shrinkTimes(s *shrinker) bool {
	changed := false
	if l := s.r.Shrunk.Workload; l != nil && slices.ContainsFunc(l.Ops, func(o cluster.ClientOp) bool { return o.At > 0 }) {
		if s.try(withList(s.r.Shrunk, func(l *cluster.OpList) {
			for i := range l.Ops {
				l.Ops[i].At = 0
			}
		})) {
			changed = true
		} else {
			for i := range l.Ops {
				if s.r.Shrunk.Workload.Ops[i].At > 0 && s.try(withList(s.r.Shrunk, func(l *cluster.OpList) { l.Ops[i].At = 0 })) {
					changed = true
				}
			}
		}
	}
	for i := range s.r.Shrunk.Schedule.Steps {
		for _, half := range []bool{false, true} {
			steps := s.r.Shrunk.Schedule.Steps
			prev := sim.Time(0)
			if i > 0 {
				prev = steps[i-1].At
			}
			at := prev
			if half {
				at = (prev + (steps[i].At-prev)/2) / sim.Microsecond * sim.Microsecond
			}
			if at >= steps[i].At {
				continue
			}
			if s.try(withSchedule(s.r.Shrunk, func(sc *fault.Schedule) { sc.Steps[i].At = at })) {
				changed = true
				break
			}
		}
	}
	return changed
}

// Reseeding: how many other seeds to try per cut, above how many
// operations.
const (
	reseedTries = 48
	reseedAbove = 5
)

// shrinkWithOtherSeeds cuts the operation list in half (the second half,
// then the first) under other seeds than the run's: the schedule and the
// list stay, but the nodes' and the network's random draws change.
func shrinkWithOtherSeeds(s *shrinker) bool {
	l := s.r.Shrunk.Workload
	if l == nil || len(l.Ops) <= reseedAbove {
		return false
	}
	n := len(l.Ops)
	for _, cut := range [][2]int{{n / 2, n}, {0, n / 2}} {
		for k := uint64(1); k <= reseedTries && !s.exhausted(); k++ {
			c := withList(s.r.Shrunk, func(l *cluster.OpList) { l.Ops = slices.Delete(l.Ops, cut[0], cut[1]) })
			c.Seed += k
			c = withSchedule(c, func(sc *fault.Schedule) { sc.Seed = c.Seed })
			if s.try(c) {
				return true
			}
		}
	}
	return false
}
