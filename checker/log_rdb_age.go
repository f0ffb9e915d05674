package checker

import (
	"math"
	"strconv"
	"strings"
)

// checkRDBAgeBound judges "RDB age %d seconds": rdbLoadRio logs the
// loading process's clock less the file's ctime AUX field, and every RDB
// a node loads was written during the run by a node (a save, a rewrite's
// preamble, a transfer) with ctime its clock then. So a load that ended
// well ("Done loading RDB": the checksum held, so ctime is as written)
// logs an age of at most the loading clock less the least reading of any
// node's clock since the run began. rdbLoadRio logs the AUX fields before
// it checks the checksum, so a load that fails is not judged. Whatever
// the file, the age is never below 0: rdbLoadRio clamps a ctime ahead of
// the clock (another node's clock, or this one before a jump back) to 0.
func checkRDBAgeBound(lines []LogLine, clocks Clocks) []Violation {
	pending := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch {
		case l.Format == logRDBAge:
			pending[k] = l
			if len(l.Args) > 0 && strings.HasPrefix(l.Args[0], "-") {
				out = append(out, lineViolation(l, "%q: rdbLoadRio logs an age below 0 (a ctime ahead of its clock) as 0", l.Msg))
			}
		case l.Format == logRDBVersion:
			pending[k] = nil // a new load
		case strings.HasPrefix(l.Msg, logDoneLoading):
			a := pending[k]
			pending[k] = nil
			if a == nil || len(a.Args) == 0 {
				continue
			}
			age, err := strconv.ParseInt(a.Args[0], 10, 64)
			if err != nil {
				continue
			}
			least, known := int64(math.MaxInt64), false
			for _, c := range clocks {
				if c.Known() {
					lo, _ := c.Range(0, a.At)
					least, known = min(least, lo), true
				}
			}
			if !known {
				continue
			}
			if most := a.ClockMs/1000 - least/1e9; age > most {
				out = append(out, lineViolation(a, "%q at %d ms of its clock in a load that ended well: every RDB it can load was written during the run, by a clock that read no less than %d ms, so its age is at most %d seconds (rdbLoadRio logs the clock less the ctime AUX field)",
					a.Msg, a.ClockMs, least/1e6, most))
			}
		}
	}
	return out
}
