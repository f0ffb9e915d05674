package fault

import (
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
)

// Target is what faults act on: a simulated cluster. Its methods are the
// mechanisms and operator actions the fault kinds are made of; each fails
// with an error saying why when the step cannot run now (a node that is
// down, paused or missing, an action that makes no sense in the cluster as
// it is).
type Target interface {
	// Net is the cluster's network, for faults that act on links.
	Net() *netsim.Network
	// Note records an event of kind in the timeline and the trace and
	// counts it as a fault; NoteEnd records without counting (the end of
	// a fault).
	Note(kind, node, detail string)
	NoteEnd(kind, node, detail string)
	// HasNode fails if no node is called name (yet); LiveNode also if it
	// is down or paused.
	HasNode(name string) error
	LiveNode(name string) error
	// IsMaster reports whether name is the cluster's master and acts as one.
	IsMaster(name string) bool

	// FailDials fails the next count dials to host with err (0 clears).
	FailDials(host string, err error, count int) error
	// AddDiskFault adds inj to node's disk (and to any disk that replaces
	// it after a wipe).
	AddDiskFault(node string, inj *disksim.Injector) error
	// Crash kills node; RestartOrWipe starts it again from its files, or,
	// if it refuses them, wipes its data dir and starts it again a little
	// later; Pause stops it processing anything until resume is called.
	Crash(node string, mode disksim.CrashMode) error
	RestartOrWipe(node string) error
	// DamageManifest breaks the AOF manifest of node, which is down, as
	// form says (DamageManifest); its restart puts the manifest back
	// after the node refuses it.
	DamageManifest(node, form string) error
	Pause(node string) (resume func(), err error)
	// JumpClock moves node's clock by d and returns its new offset.
	JumpClock(node string, d sim.Time) (offset sim.Time, err error)

	// WrongMasterAuth gives the replica node a wrong masterauth and resets
	// its master link; restore sets the right one again. detail says what
	// was reset.
	WrongMasterAuth(node string) (detail string, restore func(), err error)
	// RequirePass sets requirepass on node; FollowPass makes pass every
	// node's and client's password.
	RequirePass(node, pass string) error
	FollowPass(pass string)

	// Operator actions: SLAVEOF NO ONE with everyone following, SLAVEOF
	// TARGET on a replica or on the master, a new empty replica, CONFIG SET.
	Promote(node string) error
	Repoint(node, target string) error
	Demote(master, target string) error
	AddReplica(node string) error
	ConfigSet(node, param, value string) error
	// Admin runs an admin command (BGSAVE, SAVE, BGREWRITEAOF) on a live
	// node; an error reply is an error.
	Admin(node string, args ...string) error
	// AdminMulti runs an admin command (args) inside MULTI/EXEC on a live
	// node; an error reply, to EXEC or inside it, is an error.
	AdminMulti(node string, args ...string) error
	// Shutdown runs SHUTDOWN (args are the command) on a live node and
	// notes it: the node exits, down until it is restarted, or waits for
	// its replicas; SHUTDOWN ABORT cancels such a wait (from another
	// client).
	Shutdown(node string, args ...string) error
	// Signal sends SIGINT (sigint) or SIGTERM to a live node and notes
	// it: its handler logs the signal and schedules a shutdown its next
	// tick starts (with shutdown-on-sigint's or shutdown-on-sigterm's
	// flags), after which it may wait for its replicas, exit, or fail
	// and serve on; a SIGINT while a signal's shutdown is scheduled or
	// waits makes it exit at once, uncleanly.
	Signal(node string, sigint bool) error
	// Reload runs DEBUG RELOAD (args are the command) on a live node and
	// records the dataset before and after it for the reload check.
	Reload(node string, args ...string) error

	// Heal ends what the cluster keeps of faults (wrong passwords, the
	// network's cuts and dial failures), restarts down nodes, makes
	// passwords agree and repairs the topology; SetHealed tells the
	// cluster whether any fault is in force.
	Heal()
	SetHealed(healed bool)
}
