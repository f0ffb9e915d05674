package checker

import "strings"

// checkWaitingRewriteRenamesIncr judges the end of a rewrite the AOF
// waits for. While Redis 7.0.15's AOF waits for its first rewrite
// (AOF_WAIT_REWRITE, after CONFIG SET appendonly yes), a rewrite's start
// opens the temp incr file ("Creating AOF incr file temp-... on background
// rewrite", openNewIncrAofForAppend), and backgroundRewriteDoneHandler,
// still in that state, renames it into the manifest and logs the outcome
// ("Successfully renamed the temporary AOF incr file ..." or "Error
// trying to rename ...") before "Background AOF rewrite finished
// successfully". Only turning the AOF off ends the waiting, and that
// kills the rewrite. So a rewrite started right after the temp incr file
// was opened that finishes successfully logged one of the two.
func checkWaitingRewriteRenamesIncr(lines []LogLine) []Violation {
	tempOpened := map[process]bool{}  // since the last rewrite start
	waiting := map[process]*LogLine{} // the running rewrite's start, when the AOF waits for it
	incrRenamed := map[process]bool{} // the running rewrite logged the temp incr's rename
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch {
		case l.Format == logAOFCreatedOnRW:
			tempOpened[k] = len(l.Args) > 0 && strings.HasPrefix(l.Args[0], "temp-")
		case l.Format == logAOFRWStarted:
			waiting[k], incrRenamed[k] = nil, false
			if tempOpened[k] {
				waiting[k] = l
			}
			tempOpened[k] = false
		case l.Format == logRWRenamedIncr || l.Format == logRWRenameIncrErr:
			incrRenamed[k] = true
		case l.Msg == logAOFRWFinished:
			if s := waiting[k]; s != nil && !incrRenamed[k] {
				out = append(out, lineViolation(l, "%q for the rewrite started at %s while the AOF waited for it (its temp incr file opened), with neither %q nor %q between: the rewrite's end renames the temp incr file into the manifest first",
					l.Msg, seconds(s.At), "Successfully renamed the temporary AOF incr file ...", "Error trying to rename the temporary AOF incr file ..."))
			}
			waiting[k] = nil
		}
	}
	return out
}
