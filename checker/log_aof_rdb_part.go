package checker

import "strings"

// logAOFFileLoaded is loadAppendOnlyFiles's line after each file it
// loaded: its kind ("base" or "incr"), its name, the time it took.
const logAOFFileLoaded = "DB loaded from %s file %s: %.3f seconds"

// logReadingTail is loadSingleAppendOnlyFile's line after an old-style
// AOF's RDB preamble loaded.
const logReadingTail = "Reading the remaining AOF tail..."

// checkAOFRDBPartAnnounced judges how a load announces a file's RDB part:
// Redis 7.0.15's loadSingleAppendOnlyFile says "Reading RDB preamble from
// AOF file..." for the file named as the AOF itself (appendfilename: the
// single file of Redis before 7.0, kept as the base's name by an
// upgrade), "Reading RDB base file on AOF loading..." for any other (a
// base named "<appendfilename>.<seq>.base.rdb"). The file's "DB loaded
// from ... file <name>" line that follows names it. After a preamble it
// read whole it says "Reading the remaining AOF tail..." (tail or not),
// before that line.
func checkAOFRDBPartAnnounced(lines []LogLine) []Violation {
	announced := map[process]*LogLine{}
	tail := map[process]bool{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch {
		case l.Msg == logReadingBase || l.Msg == logReadingPreamble:
			announced[k] = l
			delete(tail, k)
		case l.Msg == logReadingTail:
			tail[k] = true
		case l.Format == logAOFFileLoaded && len(l.Args) > 1:
			a := announced[k]
			delete(announced, k)
			if a == nil {
				continue
			}
			if a.Msg == logReadingPreamble && !tail[k] {
				out = append(out, lineViolation(l, "%q after %q with no %q between: loadSingleAppendOnlyFile says it once the preamble loaded",
					l.Msg, a.Msg, logReadingTail))
			}
			name := l.Args[1]
			multiPart := strings.HasSuffix(name, ".base.rdb") || strings.HasSuffix(name, ".base.aof") || strings.HasSuffix(name, ".incr.aof")
			if want := logReadingPreamble; multiPart && a.Msg == want || !multiPart && a.Msg != want {
				if multiPart {
					want = logReadingBase
				}
				out = append(out, lineViolation(a, "%q for %s: loadSingleAppendOnlyFile says %q for it (the preamble line only for the file named as the AOF itself)",
					a.Msg, name, want))
			}
		}
	}
	return out
}

// checkAOFFileKinds judges the kind a load names each file by ("DB loaded
// from base file ..." or "incr file ..."): loadAppendOnlyFiles says base
// for the manifest's base (named "<appendfilename>.<seq>.base.rdb" or
// ".aof", or appendfilename itself after an upgrade) and incr for each
// incr file ("<appendfilename>.<seq>.incr.aof").
func checkAOFFileKinds(lines []LogLine) []Violation {
	var out []Violation
	for i := range lines {
		l := &lines[i]
		if l.Format != logAOFFileLoaded || len(l.Args) < 2 {
			continue
		}
		kind, name := l.Args[0], l.Args[1]
		incr := strings.HasSuffix(name, ".incr.aof")
		if kind == "incr" && !incr || kind == "base" && incr {
			out = append(out, lineViolation(l, "%q names %s a %s file: loadAppendOnlyFiles names the manifest's base a base and its incr files incr",
				l.Msg, name, kind))
		}
	}
	return out
}
