package checker

// A replica drops its master link for silence in replicationCron when
// time(NULL) - master->lastinteraction > repl-timeout (Redis 7.0.15
// replication.c, whole seconds). lastinteraction is server.unixtime, the
// cached second, as the master client was made (a full sync's end, "MASTER
// <-> REPLICA sync: Finished with success"), resurrected (a partial one,
// "Master accepted a Partial Resynchronization") or read from; the cache
// is refreshed by serverCron and each command, so it lags the clock by at
// most one serverCron period (1000/hz ms). So at the "MASTER timeout" line
// the node's clock, in whole seconds, is past the last of those instants,
// less that lag, by more than repl-timeout.

// The handshake's and the transfer's timeouts (replicationCron: time(NULL)
// - repl_transfer_lastio > repl-timeout) count the same way from
// repl_transfer_lastio, server.unixtime as connectWithMaster started the
// attempt ("MASTER <-> REPLICA sync started") and at each read of the
// handshake's replies and the transfer's bytes.
const logTransferTimeout = "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."

// MasterRead is what the harness saw a replica read from its master before
// a line dropping the link for silence ("MASTER timeout", and the
// handshake's and transfer's timeouts): Line indexes the line
// (LogInput.Lines), LastReadAt (virtual ns) and LastReadMs (the replica's
// clock) are its last read on the link it drops (-1: none seen), Hz the
// node's hz.
type MasterRead struct {
	Line                   int
	LastReadAt, LastReadMs int64
	Hz                     int
}

const logMasterTimeout = "MASTER timeout: no data nor PING received..."

// IsSilenceTimeout says whether l drops a master link for silence, a line
// the harness records a MasterRead for.
func IsSilenceTimeout(l *LogLine) bool {
	return l.Format == logMasterTimeout || l.Msg == logConnTimeout || l.Msg == logTransferTimeout
}

// checkMasterTimeouts judges each silence timeout with a recorded read
// against the link's last sign of life, the later of its start (the
// streaming link's, or the attempt's for the handshake and the transfer)
// and its last read.
func checkMasterTimeouts(in LogInput) []Violation {
	byLine := map[int]MasterRead{}
	for _, r := range in.MasterReads {
		byLine[r.Line] = r
	}
	linkUp := map[process]*LogLine{}
	attempt := map[process]*LogLine{}
	var out []Violation
	for i := range in.Lines {
		l := &in.Lines[i]
		switch l.Msg {
		case logFullSyncDone, logPartialDone:
			linkUp[processOf(l)] = l
			continue
		case logSyncStarted:
			attempt[processOf(l)] = l
			continue
		}
		r, ok := byLine[i]
		if !ok || !IsSilenceTimeout(l) || r.Hz <= 0 {
			continue
		}
		starts := linkUp
		if l.Format != logMasterTimeout {
			starts = attempt
		}
		up, ok := starts[processOf(l)]
		if !ok {
			continue
		}
		// The later of the two in time: the clock may have jumped back
		// between them (seed 15744), and lastinteraction is the later's.
		last := up.ClockMs
		if r.LastReadAt >= up.At {
			last = r.LastReadMs
		}
		lag := int64(1000 / r.Hz)
		idle := floorDiv(l.ClockMs, 1000) - floorDiv(last-lag, 1000)
		if timeout := l.ReplTimeoutMs / 1000; idle <= timeout {
			out = append(out, lineViolation(l, "%q at clock %d ms, but its master link showed life at clock %d ms (its last read, or the link's start), %d whole seconds before even with the cached clock's lag of %d ms: Redis drops the link only past repl-timeout %d s",
				l.Msg, l.ClockMs, last, idle, lag, timeout))
		}
	}
	return out
}
