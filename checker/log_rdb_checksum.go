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

// checkChecksumFlipReported flags a load that read an RDB whose stored
// checksum (its last 8 bytes) a bit flip changed and did not report the
// mismatch: rdbLoadRio compares the CRC64 of what it read with the stored
// one (rdbchecksum yes, which the runs never change), and one flipped bit
// there always differs, so "Wrong RDB checksum expected: ..." follows the
// AUX fields' lines in that instant. Judged only for an instant with one
// flip, whose node logged an RDB load's version line then (the read was
// a load's, not a master's read of the file it sends a replica).
func checkChecksumFlipReported(lines []LogLine, faults []DiskFault) []Violation {
	flips := faultsAt(faults, "bitflip")
	loaded, reported := map[nodeInstant]bool{}, map[nodeInstant]bool{}
	for i := range lines {
		l := &lines[i]
		k := nodeInstant{l.Node, l.At}
		switch {
		case l.Format == logRDBVersion:
			loaded[k] = true
		case strings.HasPrefix(l.Msg, logWrongChecksum):
			reported[k] = true
		}
	}
	var out []Violation
	for _, f := range faults {
		k := nodeInstant{f.Node, f.At}
		if f.Op != "bitflip" || len(flips[k]) != 1 || f.RDBAuxEnd <= 0 || f.FlipOffset < f.FlipSize-8 || f.FlipOffset >= f.FlipSize ||
			!loaded[k] || reported[k] {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: f.At, Nodes: []string{f.Node},
			Detail: fmt.Sprintf("%s: a load at %s read %s with a bit flipped in its stored checksum (byte %d of %d) and logged no %q: rdbLoadRio compares the checksums and aborts",
				f.Node, seconds(f.At), f.Path, f.FlipOffset, f.FlipSize, logWrongChecksum+"...")})
	}
	return out
}
