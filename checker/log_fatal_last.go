package checker

import (
	"fmt"
	"strings"
)

// The starts of the lines after which Redis exits at once: the reports of
// a dataset it cannot load. After the manifest's report header only the
// report's own lines follow (aofLoadManifestFromFile's fatal block).
var (
	fatalLoadPrefixes = []string{
		"Unable to obtain the AOF file ",
		logRDBInternalError,
		"Fatal error loading the DB: ",
		"Bad file format reading the append only file ",
		"Fatal error: can't open the append log file ",
		"Error reading the RDB base file ",
		"Error reading the RDB preamble of the AOF file ",
		"Fatal error: the truncated file is not the last file",
		"Unexpected end of file reading the append only file ",
		"Fatal error: can't open the AOF manifest file ",
		logManifestFatal,
	}
	manifestReportLines = map[string]bool{
		"Reading the manifest file, at line %d\n": true,
		">>> '%s'\n": true,
		"%s\n":       true,
	}
)

// fatalLoadLine reports whether l is one of the reports Redis exits on.
func fatalLoadLine(l *LogLine) bool {
	for _, p := range fatalLoadPrefixes {
		if strings.HasPrefix(l.Msg, p) {
			return true
		}
	}
	return false
}

// logManifestFatal heads the report of a manifest Redis cannot read.
const logManifestFatal = "\n*** FATAL AOF MANIFEST FILE ERROR ***\n"

// fatalLinesLast checks that a process logs nothing after a report Redis
// exits on (fatalLoadPrefixes): a second report, or any other line, means the
// node went on (or its driver reported again) where Redis stopped.
func fatalLinesLast(lines []LogLine) []Violation {
	fatal := map[process]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := processOf(&l)
		f, seen := fatal[k]
		switch {
		case !seen:
			if fatalLoadLine(&l) {
				fatal[k] = l
			}
		case f.Msg == logManifestFatal && manifestReportLines[l.Format]:
		default:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q after %q: Redis exits right after that report",
					l.Node, l.Gen, l.Msg, f.Msg)})
			delete(fatal, k)
		}
	}
	return out
}
