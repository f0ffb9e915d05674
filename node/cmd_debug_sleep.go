package node

import "strconv"

func init() {
	debugSubcommands["sleep"] = debugSleep
}

// maxBusyMs bounds one busy spell (about 35 years) so the end time cannot
// overflow.
const maxBusyMs = 1 << 50

// debugSleep is DEBUG SLEEP <seconds>: the node blocks for that long (a
// fraction allowed; what is not a number is 0) and then replies +OK. See
// busy.go for what blocking means for a sans-IO node.
func debugSleep(n *Node, c *client, args [][]byte) {
	if len(args) != 3 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	n.beBusy(c, secondsToMs(args[2]))
	c.addOK()
}

// secondsToMs reads a number of seconds the way Redis's strtod does for
// DEBUG SLEEP (leading spaces, the longest numeric prefix, 0 without one)
// and returns whole milliseconds, 0 for a negative or NaN value.
func secondsToMs(b []byte) int64 {
	s := string(b)
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f') {
		i++
	}
	s = s[i:]
	if len(s) > 64 {
		s = s[:64] // a longer prefix changes nothing a sleep can tell
	}
	var v float64
	for j := len(s); j > 0; j-- {
		if f, err := strconv.ParseFloat(s[:j], 64); err == nil || isRangeErr(err) {
			v = f
			break
		}
	}
	if !(v > 0) {
		return 0
	}
	ms := v * 1000
	if ms >= maxBusyMs {
		return maxBusyMs
	}
	return int64(ms)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
