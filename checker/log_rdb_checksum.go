package checker

import (
	"fmt"
	"strings"
)

// logWrongChecksum starts rdbLoadRio's report of an RDB whose CRC64 does
// not match its content.
const logWrongChecksum = "Wrong RDB checksum expected: ("

// checkChecksumFlipAux flags an RDB that failed its checksum because a
// read flipped a bit past its AUX fields, when the load did not log those
// fields first: they read as written, and rdbLoadRio logs them ("Loading
// RDB produced by version ...", its age, its memory) as it reads them,
// long before it compares the checksums. A flip among the AUX fields may
// change what it logs, and is not judged; nor is an instant with more
// than one flip.
func checkChecksumFlipAux(lines []LogLine, faults []DiskFault) []Violation {
	flips := faultsAt(faults, "bitflip")
	version := map[incarnation]*LogLine{} // the load's version line
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		switch {
		case l.Format == logRDBVersion:
			version[k] = l
		case strings.HasPrefix(l.Msg, logDoneLoading):
			version[k] = nil
		case strings.HasPrefix(l.Msg, logWrongChecksum):
			v := version[k]
			version[k] = nil
			fs := flips[nodeInstant{l.Node, l.At}]
			if len(fs) != 1 || fs[0].RDBAuxEnd <= 0 || fs[0].FlipOffset < fs[0].RDBAuxEnd {
				continue
			}
			if v == nil || v.At != l.At {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q with no %q before it in the load, though the flipped bit of %s fell past its AUX fields (byte %d of %d, AUX fields end at %d): rdbLoadRio logs the AUX fields as it reads them, before it compares the checksums",
						l.Node, l.Gen, l.Msg, "Loading RDB produced by version ...", fs[0].Path, fs[0].FlipOffset, fs[0].FlipSize, fs[0].RDBAuxEnd)})
			}
		}
	}
	return out
}
