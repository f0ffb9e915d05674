package checker

import (
	"fmt"
	"strings"
)

// CheckManifestHistory judges the history entries ("type h") of the AOF
// manifests on the running nodes' disks: none. Redis 7.0.15 deletes the
// history files and drops them from the manifest at every start
// (aofDelHistoryFiles after aofOpenIfNeededOnServerStart) and at the end of
// every successful rewrite (backgroundRewriteDoneHandler), unless
// aof-disable-auto-gc is yes. Not judged: a node whose disk failed an
// operation since its process started (a removal or the manifest's
// persist may have failed, which leaves them), a rewrite still running, or
// auto-gc off.
func CheckManifestHistory(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		if f.DiskFaulted || f.AutoGCOff {
			continue
		}
		info, _ := parseInfo(f.Info)
		if info["aof_rewrite_in_progress"] != "0" {
			continue
		}
		var history []string
		for _, e := range ManifestEntries(f.Text) {
			if e.Type == "h" {
				history = append(history, e.Name)
			}
		}
		if len(history) > 0 {
			out = append(out, Violation{Check: "aof_manifest", Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: %s still lists history files %s, with no disk fault since its process started and no rewrite running: Redis deletes them at its start and at the end of each rewrite",
					f.Node, f.Path, strings.Join(history, ", "))})
		}
	}
	return out
}
