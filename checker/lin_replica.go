package checker

import (
	"math"

	"github.com/replsim/replsim/tap"
)

// A node the master clients are sent to may be a replica while it serves
// them: a demoted master whose replica-read-only is off takes their writes
// until the next promotion (cluster's masterless epochs). A replica leaves
// a key whose TTL passed on its clock in place for its master's DEL, and
// DEL and UNLINK there, after expireIfNeeded left it, delete it with
// dbSyncDelete and count it (delGenericCommand): redis-server 7.0.15's
// writable replica answers DEL of such a key with 1, where a master
// expires the key first and answers 0. So does a key that a replica's
// GETEX ... PXAT or PEXPIRE gave a TTL already past: a master deletes it
// then, a replica keeps it (checkAlreadyExpired). The model, which follows
// no such expired key kept in place, lets a DEL on a replica count a key
// whatever it holds, and still refuses one that left a live key there.

// markOnReplica returns ops with OnReplica set on those whose node was a
// replica at some instant of the call (of any later instant, for one with
// no reply); ops itself when settings say nothing.
func markOnReplica(ops []Op, settings []SettingsChange) []Op {
	if len(settings) == 0 {
		return ops
	}
	log := newSettingsLog(settings)
	replica := log.nextWhere(func(s tap.Settings) bool { return s.Replica })
	out := make([]Op, len(ops))
	for i := range ops {
		out[i] = ops[i]
		end := ops[i].Return
		if ops[i].Unknown {
			end = math.MaxInt64
		}
		out[i].OnReplica = log.some(ops[i].Node, ops[i].Call, end, replica)
	}
	return out
}
