package checker

import (
	"fmt"
	"slices"
)

// ManifestDamage is an AOF manifest the harness broke while its node was
// down, and what the node's next start did with it.
type ManifestDamage struct {
	Node, Form string
	At         int64 // virtual time of the damage, ns
	// Report is what Redis 7.0.15 logs refusing the broken manifest, one
	// message per line of its report.
	Report []string
	// Tried says the node was started since; Loaded that the start
	// loaded its files; Lines are the messages it logged meanwhile.
	Tried, Loaded bool
	Lines         []string
	// ReadFaulted says an injected fault hit that start's read of the
	// manifest: a bit flip (it read other bytes than the damage wrote) or
	// a failed open (it read nothing).
	ReadFaulted bool
}

// CheckManifestDamages judges the starts on broken manifests: a node that
// reads one must refuse it, as Redis exits rather than load part of the
// data or the wrong files, and its log must end with Redis's report, so an
// operator learns which line is wrong and why.
func CheckManifestDamages(ds []ManifestDamage) []Violation {
	var out []Violation
	for _, d := range ds {
		if !d.Tried || d.ReadFaulted {
			continue
		}
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: PropDurability, At: d.At, Nodes: []string{d.Node},
				Detail: fmt.Sprintf("%s: AOF manifest damaged (%s): ", d.Node, d.Form) + fmt.Sprintf(format, args...)})
		}
		if d.Loaded {
			bad("the node started on it; Redis refuses it with %q", d.Report[len(d.Report)-1])
			continue
		}
		if len(d.Lines) < len(d.Report) || !slices.Equal(d.Lines[len(d.Lines)-len(d.Report):], d.Report) {
			bad("the node refused it logging %q; Redis logs %q", d.Lines, d.Report)
		}
	}
	return out
}
