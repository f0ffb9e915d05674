package checker

import (
	"fmt"
	"strings"
)

// baseAtStartAfterLoad checks that no start creates a base file after it
// loaded the AOF. Redis 7.0.15's
// aofOpenIfNeededOnServerStart creates one ("Creating AOF base file %s on
// server start") only when the manifest lists neither a base nor an incr
// file, and then loadAppendOnlyFiles returned AOF_NOT_EXIST, on which
// loadDataFromDisk logs no "DB loaded from append only file": a manifest
// that listed a file (even an empty one) was loaded instead. Each
// process is judged alone: a start that failed to load shares its
// incarnation with the next.
func baseAtStartAfterLoad(lines []LogLine) []Violation {
	loaded := map[process]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := processOf(&l)
		if strings.HasPrefix(l.Msg, logAOFLoaded) {
			if _, ok := loaded[k]; !ok {
				loaded[k] = l
			}
			continue
		}
		if l.Format != logAOFBaseAtStart {
			continue
		}
		if at, ok := loaded[k]; ok {
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q after %q at %s: Redis creates a base at start only for a manifest listing no file, which it does not load",
					l.Node, l.Gen, l.Msg, at.Msg, seconds(at.At))})
		}
	}
	return out
}
