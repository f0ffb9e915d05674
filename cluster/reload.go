package cluster

import (
	"fmt"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// Reload implements fault.Target: DEBUG RELOAD (args are the command) on
// a live node, with its dataset recorded just before and just after for
// the reload check (checker.CheckReloads). An error reply is recorded and
// judged too, not returned: the save's failure is part of what is checked.
//
// The operator does not reload a node whose disk may fail or corrupt a
// read: Redis 7.0.15 then answers "Error trying to load the RDB dump" and
// serves on with an empty dataset (checked on redis-server), a loss of
// data outside every other check's model.
func (h *Cluster) Reload(name string, args ...string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	for _, inj := range s.injectors {
		if inj.Enabled && inj.Ops.Has(disksim.OpRead) {
			return fmt.Errorf("%s: its disk may fail reads (%s): no DEBUG RELOAD", name, inj.Name)
		}
	}
	master := s.node.Repl().Role == "master"
	before := s.node.Dataset()
	if master {
		for _, kv := range before {
			if kv.ExpireAt != 0 {
				return fmt.Errorf("%s: a master with keys that may expire: no DEBUG RELOAD", name)
			}
		}
	}
	nev := len(h.evictions)
	v, err := h.Exec(name, args...)
	if err != nil {
		return err
	}
	var evicted []tap.KeyValue
	for _, ev := range h.evictions[nev:] {
		if ev.node == name {
			evicted = append(evicted, tap.KeyValue{DB: ev.db, Key: ev.key})
		}
	}
	if !s.up || s.node.Down() {
		return nil // the load ended the process: the restart checks judge
	}
	reply := v.String()
	if v.Kind == resp.Error {
		reply = string(v.Str)
	}
	h.rec.reloads = append(h.rec.reloads, checker.Reload{At: int64(h.w.Now()), Node: name, Args: args, Master: master,
		Reply: reply, Before: before, After: s.node.Dataset(), Evicted: evicted})
	return nil
}

// Reloads are the operator's DEBUG RELOADs, for the reload check.
func (h *Cluster) Reloads() []checker.Reload { return h.rec.reloads }
