package checker

import "strconv"

// checkSecondIDRefusals judges masterTryPartialResynchronization's refusal
// of a request for its second replication ID: Redis refuses only an offset
// past the point where that history ended (psync_offset >
// server.second_replid_offset), so in "Requested offset for second ID was
// %d, but I can reply up to %d" the first number is greater than the
// second. A request exactly at that point is the common case after a
// failover (a replica as far as the promoted one) and continues.
func checkSecondIDRefusals(lines []LogLine) []Violation {
	var out []Violation
	for _, l := range lines {
		if l.Format != logNotAcceptedOff || len(l.Args) < 2 {
			continue
		}
		asked, err1 := strconv.ParseInt(l.Args[0], 10, 64)
		upTo, err2 := strconv.ParseInt(l.Args[1], 10, 64)
		if err1 != nil || err2 != nil || asked > upTo {
			continue
		}
		out = append(out, lineViolation(&l, "%q: Redis refuses a request for its second ID only past the offset it can reply up to, and continues one at or before it", l.Msg))
	}
	return out
}
