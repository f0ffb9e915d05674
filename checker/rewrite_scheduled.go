package checker

import (
	"fmt"
	"strconv"
)

// CheckScheduledRewrites judges the running nodes' INFO persistence at the
// end of the run, after the steady tail's idle seconds: a rewrite that is
// scheduled (aof_rewrite_scheduled:1) with no child running has been
// started by serverCron, which runs it at its next run once no child is
// active, unless aofRewriteLimited holds it back (three consecutive
// failures or more: aof_rewrites_consecutive_failures). A node whose
// last child ended after its last serverCron run began (the run ended
// within a tick of it: gate seed 3064905) has had no run to start it.
func CheckScheduledRewrites(in InfoCountersInput) []Violation {
	var out []Violation
	for _, n := range in.Nodes {
		f, _ := parseInfo(n.Info)
		if f["aof_rewrite_scheduled"] != "1" || f["aof_rewrite_in_progress"] != "0" || f["rdb_bgsave_in_progress"] != "0" {
			continue
		}
		if !cronSinceLastChildEnd(in, n.Node, n.Gen) {
			continue
		}
		if fails, err := strconv.Atoi(f["aof_rewrites_consecutive_failures"]); err != nil || fails >= aofRewriteLimitThreshold {
			continue
		}
		out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): at the end, after the idle tail, INFO shows aof_rewrite_scheduled:1 with no child running and aof_rewrites_consecutive_failures:%s: serverCron starts a scheduled rewrite at its next run once no child is active (aofRewriteLimited holds it back only from %d failures on)",
				n.Node, n.Gen, f["aof_rewrites_consecutive_failures"], aofRewriteLimitThreshold)})
	}
	return out
}

// aofRewriteLimitThreshold is AOF_REWRITE_LIMITE_THRESHOLD: from this many
// consecutive failures on, aofRewriteLimited delays automatic rewrites.
const aofRewriteLimitThreshold = 3

// cronSinceLastChildEnd says whether incarnation gen of node ran serverCron
// after the last line that ended a child of it (true when none did).
func cronSinceLastChildEnd(in InfoCountersInput, node string, gen int) bool {
	last := -1
	for i := range in.Lines {
		l := &in.Lines[i]
		if l.Node != node || l.Gen != gen {
			continue
		}
		if dr, da, dx, _ := childDelta(l); dr < 0 || da < 0 || dx < 0 {
			last = i
		}
	}
	if last < 0 {
		return true
	}
	for _, c := range in.Crons {
		if c.Node == node && c.Gen == gen && c.LogFrom > last {
			return true
		}
	}
	return false
}
