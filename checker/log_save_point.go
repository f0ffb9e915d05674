package checker

import "strconv"

// checkSavePointTiming judges when a save point fires. Redis 7.0.15's
// serverCron starts a BGSAVE for save point "<seconds> <changes>" only
// once server.unixtime - server.lastsave > seconds, logging "<changes>
// changes in <seconds> seconds. Saving..."; lastsave is the second of the
// process's start or of its last successful save (as CheckLastSave reads
// it: "DB saved on disk" in the process, or a BGSAVE's success). So the
// line comes more than <seconds> whole seconds of the node's clock after
// the latest of those. The log does not show a process's start (its first
// line may come long after), so only a save point after a successful save
// of its process is judged.
func checkSavePointTiming(lines []LogLine) []Violation {
	last := map[process]int64{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch {
		case l.Msg == logDBSaved || l.Msg == logSaveDone:
			last[k] = floorDiv(l.ClockMs, 1000)
		case l.Format == logSavePoint && len(l.Args) == 2:
			secs, err := strconv.ParseInt(l.Args[1], 10, 64)
			saved, ok := last[k]
			if err != nil || !ok {
				continue
			}
			if now := floorDiv(l.ClockMs, 1000); now-saved <= secs {
				out = append(out, lineViolation(l, "%q at second %d of its clock, %d s after its last successful save (second %d): serverCron fires a save point only once more than its seconds passed (server.unixtime - server.lastsave > seconds)",
					l.Msg, now, now-saved, saved))
			}
		}
	}
	return out
}
