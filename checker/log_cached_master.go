package checker

import (
	"fmt"
	"strings"
)

// logSynthCached starts the line of REPLICAOF on a master: it makes its
// own history a cached master (replicationCacheMasterUsingMyself).
const logSynthCached = "Before turning into a replica, using my own master parameters to synthesize a cached master"

// cachedMasterDiscarded checks that REPLICAOF NO ONE drops a cached
// master with its line: Redis's replicationUnsetMaster calls
// replicationDiscardCachedMaster, which logs "Discarding previously cached
// master state." whenever a cached master exists, before replicaofCommand
// logs "MASTER MODE enabled". A cached master exists, by the log, from
// "Caching the disconnected master state." or the synthesized one of a
// master turned replica, until it is discarded or a partial resync makes
// it the master again.
func cachedMasterDiscarded(lines []LogLine) []Violation {
	cached := map[incarnation]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := incarnationOf(&l)
		switch {
		case l.Msg == logCachingMaster || strings.HasPrefix(l.Msg, logSynthCached):
			cached[k] = l
		case l.Msg == logDiscardCached || l.Msg == logPartialSuccess:
			delete(cached, k)
		case l.Format == logMasterMode:
			if c, ok := cached[k]; ok {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q with a cached master (%q at %s) and no %q before it: replicationUnsetMaster discards a cached master with that line",
						l.Node, l.Gen, l.Msg, c.Msg, seconds(c.At), logDiscardCached)})
				delete(cached, k)
			}
		}
	}
	return out
}
