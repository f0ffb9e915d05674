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

// rewriteLimitDelays checks the minutes aofRewriteLimited's lines name.
// Its delay is a static of the process, 0 at the start: each line doubles
// it (1 the first time) up to AOF_REWRITE_LIMITE_MAX_MINUTES, and only a
// call that finds fewer than three consecutive failures sets it back to
// 0. Failures are counted only when a started rewrite ends
// (backgroundRewriteDoneHandler), so a process's next line after one
// naming m minutes names min(2m, 60), unless three rewrites started
// between them (a reset then needs three failures to reach the limit
// again), when it may name 1.
func rewriteLimitDelays(lines []LogLine) []Violation {
	type held struct {
		minutes int64
		starts  int
	}
	last := map[process]*held{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch l.Format {
		case logAOFRWStarted:
			if h := last[k]; h != nil {
				h.starts++
			}
		case logRewriteLimited:
			if len(l.Args) == 0 {
				continue
			}
			minutes, err := strconv.ParseInt(l.Args[0], 10, 64)
			if err != nil {
				continue
			}
			h := last[k]
			switch {
			case h == nil && minutes != 1:
				out = append(out, lineViolation(l, "%q is the process's first such line: aofRewriteLimited's delay starts at 1 minute", l.Msg))
			case h != nil && minutes != min(2*h.minutes, aofRewriteLimitMaxMin) && (h.starts < 3 || minutes != 1):
				out = append(out, lineViolation(l, "%q after its line naming %d minutes with %d rewrites started since: aofRewriteLimited doubles its delay (up to %d) unless a streak of failures began anew, which takes three rewrites",
					l.Msg, h.minutes, h.starts, aofRewriteLimitMaxMin))
			}
			last[k] = &held{minutes: minutes}
		}
	}
	return out
}

// aofRewriteLimitMaxMin is AOF_REWRITE_LIMITE_MAX_MINUTES.
const aofRewriteLimitMaxMin = 60
