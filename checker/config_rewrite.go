package checker

import (
	"fmt"
	"slices"
	"strings"

	"maps"
)

// ConfigRewrite is a CONFIG REWRITE a node answered OK: the directives it
// must persist as the running server had them, and as the file it wrote
// sets them when read back (both in CONFIG GET's form).
type ConfigRewrite struct {
	At         int64
	Node       string
	Live, File map[string]string
}

// CheckConfigRewrites flags every rewrite whose file, read back, would
// start the server with a directive other than it ran with: a restart
// from it would lose a CONFIG SET (a durability of the configuration).
func CheckConfigRewrites(rs []ConfigRewrite) []Violation {
	var out []Violation
	for _, r := range rs {
		var diffs []string
		for _, name := range slices.Sorted(maps.Keys(r.Live)) {
			if got := r.File[name]; got != r.Live[name] {
				diffs = append(diffs, fmt.Sprintf("%s %q in the file, %q running", name, got, r.Live[name]))
			}
		}
		if len(diffs) > 0 {
			out = append(out, Violation{Check: PropDurability, At: r.At, Nodes: []string{r.Node}, Detail: fmt.Sprintf(
				"CONFIG REWRITE on %s at %s wrote a config file that does not describe the running server: %s",
				r.Node, seconds(r.At), strings.Join(diffs, "; "))})
		}
	}
	return out
}
