package checker

import "strconv"

// rewriteLimitHeld checks aofRewriteLimited's lines: once it logged "...
// triggered the limit, will retry in %d minutes", it holds the cron's
// rewrites back silently until its clock reaches the retry time
// (server.unixtime < next_rewrite_time returns 1 without a line), and it
// logs again only after letting one through at that time or after a call
// that found fewer than three consecutive failures (which a rewrite's
// start must precede: only a rewrite ends a streak or makes another). So
// a second line of the process with no rewrite start (or a rewrite's
// fork failure) since the first, before the first's retry time (a second
// of slack for the cached unixtime), is a violation.
func rewriteLimitHeld(lines []LogLine) []Violation {
	last := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch l.Format {
		case logAOFRWStarted, logRewriteForkFail:
			delete(last, k)
		case logRewriteLimited:
			if prev := last[k]; prev != nil && len(prev.Args) > 0 {
				if minutes, err := strconv.ParseInt(prev.Args[0], 10, 64); err == nil {
					due := floorDiv(prev.ClockMs, 1000) + minutes*60
					if now := floorDiv(l.ClockMs, 1000); now < due-1 {
						out = append(out, lineViolation(l, "%q %d s before the retry time of its line %q at %s, with no rewrite started since: Redis holds the rewrites back silently until then (aofRewriteLimited)",
							l.Msg, due-now, prev.Msg, seconds(prev.At)))
					}
				}
			}
			last[k] = l
		}
	}
	return out
}
