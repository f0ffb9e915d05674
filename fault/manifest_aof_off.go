package fault

import "github.com/replsim/replsim/sim"

// aimAtAOFOff picks, for a disk_manifest_damage at t, a node whose AOF is
// off but whose disk keeps the manifest of an AOF it had: Redis 7.0.15
// reads the manifest at every start, whatever appendonly says
// (aofLoadManifestFromDisk, before loadDataFromDisk), and refuses a
// broken one. Half the time such a node (off) is taken when there is
// one; otherwise, now and then, the operator turns the AOF of x (whose
// AOF is on) off first. Its draws come from its own random stream, so
// the kind's other draws stay as they were.
func aimAtAOFOff(g *model, t sim.Time, x string, off []string) string {
	r := g.own("disk_manifest_damage/aof-off")
	if len(off) > 0 && r.Chance(0.5) {
		return pickWith(r, off)
	}
	if x == "" || !r.Chance(0.25) {
		return x
	}
	g.emit(t, OpConfig{Node: x, Param: "appendonly", Value: "no"})
	g.aof[x] = false
	return x
}
