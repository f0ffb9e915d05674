package checker

import (
	"fmt"
	"strings"
)

// Each file loadAppendOnlyFiles reads with a result of AOF_OK or
// AOF_TRUNCATED gets its line, "DB loaded from base file <name>" for the
// manifest's base, "DB loaded from incr file <name>" for an incr file;
// loadSingleAppendOnlyFile returns AOF_EMPTY for a file of size 0, which
// gets none (Redis 7.0.15 aof.c). So a file that line names is one the
// manifest lists, of that type, and not empty as the process started.
// The start's load ends with loadDataFromDisk's "DB loaded from append
// only file" (a failure exits before it), so by then every file that was
// not empty has its line; a DEBUG LOADAOF later loads the files of that
// time.

// CheckAOFLoadedFiles judges the per-file load lines of each recorded
// start (AOFStart) against the files its manifest listed. A start whose
// reads returned flipped bits (faults) read another manifest or other
// files than those (seed 13482: "type i" read as "type h" made the incr
// file history), and is not judged.
func CheckAOFLoadedFiles(starts []AOFStart, lines []LogLine, faults []DiskFault) []Violation {
	type proc struct {
		node string
		n    int
	}
	byProc := map[proc]*AOFStart{}
	flipped := map[proc]bool{}
	for i := range starts {
		st := &starts[i]
		for _, f := range faults {
			if f.Op == "bitflip" && f.Node == st.Node && f.At == st.At {
				flipped[proc{st.Node, st.Proc}] = true
			}
		}
		byProc[proc{st.Node, st.Proc}] = st
	}
	started := map[proc]bool{}
	logged := map[proc]map[string]bool{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		p := proc{l.Node, l.Proc}
		st := byProc[p]
		if st == nil || len(st.Files) == 0 || started[p] || flipped[p] {
			continue
		}
		if strings.HasPrefix(l.Msg, logAOFLoaded) {
			started[p] = true
			for _, f := range st.Files {
				if f.Size > 0 && !logged[p][f.Name] {
					out = append(out, lineViolation(l, "%q, but %s file %s (%d bytes as the process started) has no %q line: loadAppendOnlyFiles logs one for each file that loads",
						l.Msg, map[string]string{"b": "base", "i": "incr"}[f.Type], f.Name, f.Size, "DB loaded from <base|incr> file <name>"))
				}
			}
			continue
		}
		if l.Format != logAOFFileLoaded || len(l.Args) < 2 {
			continue
		}
		if logged[p] == nil {
			logged[p] = map[string]bool{}
		}
		kind, name := l.Args[0], l.Args[1]
		logged[p][name] = true
		var file *AOFStartFile
		for j := range st.Files {
			if st.Files[j].Name == name {
				file = &st.Files[j]
			}
		}
		want := map[string]string{"b": "base", "i": "incr"}
		switch {
		case file == nil:
			out = append(out, lineViolation(l, "%q names a file its manifest did not list as base or incr as the process started (%s)", l.Msg, aofStartFiles(st)))
		case file.Size == 0:
			out = append(out, lineViolation(l, "%q for a file that was empty as the process started: loadSingleAppendOnlyFile returns AOF_EMPTY for it, which gets no line", l.Msg))
		case want[file.Type] != kind:
			out = append(out, lineViolation(l, "%q for a file the manifest lists as %s", l.Msg, want[file.Type]))
		}
	}
	return out
}

// aofStartFiles lists a start's manifest files with their sizes.
func aofStartFiles(st *AOFStart) string {
	s := ""
	for i, f := range st.Files {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (%s, %d bytes)", f.Name, f.Type, f.Size)
	}
	return s
}
