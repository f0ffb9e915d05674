package checker

import (
	"fmt"
	"path"
	"strings"
)

// Redis 7.0.15's lines for a failure writing the temp AOF manifest
// (writeAofManifestFile).
var manifestWriteErrors = []string{
	"Can't open the AOF manifest file %s: %s",
	"Error trying to write the temporary AOF manifest file %s: %s",
	"Fail to fsync the temp AOF file %s: %s.",
	"Error trying to rename the temporary AOF manifest file %s into %s: %s",
}

// manifestFaultsLogged checks that a failure the disk injected into a
// write of the temp AOF manifest (its create, write, fsync or rename) is
// logged by the node at that instant with writeAofManifestFile's line:
// Redis logs every such failure before it gives up on the manifest.
func manifestFaultsLogged(lines []LogLine, faults []DiskFault) []Violation {
	type at struct {
		node string
		t    int64
	}
	logged := map[at]bool{}
	for i := range lines {
		l := &lines[i]
		for _, f := range manifestWriteErrors {
			if l.Format == f {
				logged[at{l.Node, l.At}] = true
			}
		}
	}
	var out []Violation
	for _, f := range faults {
		base := path.Base(f.Path)
		if !strings.HasPrefix(base, "temp-") || !strings.HasSuffix(base, ".manifest") {
			continue
		}
		if f.Op != "create" && f.Op != "write" && f.Op != "sync" && f.Op != "rename" {
			continue
		}
		if !logged[at{f.Node, f.At}] {
			out = append(out, Violation{Check: "node_log", At: f.At, Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s: its disk failed the %s of %s at %s and it logged none of writeAofManifestFile's lines then (%q...)",
					f.Node, f.Op, f.Path, seconds(f.At), manifestWriteErrors[0])})
		}
	}
	return out
}
