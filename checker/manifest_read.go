package checker

import (
	"fmt"
	"strings"
)

// LogManifestReadFailed is the reason Redis 7.0.15 gives when reading its
// AOF manifest fails (aofLoadManifestFromFile: fgets returned NULL and
// the stream is not at its end).
const LogManifestReadFailed = "Read AOF manifest failed"

// CheckManifestReads checks that a restart refused at the instant a read
// of the node's AOF manifest failed gives that failure as its reason:
// Redis reads the manifest before any AOF file, and a failed read is
// "Read AOF manifest failed", never an empty or malformed manifest
// (which is what reading what a failed read left would say).
func CheckManifestReads(events []NodeEvent, faults []DiskFault) []Violation {
	agg := newAggregator()
	failed := map[string]bool{}
	for _, f := range faults {
		if f.Op == "read" && strings.HasSuffix(f.Path, ".manifest") {
			failed[fmt.Sprint(f.Node, "@", f.At)] = true
		}
	}
	for _, e := range events {
		if e.Kind != EventRestartFailed || !failed[fmt.Sprint(e.Node, "@", e.At)] || strings.Contains(e.Detail, LogManifestReadFailed) {
			continue
		}
		agg.addV("manifest-read/"+e.Node, Violation{Detail: fmt.Sprintf(
			"%s: a read of its AOF manifest failed at %s, and its restart then was refused with %q: Redis exits with %q",
			e.Node, seconds(e.At), e.Detail, LogManifestReadFailed), At: e.At, Nodes: []string{e.Node}})
	}
	return agg.violations(PropDurability)
}
