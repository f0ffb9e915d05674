package cluster

import (
	"strings"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// shutdownOnSigValues are values the harness gives shutdown-on-sigterm and
// shutdown-on-sigint, in a config file's words: Redis 7.0.15 takes the
// flags in any order and case, "default" among others adding nothing
// (server.c's shutdown_on_sig_enum, a multi-arg enum).
var shutdownOnSigValues = []string{"default", "save", "nosave", "now", "force", "save now", "nosave now",
	"now force", "save force", "nosave force", "save now force", "nosave now force", "NOW nosave", "default save"}

// drawShutdownOnSig gives, in a third of the seeds (stream
// "setup/shutdown-on-sig", so no other draw moves), each node of the
// topology its own shutdown-on-sigterm and shutdown-on-sigint, so which
// flags a signal's shutdown uses (proc_signal) matters: saving or not,
// waiting for the replicas or not, exiting despite a failed save or not.
// It returns them as the node was given them ("" for not given: the
// default), and sets them in cfg.
func drawShutdownOnSig(r *sim.Rand, cfg *node.Config) (given [2]string) {
	if !r.Chance(1.0 / 3) {
		return given
	}
	for i, name := range []string{"shutdown-on-sigterm", "shutdown-on-sigint"} {
		given[i] = shutdownOnSigValues[r.IntN(len(shutdownOnSigValues))]
		if err := node.SetDirective(cfg, name, strings.Fields(given[i])...); err != nil {
			panic(err) // every value of the table is one Redis accepts
		}
	}
	return given
}

// signalFlags is the value of shutdown-on-sigint (sigint) or
// shutdown-on-sigterm the harness gave s, "default" if none.
func (s *simNode) signalFlags(sigint bool) string {
	v := s.sigFlags[0]
	if sigint {
		v = s.sigFlags[1]
	}
	if v == "" {
		return "default"
	}
	return v
}
