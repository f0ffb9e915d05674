package checker

import "strings"

// The AOF lifecycle's log lines (Redis 7.0.15's texts, aof.c and server.c)
// that checkAOFLog orders, beyond the ones nodelog.go already names.
const (
	logAOFCreatedAtStart = "Creating AOF incr file %s on server start"       // aofOpenIfNeededOnServerStart
	logAOFBaseAtStart    = "Creating AOF base file %s on server start"       // aofOpenIfNeededOnServerStart
	logAOFCreatedOnRW    = "Creating AOF incr file %s on background rewrite" // openNewIncrAofForAppend
	logRWRenamedBase     = "Successfully renamed the temporary AOF base file %s into %s"
	logRWRenamedIncr     = "Successfully renamed the temporary AOF incr file %s into %s"
	logRWRenameIncrErr   = "Error trying to rename the temporary AOF incr file %s into %s: %s"
	logRWBySignal        = "Background AOF rewrite terminated by signal %d"
	logRWKillChild       = "Killing running AOF rewrite child: %d" // killAppendOnlyChild
	logHistoryRemoved    = "Removing the history file %s in the background"
	logLoadedByDebug     = "Append Only File loaded by DEBUG LOADAOF"
	logShortRead         = "!!! Warning: short read while loading the AOF file %s!!!"
	logAOFShutdownFsync  = "Calling fsync() on the AOF file."
	logReopenFsyncErr    = "AOF reopen, just ignore the AOF fsync error in bio job"
	logReopenWriteErr    = "AOF reopen, just ignore the last error."
	logEnabledOtherChild = "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible."
	logEnabledInExec     = "AOF was enabled during a transaction. An AOF background was scheduled to start when possible."
	logEnabledKillRW     = "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now."
)

// aofOpenFormats are the lines that say the AOF now appends to an incr
// file: at start (aofOpenIfNeededOnServerStart) or as a rewrite begins
// (openNewIncrAofForAppend, which startAppendOnly reaches too). Redis
// logs none of them while the AOF is off.
var aofOpenFormats = map[string]bool{logAOFOpened: true, logAOFCreatedAtStart: true, logAOFCreatedOnRW: true}

// manifestEntryArg are the lines that put a file into the manifest, by
// the index of its name among their arguments: a name in its history may
// come in again (getNewIncrAofName and
// getNewBaseFileNameAndMarkPreAsHistory number from the manifest's
// current seq, which a history entry does not raise: a start that read
// the last incr file as history creates one of the same name), and each
// such entry may be removed once more.
var manifestEntryArg = map[string]int{
	logAOFCreatedAtStart: 0, logAOFBaseAtStart: 0, logAOFCreatedOnRW: 0,
	logRWRenamedBase: 1, logRWRenamedIncr: 1,
}

// manifestFailFormats are persistAofManifest's failure lines, and the
// node's own summary of one after a rewrite.
var manifestFailFormats = map[string]bool{
	"Can't open the AOF manifest file %s: %s":                               true,
	"Error trying to write the temporary AOF manifest file %s: %s":          true,
	"Fail to fsync the temp AOF file %s: %s.":                               true,
	"Error trying to rename the temporary AOF manifest file %s into %s: %s": true,
	"Fail to fsync AOF directory %s: %s.":                                   true,
	logAOFRWManifest:                                                        true,
}

// rwState is where a background AOF rewrite stands in one incarnation's
// log.
type rwState int

const (
	rwIdle      rwState = iota // no rewrite the log knows of
	rwRunning                  // "... rewriting started by pid %d"
	rwSucceeded                // "... terminated with success": the child exited 0
	rwRenamed                  // the base renamed into place
	rwHistory                  // and a history file's deletion begun
)

// rwStep is one rewrite line's rule: the states it may follow (from, with
// the lines that lead there named by want for the report) and the state
// it leaves. Lines of backgroundRewriteDoneHandler come in the order that
// function writes them unconditionally.
type rwStep struct {
	from []rwState
	want string
	to   rwState
}

var rwSteps = map[string]rwStep{
	logAOFRWSuccess:    {[]rwState{rwRunning}, logAOFRWStarted, rwSucceeded},
	logAOFRWErrorBare:  {[]rwState{rwRunning}, logAOFRWStarted, rwIdle},
	logRWBySignal:      {[]rwState{rwRunning}, logAOFRWStarted, rwIdle},
	logRWRenamedBase:   {[]rwState{rwSucceeded}, logAOFRWSuccess, rwRenamed},
	logRenameFailed:    {[]rwState{rwSucceeded}, logAOFRWSuccess, rwIdle},
	logRWRenamedIncr:   {[]rwState{rwRenamed}, logRWRenamedBase, rwRenamed},
	logRWRenameIncrErr: {[]rwState{rwRenamed}, logRWRenamedBase, rwIdle},
	logAOFRWFinished:   {[]rwState{rwRenamed, rwHistory}, logRWRenamedBase, rwIdle},
}

// rwStateLine names what a state's log says, for a violation's text.
var rwStateLine = map[rwState]string{
	rwIdle: "no rewrite running", rwRunning: logAOFRWStarted, rwSucceeded: logAOFRWSuccess,
	rwRenamed: logRWRenamedBase, rwHistory: logHistoryRemoved,
}

// aofLogGen is one incarnation's AOF log state.
type aofLogGen struct {
	rw     rwState
	rwLine LogLine // the line that led to rw
	// next is the line that must come next among the grammar's lines (a
	// pair Redis writes back to back), with the line that demands it.
	next     []string
	nextFrom LogLine
	// nextStrict: a disk fault at nextFrom's instant does not excuse a
	// missing next line (it is the fault's own consequence).
	nextStrict bool
	// prev is the incarnation's previous line of the grammar.
	prev   LogLine
	loaded bool // "DB loaded from append only file" logged
	opened bool // an open line logged
	// scheduled says startAppendOnly scheduled the AOF's first rewrite
	// (logEnabledOtherChild, logEnabledInExec): aof_state is
	// AOF_WAIT_REWRITE with no file opened yet.
	scheduled bool
	// removed are the history files removed since the manifest was last
	// read from disk (the incarnation's start, DEBUG LOADAOF); again are
	// the removals of one of them; run are the removal lines since the
	// last line of the grammar that is none of theirs, a failed manifest
	// persist's or a load's (DEBUG LOADAOF's removals, if its line comes).
	removed map[string]bool
	again   []LogLine
	run     []LogLine
	// created are the entries each name was given in the incarnation, by
	// their number among the entries it added (entries counts them).
	created map[string][]int
	entries int
}

// createdHistory says whether a removal of name may be that of an entry
// the incarnation created, one that a later entry can have made history
// (a name the manifest may hold twice, as history and anew), and uses it
// up.
func (g *aofLogGen) createdHistory(name string) bool {
	for i, at := range g.created[name] {
		if g.entries > at {
			g.created[name] = append(g.created[name][:i], g.created[name][i+1:]...)
			return true
		}
	}
	return false
}

// historyRunFormats are the lines that may come between DEBUG LOADAOF's
// history removals and its "Append Only File loaded by DEBUG LOADAOF": the
// removals, the failed persist of the manifest after them, and the load's.
var historyRunFormats = func() map[string]bool {
	m := map[string]bool{logHistoryRemoved: true, logShortRead: true, logTruncating: true, logTruncated: true}
	for f := range manifestFailFormats {
		m[f] = true
	}
	return m
}()

// inRun reports whether l is one of the removals in run.
func inRun(run []LogLine, l LogLine) bool {
	for _, r := range run {
		if r.At == l.At && r.Msg == l.Msg {
			return true
		}
	}
	return false
}

// aofGrammar are the formats checkAOFLog follows (prev and next look
// only at these).
var aofGrammar = func() map[string]bool {
	g := map[string]bool{logAOFRWStarted: true, logHistoryRemoved: true, logShortRead: true, logTruncating: true,
		logTruncated: true, logAOFBaseAtStart: true, logAOFShutdownFsync: true, logReopenFsyncErr: true,
		logReopenWriteErr: true, logEnabledOtherChild: true, logEnabledInExec: true, logEnabledKillRW: true,
		logKillAOF: true, logRWKillChild: true, logTempIncrGone: true}
	for f := range rwSteps {
		g[f] = true
	}
	for f := range aofOpenFormats {
		g[f] = true
	}
	for f := range manifestFailFormats {
		g[f] = true
	}
	return g
}()

// checkAOFLog judges the AOF lifecycle's log lines of each incarnation
// against the order Redis 7.0.15 writes them in (aof.c):
//   - a background rewrite (rewriteAppendOnlyFileBackground) logs
//     "Background append only file rewriting started by pid %d"; with the
//     AOF on (settings known), openNewIncrAofForAppend's "Creating AOF
//     incr file %s on background rewrite" comes just before it;
//   - its end (backgroundRewriteDoneHandler) is "terminated with success"
//     -> "Successfully renamed the temporary AOF base file" -> (the incr
//     file renamed) -> ("Removing the history file %s in the
//     background")* -> "Background AOF rewrite finished successfully";
//     each line needs the ones before it since the start; a failure
//     ("terminated with error", "by signal", a failed rename, a failed
//     manifest write after the rename) ends it instead, and a kill
//     ("Killing running AOF rewrite child", SHUTDOWN's "Killing it!")
//     forgets it; a rewrite does not start while one runs (every end of
//     the child logs a line); a renamed base is followed by the end (success, or a
//     failed manifest write);
//   - a short read at load ("!!! Warning: short read ...") is followed by
//     "!!! Truncating the AOF %s at offset %d !!!" for the same file, and a
//     truncation follows that warning; "loaded anyway" follows a
//     truncation;
//   - "Creating AOF base file %s on server start" (an empty manifest) is
//     followed by "Creating AOF incr file %s on server start", unless the
//     open failed (a disk fault then); that line without the base line
//     comes after a load (the manifest listed a base);
//   - "Opening AOF incr file %s on server start" (the manifest lists incr
//     files) comes after "DB loaded from append only file": those files
//     were loaded (loadDataFromDisk);
//   - SHUTDOWN's "Calling fsync() on the AOF file." needs the AOF on
//     (aof_state not AOF_OFF): an open line before it in the incarnation,
//     or the line of startAppendOnly scheduling the first rewrite, which
//     leaves it AOF_WAIT_REWRITE with no file open (prepareForShutdown
//     then fsyncs fd -1: "Fail to fsync the AOF file: Bad file
//     descriptor."; seed 12032), and appendonly yes;
//   - "AOF reopen, just ignore ..." (startAppendOnly) follows the rewrite
//     it started, or the line saying it is scheduled;
//   - a history file is removed ("Removing the history file %s in the
//     background") at most once between two reads of the manifest from
//     disk: aofDelHistoryFiles drops each entry from the manifest in
//     memory as it removes the file, even when the persist that follows
//     fails, and the sequence numbers that name new files only grow. Only
//     the incarnation's start and DEBUG LOADAOF read the manifest again
//     (aofLoadManifestFromDisk, then aofDelHistoryFiles): the removals of
//     a DEBUG LOADAOF are the last ones before "Append Only File loaded by
//     DEBUG LOADAOF" (with only a failed persist or the load's lines
//     between), or before the incarnation's last line when the load
//     failed and the process exited there. That holds while the manifests
//     the node reads name each file once: aofLoadManifestFromFile does not
//     check that (only that the incr seqs grow), so once a bit flip hit a
//     read of the node's manifest, which can make a damaged one name a
//     file twice and load, and the node may persist that manifest again,
//     its removals are not judged (seed 71009: the huge_seq damage's
//     second copy of its last incr line, its seq cut short by the flip).
func checkAOFLog(in LogInput) []Violation {
	var out []Violation
	bad := func(l LogLine, format string, args ...any) {
		out = append(out, lineViolation(&l, format, args...))
	}
	diskFault := map[[2]any]bool{}
	manifestFlipped := map[string]int64{} // the first bit flip in a read of a node's manifest
	for _, f := range in.DiskFaults {
		if f.Op != "bitflip" {
			diskFault[[2]any{f.Node, f.At}] = true
		} else if at, ok := manifestFlipped[f.Node]; strings.HasSuffix(f.Path, ".manifest") && (!ok || f.At < at) {
			manifestFlipped[f.Node] = f.At
		}
	}
	type genKey struct {
		node string
		gen  int
	}
	gens := map[genKey]*aofLogGen{}
	var order []genKey
	settings := in.Settings
	applied := 0
	aofOn := map[string]bool{}
	changedAt := map[[2]any]bool{}
	for _, c := range in.Settings {
		changedAt[[2]any{c.Node, c.At}] = true
	}
	// aofOff says the node surely had appendonly no at line l.
	aofOff := func(l LogLine) bool {
		return len(in.Settings) > 0 && !aofOn[l.Node] && !changedAt[[2]any{l.Node, l.At}]
	}
	// rwUnfinished: a rewrite whose base was renamed into place ends in
	// the same handler, with its success or a failed manifest write.
	rwUnfinished := func(g *aofLogGen) {
		switch g.rw {
		case rwSucceeded:
			bad(g.rwLine, "%q, then neither %q nor %q", g.rwLine.Msg, logRWRenamedBase, logRenameFailed)
		case rwRenamed, rwHistory:
			bad(g.rwLine, "%q, then neither %q nor a failed manifest write", g.rwLine.Msg, logAOFRWFinished)
		}
	}
	pendingDone := func(g *aofLogGen) {
		if g.next != nil && (g.nextStrict || !diskFault[[2]any{g.nextFrom.Node, g.nextFrom.At}]) {
			bad(g.nextFrom, "%q, then not %q", g.nextFrom.Msg, strings.Join(g.next, `" or "`))
		}
		g.next, g.nextStrict = nil, false
	}
	last := map[genKey]LogLine{}
	for _, l := range in.Lines {
		last[genKey{l.Node, l.Gen}] = l
		for len(settings) > 0 && (settings[0].At < l.At || settings[0].At == l.At && applied < l.Settings) {
			aofOn[settings[0].Node] = settings[0].AppendOnly && !settings[0].Down
			settings = settings[1:]
			applied++
		}
		if strings.HasPrefix(l.Msg, logAOFLoaded) {
			k := genKey{l.Node, l.Gen}
			if gens[k] == nil {
				gens[k] = &aofLogGen{}
				order = append(order, k)
			}
			gens[k].loaded = true
		}
		if l.Format == logLoadedByDebug {
			if g := gens[genKey{l.Node, l.Gen}]; g != nil {
				// The manifest was read again just before its removals
				// (g.run): what they removed is all that counts from now.
				again := g.again[:0]
				for _, a := range g.again {
					if !inRun(g.run, a) {
						again = append(again, a)
					}
				}
				g.again = again
				g.removed, g.created = map[string]bool{}, nil
				for _, r := range g.run {
					g.removed[r.Args[0]] = true
				}
				g.run = nil
			}
			continue
		}
		if !aofGrammar[l.Format] {
			continue
		}
		k := genKey{l.Node, l.Gen}
		g := gens[k]
		if g == nil {
			g = &aofLogGen{}
			gens[k] = g
			order = append(order, k)
		}
		if manifestFailFormats[l.Format] && g.rw == rwRenamed {
			g.rw = rwIdle // the rewrite failed writing its manifest
		}
		if g.next != nil {
			ok := false
			for _, f := range g.next {
				ok = ok || f == l.Format
			}
			if !ok {
				pendingDone(g)
			}
			g.next, g.nextStrict = nil, false
		}
		prev := g.prev
		g.prev = l
		if i, ok := manifestEntryArg[l.Format]; ok && len(l.Args) > i {
			if g.created == nil {
				g.created = map[string][]int{}
			}
			g.entries++
			g.created[l.Args[i]] = append(g.created[l.Args[i]], g.entries)
		}
		if !historyRunFormats[l.Format] {
			g.run = nil
		}
		if step, ok := rwSteps[l.Format]; ok {
			from := false
			for _, s := range step.from {
				from = from || g.rw == s
			}
			if !from {
				bad(l, "%q without %q before it since the rewrite began (the log stands at: %s)", l.Msg, step.want, rwStateLine[g.rw])
			}
			g.rw, g.rwLine = step.to, l
		}
		if aofOpenFormats[l.Format] {
			g.opened = true
		}
		switch l.Format {
		case logAOFRWStarted:
			rwUnfinished(g)
			if g.rw == rwRunning {
				bad(l, "%q while the rewrite started at %s (%q) runs: its end or kill was not logged (hasActiveChildProcess refuses a second child)",
					l.Msg, seconds(g.rwLine.At), g.rwLine.Msg)
			}
			if !aofOff(l) && len(in.Settings) > 0 && prev.Format != logAOFCreatedOnRW {
				bad(l, "%q with the AOF on, but not just after %q (openNewIncrAofForAppend opens the new incr file before the fork)",
					l.Msg, logAOFCreatedOnRW)
			}
			g.rw, g.rwLine = rwRunning, l
		case logHistoryRemoved:
			if g.rw == rwRenamed {
				g.rw = rwHistory
			}
			if len(l.Args) > 0 {
				if g.removed == nil {
					g.removed = map[string]bool{}
				}
				name := l.Args[0]
				created := g.createdHistory(name)
				flipAt, flipped := manifestFlipped[l.Node]
				if g.removed[name] && !created && (!flipped || flipAt > l.At) {
					g.again = append(g.again, l)
				}
				g.removed[name] = true
				g.run = append(g.run, l)
			}
		case logAOFCreatedAtStart:
			if prev.Format != logAOFBaseAtStart && !g.loaded {
				bad(l, "%q neither just after %q nor after %q: a manifest without incr files either was empty (a base is created) or lists a base (it was loaded)",
					l.Msg, logAOFBaseAtStart, logAOFLoaded)
			}
		case logKillAOF, logRWKillChild:
			g.rw = rwIdle
		case logShortRead:
			g.next, g.nextFrom = []string{logTruncating}, l
		case logTruncating:
			if prev.Format != logShortRead || !sameFirstArg(prev, l) {
				bad(l, "%q not just after %q for the same file", l.Msg, logShortRead)
			}
		case logTruncated:
			if prev.Format != logTruncating || !sameFirstArg(prev, l) {
				bad(l, "%q not just after %q for the same file", l.Msg, logTruncating)
			}
		case logAOFBaseAtStart:
			g.next, g.nextFrom = []string{logAOFCreatedAtStart}, l
		case logRWRenameIncrErr:
			// Only a rewrite that turns the AOF on renames an incr file
			// (AOF_WAIT_REWRITE), and its failure's cleanup deletes the
			// temp incr file (backgroundRewriteDoneHandler,
			// aofDelTempIncrAofFile), whatever the disk did.
			g.next, g.nextFrom, g.nextStrict = []string{logTempIncrGone}, l, true
		case logAOFOpened:
			if !g.loaded {
				bad(l, "%q without %q before it: Redis opens an existing incr file only after loading the files the manifest lists", l.Msg, logAOFLoaded)
			}
		case logEnabledOtherChild, logEnabledInExec:
			g.scheduled = true
		case logAOFShutdownFsync:
			if !g.opened && !g.scheduled {
				bad(l, "%q, but the AOF was never opened in this incarnation (no %q, %q or %q) nor its first rewrite scheduled: Redis calls it only with the AOF on",
					l.Msg, logAOFOpened, logAOFCreatedAtStart, logAOFCreatedOnRW)
			} else if aofOff(l) {
				bad(l, "%q with appendonly no", l.Msg)
			}
		case logReopenFsyncErr, logReopenWriteErr:
			switch prev.Format {
			case logAOFCreatedOnRW, logAOFRWStarted, logEnabledOtherChild, logEnabledInExec, logReopenFsyncErr:
			default:
				bad(l, "%q not just after the AOF was enabled (startAppendOnly: %q, or the line scheduling it)", l.Msg, logAOFCreatedOnRW)
			}
		}
	}
	for _, k := range order {
		pendingDone(gens[k])
		rwUnfinished(gens[k])
		for _, a := range gens[k].again {
			if exitExplained(last[k]) && inRun(gens[k].run, a) {
				continue // a DEBUG LOADAOF whose load failed
			}
			bad(a, "%q, but the file was removed before in this incarnation and the manifest was not read from disk since (aofDelHistoryFiles drops each history entry from the manifest in memory as it removes the file; only the start and DEBUG LOADAOF read the manifest again)", a.Msg)
		}
	}
	return out
}

// sameFirstArg is whether lines a and b name the same file first.
func sameFirstArg(a, b LogLine) bool {
	return len(a.Args) > 0 && len(b.Args) > 0 && a.Args[0] == b.Args[0]
}
