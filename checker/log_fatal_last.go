package checker

import "fmt"

// Lines after which Redis exits at once: the reports of a dataset it
// cannot load. After the manifest's report header only the report's own
// lines follow (aofLoadManifestFromFile's fatal block).
var (
	fatalLoadLines = map[string]bool{
		"Unable to obtain the AOF file %s length. stat: %s":                   true,
		"Internal error in RDB reading offset %d, function at rdb.c:%d -> %s": true,
		"Fatal error loading the DB: %s. Exiting.":                            true,
		"Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>": true,
		"Fatal error: can't open the AOF manifest file %s for reading: %s":                                                                      true,
		logManifestFatal: true,
	}
	manifestReportLines = map[string]bool{
		"Reading the manifest file, at line %d\n": true,
		">>> '%s'\n": true,
		"%s\n":       true,
	}
)

// logManifestFatal heads the report of a manifest Redis cannot read.
const logManifestFatal = "\n*** FATAL AOF MANIFEST FILE ERROR ***\n"

// fatalLinesLast checks that a process logs nothing after a report Redis
// exits on (fatalLoadLines): a second report, or any other line, means the
// node went on (or its driver reported again) where Redis stopped.
func fatalLinesLast(lines []LogLine) []Violation {
	type procKey struct {
		node string
		proc int
	}
	fatal := map[procKey]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := procKey{l.Node, l.Proc}
		f, seen := fatal[k]
		switch {
		case !seen:
			if fatalLoadLines[l.Format] {
				fatal[k] = l
			}
		case f.Format == logManifestFatal && manifestReportLines[l.Format]:
		default:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q after %q: Redis exits right after that report",
					l.Node, l.Gen, l.Msg, f.Msg)})
			delete(fatal, k)
		}
	}
	return out
}
