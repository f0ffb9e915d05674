package checker

// alwaysExitsUnderAlways checks flushAppendOnlyFile's exit on a failed
// write, "Can't recover from AOF write error when the AOF fsync policy is
// 'always'. Exiting...": Redis takes that path only with appendfsync
// always (under everysec and no it keeps the buffer and refuses writes
// with MISCONF until a write succeeds). The policy judged is the node's
// last recorded settings at the line's instant that are not its going
// down (the harness records settings after each event, so a CONFIG SET
// in the same event is in them). And the other way round: under always
// the line comes right after the failed write's own line ("Error writing
// to the AOF file", "Short write while writing to the AOF file").
func alwaysExitsUnderAlways(lines []LogLine, settings []SettingsChange) []Violation {
	if len(settings) == 0 {
		return nil
	}
	log := newSettingsLog(settings)
	policyAt := func(l *LogLine) string {
		policy := ""
		for _, c := range log[l.Node] {
			if c.At > l.At {
				break
			}
			if !c.Down {
				policy = c.AppendFsync
			}
		}
		return policy
	}
	failed := map[process]*LogLine{} // a failed write's line under always
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		if w := failed[k]; w != nil {
			delete(failed, k)
			if l.Msg != logAOFAlwaysExit {
				out = append(out, lineViolation(l, "%q right after %q under appendfsync always: flushAppendOnlyFile exits on a failed write then (%q)", l.Msg, w.Msg, logAOFAlwaysExit))
			}
		}
		switch {
		case l.Format == logAOFWriteErr || l.Format == logAOFShortWrite:
			if policyAt(l) == "always" {
				failed[k] = l
			}
		case l.Msg == logAOFAlwaysExit:
			if policy := policyAt(l); policy != "" && policy != "always" {
				out = append(out, lineViolation(l, "%q with appendfsync %s: flushAppendOnlyFile exits on a failed write only under always (else it keeps the buffer and refuses writes with MISCONF)", l.Msg, policy))
			}
		}
	}
	return out
}
