package node

import (
	"sort"
	"strconv"
	"strings"
)

// Per-command and per-error statistics, as Redis 7.0 keeps them for INFO
// commandstats, errorstats and latencystats: a command's calls, the
// microseconds it ran, the calls refused before running (rejected_calls)
// and the calls that replied an error while running (failed_calls); every
// error reply by its code (the word before the first space); and, while
// latency-tracking is on, a latency histogram per command. Subcommands
// count under "container|sub" (config|set).
//
// Durations come from Env.Now: 0 in simulation (time stands still while a
// command runs), the real elapsed time under the real TCP driver.

// cmdStat is one command's counters.
type cmdStat struct {
	calls, usec, rejected, failed int64
	latency                       *latencyHist
}

// cmdStats holds the statistics CONFIG RESETSTAT clears (it lives in
// Node.stats).
type cmdStats struct {
	cmds map[string]*cmdStat
	// errors counts error replies by code; errorReplies is their total.
	errors       map[string]int64
	errorReplies int64
	// prevErrors is errorReplies when the running command started (Redis's
	// prev_err_count): errors beyond it are the command's own.
	prevErrors int64
	// ran is set once the command execute handles starts running.
	ran bool
}

func (s *cmdStats) stat(name string) *cmdStat {
	if s.cmds == nil {
		s.cmds = make(map[string]*cmdStat)
	}
	st := s.cmds[name]
	if st == nil {
		st = &cmdStat{}
		s.cmds[name] = st
	}
	return st
}

// noteError counts one error reply, as Redis's afterErrorReply: the code
// is the text before the first space within the first 31 bytes, else ERR.
func (s *cmdStats) noteError(msg string) {
	s.errorReplies++
	code := "ERR"
	lim := min(len(msg), 31)
	if i := strings.IndexByte(msg[:lim], ' '); i > 0 {
		code = msg[:i]
	}
	if s.errors == nil {
		s.errors = make(map[string]int64)
	}
	s.errors[code]++
}

// statName is the name a command's statistics go under: the container
// command's subcommand as "container|sub".
func statName(cmd *command, args [][]byte) string {
	if cmd.subs != nil && len(args) >= 2 {
		if s := findSub(cmd, args); s != nil {
			return cmd.name + "|" + s.name
		}
	}
	return cmd.name
}

// statsBeginExecute and statsAfterExecute bracket execute: a command that
// replied an error without running was rejected (unknown commands and
// subcommands count as errors only, as in Redis, where they have no
// command to count against).
func (n *Node) statsBeginExecute() (errorsBefore int64) {
	n.stats.cmd.ran = false
	return n.stats.cmd.errorReplies
}

func (n *Node) afterExecute(c *client, args [][]byte, errorsBefore int64) {
	n.statsAfterExecute(args, errorsBefore)
	c.afterCommand()
}

func (n *Node) statsAfterExecute(args [][]byte, errorsBefore int64) {
	s := &n.stats.cmd
	if s.ran || s.errorReplies <= errorsBefore {
		return
	}
	if cmd := lookupCommand(args[0]); cmd != nil && (cmd.subs == nil || len(args) < 2 || findSub(cmd, args) != nil) {
		s.stat(statName(cmd, args)).rejected++
	}
	s.prevErrors = s.errorReplies
}

// statsStart marks the start of a command's run; statsEnd accounts it.
func (n *Node) statsStart() (start int64) {
	n.stats.cmd.ran = true
	n.stats.cmd.prevErrors = n.stats.cmd.errorReplies
	return n.env.Now()
}

func (n *Node) statsEnd(c *client, cmd *command, args [][]byte, start int64) {
	s := &n.stats.cmd
	st := s.stat(statName(cmd, args))
	if s.errorReplies > s.prevErrors {
		st.failed++
	}
	s.prevErrors = s.errorReplies
	if c.blocked {
		return // counted when it unblocks (statsUnblocked)
	}
	n.statsCall(st, start)
}

// statsUnblocked accounts a blocked command (WAIT) once it returns.
func (n *Node) statsUnblocked(name string, start int64) {
	n.statsCall(n.stats.cmd.stat(name), start)
}

func (n *Node) statsCall(st *cmdStat, start int64) {
	usec := max((n.env.Now()-start)/1000, 0)
	st.calls++
	st.usec += usec
	if n.cfg.LatencyTracking {
		if st.latency == nil {
			st.latency = &latencyHist{}
		}
		st.latency.record(usec * 1000)
	}
}

func (s *cmdStats) sortedNames() []string {
	names := make([]string, 0, len(s.cmds))
	for name := range s.cmds {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func infoCommandStats(n *Node, b *strings.Builder) {
	s := &n.stats.cmd
	for _, name := range s.sortedNames() {
		st := s.cmds[name]
		if st.calls == 0 && st.failed == 0 && st.rejected == 0 {
			continue
		}
		var perCall float32 // Redis divides in float
		if st.calls > 0 {
			perCall = float32(st.usec) / float32(st.calls)
		}
		b.WriteString("cmdstat_" + infoSafe(name) + ":calls=" + strconv.FormatInt(st.calls, 10) +
			",usec=" + strconv.FormatInt(st.usec, 10) +
			",usec_per_call=" + strconv.FormatFloat(float64(perCall), 'f', 2, 64) +
			",rejected_calls=" + strconv.FormatInt(st.rejected, 10) +
			",failed_calls=" + strconv.FormatInt(st.failed, 10) + "\r\n")
	}
}

func infoErrorStats(n *Node, b *strings.Builder) {
	s := &n.stats.cmd
	codes := make([]string, 0, len(s.errors))
	for code := range s.errors {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		b.WriteString("errorstat_" + code + ":count=" + strconv.FormatInt(s.errors[code], 10) + "\r\n")
	}
}

func infoLatencyStats(n *Node, b *strings.Builder) {
	s := &n.stats.cmd
	for _, name := range s.sortedNames() {
		st := s.cmds[name]
		if st.latency == nil {
			continue
		}
		b.WriteString("latency_percentiles_usec_" + infoSafe(name) + ":")
		for i, p := range n.cfg.LatencyPercentiles {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("p" + formatPercentile(p) + "=" +
				strconv.FormatFloat(float64(st.latency.valueAt(p))/1000, 'f', 3, 64))
		}
		b.WriteString("\r\n")
	}
}

// infoSafe replaces the characters INFO's line format cannot carry, as
// Redis's getSafeInfoString.
func infoSafe(s string) string {
	return strings.NewReplacer("#", "_", ":", "_", "\r", "_", "\n", "_").Replace(s)
}
