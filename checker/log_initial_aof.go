package checker

// checkInitialAOFShutdowns judges finishShutdown's handling of a running
// AOF rewrite against whether the AOF waits for the rewrite that turns it
// on (durability_wait.go: from the rewrite's temp incr file, or the line
// scheduling it, to "Background AOF rewrite finished successfully", in
// one incarnation). Redis 7.0.15 refuses to exit ("Writing initial AOF,
// can't exit.") or, with FORCE, says it exits anyway only while the AOF
// waits (AOF_WAIT_REWRITE): so either line needs a wait begun and not
// ended. And a shutdown that kills the rewrite child ("There is a child
// rewriting the AOF. Killing it!") while the AOF waits, appendonly yes
// all along since the wait began, says first that it exits anyway.
func checkInitialAOFShutdowns(lines []LogLine, settings []SettingsChange) []Violation {
	byNode := newSettingsLog(settings)
	// aofOnSince says whether node's appendonly stayed yes from from to to.
	aofOnSince := func(node string, from, to int64) bool {
		cs := byNode[node]
		i := inForce(cs, from)
		if i < 0 {
			return false
		}
		for ; i < len(cs) && cs[i].At <= to; i++ {
			if !cs[i].AppendOnly || cs[i].Down {
				return false
			}
		}
		return true
	}
	type state struct {
		gen     int
		waiting bool
		since   int64
		forced  int64 // the instant of the last "Exit anyway." line
	}
	states := map[string]*state{}
	var out []Violation
	bad := func(l *LogLine, format string, args ...any) {
		out = append(out, lineViolation(l, format, args...))
	}
	for i := range lines {
		l := &lines[i]
		s := states[l.Node]
		if s == nil || s.gen != l.Gen {
			s = &state{gen: l.Gen, forced: -1}
			states[l.Node] = s
		}
		switch {
		case l.Format == logAOFRWFinished:
			s.waiting = false
		case !s.waiting && (aofWaitStarts[l.Format] || isTempIncrLine(*l)):
			s.waiting, s.since = true, l.At
		case l.Msg == logWritingInitialAOF || l.Msg == logWritingInitialAOFForced:
			if l.Msg == logWritingInitialAOFForced {
				s.forced = l.At
			}
			if !s.waiting {
				bad(l, "%q, but the AOF does not wait for the rewrite that turns it on (no temp incr file or scheduled rewrite since its last \"%s\"): Redis says so only in AOF_WAIT_REWRITE, and otherwise kills the rewrite and exits",
					l.Msg, logAOFRWFinished)
			}
		case l.Msg == logKillAOF:
			if s.waiting && s.forced != l.At && aofOnSince(l.Node, s.since, l.At) {
				bad(l, "%q while the AOF waits for the rewrite that turns it on (since %s): Redis refuses to exit then (%q), or with FORCE says %q first",
					l.Msg, seconds(s.since), logWritingInitialAOF, logWritingInitialAOFForced)
			}
		}
	}
	return out
}
