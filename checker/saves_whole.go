package checker

import "fmt"

// A save that says it succeeded wrote a whole file. Redis 7.0.15's
// rdbSave (SAVE, a BGSAVE's child, the final save at SHUTDOWN) logs "DB
// saved on disk" only after every write, the fsync and the rename of its
// temp file succeeded (rdbSaveRio's errors, fflush/fsync, rename), and
// backgroundRewriteDoneHandler logs "Background AOF rewrite finished
// successfully" only for a child whose base file was written, fsynced and
// renamed whole (rewriteAppendOnlyFile). A write error that left a short
// file must fail the save. The simulated disk never corrupts what a write
// stored, so at the success line the file the save wrote (the dbfilename,
// or the base the manifest names) holds what it wrote: a file that does
// not read back whole is a save that ignored an error.

// PropSavesWhole names the rule that a save's success line vouches for a
// whole file.
const PropSavesWhole = "saves_whole"

// SavedFile is the file a successful save left, read at its success line.
type SavedFile struct {
	Node string
	At   int64
	// Line is the success line; File the file it vouches for; Err what
	// is wrong with its content ("" when it reads back whole).
	Line, File, Err string
}

// CheckSavesWhole reports every successful save whose file does not read
// back whole.
func CheckSavesWhole(saves []SavedFile) []Violation {
	var out []Violation
	for _, s := range saves {
		if s.Err == "" {
			continue
		}
		out = append(out, Violation{Check: PropSavesWhole, At: s.At, Nodes: []string{s.Node},
			Detail: fmt.Sprintf("%s logged %q at %s, but %s does not read back whole: %s (Redis logs success only after every write, the fsync and the rename succeeded)",
				s.Node, s.Line, seconds(s.At), s.File, s.Err)})
	}
	return out
}
