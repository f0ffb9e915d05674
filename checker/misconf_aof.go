package checker

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/replsim/replsim/tap"
)

// aofMisconf starts the error Redis answers writes with while an AOF
// write or fsync error is in force (writeCommandsDeniedByDiskError's
// DISK_ERROR_TYPE_AOF).
const aofMisconf = "MISCONF Errors writing to the AOF file"

// The lines that set or clear aof_last_write_status (aof.c): a failed or
// short write in flushAppendOnlyFile sets it, a later successful write
// there or startAppendOnly clears it; and the line of a failed
// background fsync (bioProcessBackgroundJobs), whose end is not logged.
const (
	logAOFShortWrite = "Short write while writing to the AOF file: (nwritten=%d, expected=%d)"
	logAOFFsyncErr   = "Fail to fsync the AOF file: %s"
)

// aofWriteErrorLine reports whether l says that aof_last_write_status
// became (or stayed) C_ERR: flushAppendOnlyFile logs "Error writing ..."
// or "Short write ..." just before it sets the status (or exits, under
// appendfsync always).
func aofWriteErrorLine(l *LogLine) bool {
	return l.Format == logAOFWriteError || l.Format == logAOFShortWrite
}

// aofWriteClearedLine reports whether l ends the refusal of writes for
// an AOF write error: aof_last_write_status went back to C_OK (a
// successful write in flushAppendOnlyFile, or the AOF's restart in
// startAppendOnly, from CONFIG SET appendonly yes, a replica's sync or its
// promotion: restartAOFAfterSYNC), or a replica's sync turned the AOF off
// (readSyncBulkPayload's stopAppendOnly, just before it flushes and loads:
// the status stays err, but nothing is refused for it while aof_state is
// AOF_OFF, and the AOF comes back on only through startAppendOnly, which
// logs that it forgets the error).
func aofWriteClearedLine(l *LogLine) bool {
	switch l.Format {
	case logAOFWriteSolved, logReopenWriteErr, logFlushingOld, logLoadingDB:
		return true
	}
	return false
}

// aofWriteErrorSpans are, by node, the spans in which the log shows an AOF
// write error in force: from the line that set aof_last_write_status to
// C_ERR to the line that ended the refusal (aofWriteClearedLine) or the
// node's next incarnation's first line (a new process starts with C_OK, initServer). The rate limit
// of "Error writing ..." (once in 30 seconds) may hide the start of an
// error, never make one up: a span may begin late, not early.
func aofWriteErrorSpans(lines []LogLine) map[string][]timeSpan {
	out := map[string][]timeSpan{}
	type state struct {
		gen  int
		open bool
	}
	cur := map[string]*state{}
	for i := range lines {
		l := &lines[i]
		st := cur[l.Node]
		if st == nil {
			st = &state{gen: l.Gen}
			cur[l.Node] = st
		}
		end := func() {
			if st.open {
				sp := out[l.Node]
				sp[len(sp)-1].to = l.At
				st.open = false
			}
		}
		if l.Gen != st.gen {
			end()
			st.gen = l.Gen
		}
		switch {
		case aofWriteErrorLine(l):
			if !st.open {
				out[l.Node] = append(out[l.Node], timeSpan{from: l.At, to: math.MaxInt64})
				st.open = true
			}
		case aofWriteClearedLine(l):
			end()
		}
	}
	return out
}

// deniedByDiskError reports whether Redis's processCommand checks op
// against writeCommandsDeniedByDiskError: a write command (CMD_WRITE), an
// EXEC whose transaction queued one, or PING. (A write queued inside
// MULTI is refused when queued, and the EXEC then answers EXECABORT.)
func deniedByDiskError(op *Op) bool {
	if op.Kind == OpEvict || op.Inferred {
		return false
	}
	if op.Kind == OpRead && len(op.Args) >= 1 && len(op.Args) <= 2 && strings.EqualFold(op.Args[0], "PING") {
		return true
	}
	if op.Kind == OpTx && op.Discard {
		// The queued write's MISCONF is a reply the client skips, and
		// DISCARD itself is no write.
		return false
	}
	if op.Kind == OpTx {
		// Every command sent, whatever EXEC then did with it (Writes
		// counts only the GET of a watch transaction whose EXEC answered
		// nil; with a write refused when queued, EXEC answers EXECABORT
		// whatever the watched keys did).
		for i := range op.Sub {
			if op.Sub[i].Writes() {
				return true
			}
		}
		return false
	}
	return op.Writes()
}

// CheckAOFMisconf judges the AOF MISCONF refusal (writeCommandsDeniedByDiskError's
// DISK_ERROR_TYPE_AOF, checked by processCommand) both ways:
//
//   - a client's write command (or PING, or a transaction that queues a
//     write) to a node with appendonly yes for the whole call, sent after
//     the node logged an AOF write error and answered before it logged
//     the error's end (aofWriteErrorSpans) in the same process, must be
//     refused: Redis denies it while aof_state != AOF_OFF and
//     aof_last_write_status is C_ERR, on a master and (Redis 7.0: no
//     masterhost test; checked against redis-server 7.0.15) on a replica
//     alike, writable or not (MISCONF comes before READONLY). aof_state
//     is not OFF while appendonly is yes but for a replica's sync, which
//     the span ends at: stopAppendOnly runs only for CONFIG SET
//     appendonly no and in readSyncBulkPayload, and restartAOFAfterSYNC
//     (the sync's success, or replicationUnsetMaster's promotion) clears
//     the error with "AOF reopen, just ignore the last error.";
//   - a refusal with the AOF MISCONF needs appendonly yes at some instant
//     of the call (aof_state is OFF while it is no) and an AOF write or
//     fsync error logged by that process before the reply (the first of
//     each is always logged: the write error's rate limit starts
//     expired, and bio logs a failed fsync after a good status).
//
// A failed fsync (aof_bio_fsync_status) refuses writes too, but its end
// is not logged, so it starts no span.
func CheckAOFMisconf(in AccessInput, lines []LogLine) []Violation {
	spans := aofWriteErrorSpans(lines)
	log := newSettingsLog(in.Settings)
	aofOn := func(s tap.Settings) bool { return s.AppendOnly }
	byNode := map[string][]int{}
	for i := range lines {
		byNode[lines[i].Node] = append(byNode[lines[i].Node], i)
	}
	agg := newAggregator()
	for i := range in.Ops {
		op := &in.Ops[i]
		if op.Unknown || op.Quiet != "" || op.AfterError != "" {
			continue
		}
		if strings.HasPrefix(op.Err, aofMisconf) {
			if why := aofMisconfUnfounded(op, lines, byNode[op.Node], log); why != "" {
				agg.addV("misconf-aof/"+op.Node, Violation{Detail: fmt.Sprintf(
					"%s refused client %d's %s (%s..%s) with %q, but %s",
					op.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), op.Err, why),
					At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
			}
			continue
		}
		if op.Err != "" || !deniedByDiskError(op) {
			continue
		}
		var span *timeSpan
		for j := range spans[op.Node] {
			if sp := &spans[op.Node][j]; sp.from < op.Call && op.Return < sp.to {
				span = sp
				break
			}
		}
		// The settings from just before the call: a change recorded at
		// the call's instant may have come after the command ran. No
		// restart since the error either (Start, Down).
		if span == nil || !log.throughout(op.Node, op.Call-1, op.Return, aofOn) || restartedSince(log, op.Node, span.from, op.Return) {
			continue
		}
		agg.addV("misconf-aof/"+op.Node, Violation{Detail: fmt.Sprintf(
			"%s (appendonly yes) took client %d's %s (%s..%s) while its AOF write error was in force (logged at %s, not cleared before the reply): Redis refuses writes and PING with %q while aof_last_write_status is err (writeCommandsDeniedByDiskError)",
			op.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), seconds(span.from), aofMisconf+"..."),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropAccess)
}

// restartedSince reports whether node's process started or went down at
// some instant of [from, to] by its settings.
func restartedSince(log settingsLog, node string, from, to int64) bool {
	cs := log[node]
	for i := sort.Search(len(cs), func(i int) bool { return cs[i].At >= from }); i < len(cs) && cs[i].At <= to; i++ {
		if cs[i].Start || cs[i].Down {
			return true
		}
	}
	return false
}

// aofMisconfUnfounded says why op's AOF MISCONF refusal cannot be Redis's
// ("" when it can): appendonly was no for the whole call, or the process
// that answered had logged no AOF write or fsync error before the reply.
func aofMisconfUnfounded(op *Op, lines []LogLine, idx []int, log settingsLog) string {
	if _, known := log[op.Node]; known && !log.ever(op.Node, op.Call-1, op.Return, func(s tap.Settings) bool { return s.AppendOnly }) {
		return "appendonly was no for the whole call: Redis refuses for an AOF error only while aof_state is not AOF_OFF (writeCommandsDeniedByDiskError)"
	}
	gen, known, failed := -1, false, false
	for _, li := range idx {
		l := &lines[li]
		if l.At > op.Return {
			break
		}
		if l.Gen != gen {
			if l.At >= op.Call {
				return "" // another process may have answered
			}
			gen, known, failed = l.Gen, true, false
		}
		if aofWriteErrorLine(l) || l.Format == logAOFFsyncErr {
			failed = true
		}
	}
	if !known || failed {
		return ""
	}
	return "its process had logged no AOF write or fsync error before the reply: Redis logs the first of each (flushAppendOnlyFile, bioProcessBackgroundJobs)"
}
