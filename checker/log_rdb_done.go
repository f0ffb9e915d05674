package checker

import (
	"fmt"
	"strings"
)

// logDebugReloaded is debugCommand's line after a DEBUG RELOAD loaded the
// RDB.
const logDebugReloaded = "DB reloaded by DEBUG RELOAD"

// rdbLoadsDone checks that a DEBUG RELOAD that loaded an RDB logged the
// end of rdbLoad ("Done loading RDB, keys loaded: ...") between the file's
// version line ("Loading RDB produced by version ...") and its own "DB
// reloaded by DEBUG RELOAD", as rdbLoadRioWithLoadingCtx does for every
// load that ends well.
func rdbLoadsDone(lines []LogLine) []Violation {
	// loading: the process logged a version line and no "Done loading
	// RDB" since.
	loading := map[process]bool{}
	var out []Violation
	for _, l := range lines {
		k := processOf(&l)
		switch {
		case l.Format == logRDBVersion:
			loading[k] = true
		case strings.HasPrefix(l.Msg, logDoneLoading):
			loading[k] = false
		case l.Msg == logDebugReloaded && loading[k]:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q after the RDB's %q with no %q between: rdbLoad logs the end of every load that ends well",
					l.Node, l.Gen, l.Msg, "Loading RDB produced by version", "Done loading RDB")})
			loading[k] = false
		}
	}
	return out
}
