package checker

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// PropFakeMaster names the fake-master property: a replica of a master
// that misbehaves by hand (cluster/fakemaster.go) reacts to each
// misbehaviour as Redis 7.0.15's replica does (src/replication.c), and
// after a good transfer holds exactly the master's data at exactly the
// master's offset.
const PropFakeMaster = "fake-master"

// The misbehaviours a fake-master session can serve (FakeMasterSession.Faults).
const (
	FMBlankPong     = "blank-before-pong"       // "\n" before +PONG: the replica drops the link
	FMBlankFull     = "blank-before-fullresync" // "\n" keepalives before +FULLRESYNC
	FMBlankBulk     = "blank-before-bulk"       // "\n" or "\r\n" keepalives before the bulk header
	FMBadFullResync = "fullresync-syntax"       // "+FULLRESYNC <replid>" without offset
	FMPsyncErr      = "psync-error"             // -ERR to PSYNC: the replica falls back to SYNC
	FMTryLater      = "psync-try-later"         // -NOMASTERLINK or -LOADING to PSYNC
	FMBadLen        = "bad-rdb-length"          // "$abc", "$-5", "$0", "$EOF:<16 bytes>" or "$-1" as the bulk header
	FMAbortErr      = "transfer-error"          // "-ERR ..." in place of the bulk header
	FMBadBulk       = "not-a-bulk"              // "+OK", "hello" or "*1" in place of the bulk header
	FMEOF           = "eof-payload"             // "$EOF:<mark>" diskless framing
	FMCut           = "cut-payload"             // part of the payload, then silence
	FMBlankStream   = "blank-on-stream"         // "\n" keepalives between commands or before the GETACK
	FMSplit         = "split-commands"          // commands split across packets
	FMInline        = "inline-on-stream"        // "PING\r\n", "X\r\n" or an inline SET on the stream
	FMBadHeader     = "bad-header-on-stream"    // "*1\r\n$x\r\n", a bad bulk length on the stream
	FMContinue      = "continue"                // +CONTINUE to the replica's PSYNC
	FMContinueNewID = "continue-new-id"         // +CONTINUE <new replid>
	// FMRedis62: the snapshot as Redis 6.2.14 writes it for a replica
	// (REDIS0009, redis-ver 6.2.14, aof-preamble 0 where 7.0 writes
	// aof-base 0).
	FMRedis62 = "redis-6.2-snapshot"
	// FMBadStreamDB: the snapshot's repl-stream-db is 16, -1 or "x", and
	// no SELECT begins the stream after it.
	// Redis's replica reads it with atoi and selects it for the stream
	// (replicationCreateMasterClient): selectDb refuses 16, -1 selects
	// nothing, "x" reads 0. The stream stays in db 0.
	FMBadStreamDB = "bad-repl-stream-db"
	// FMSelectDB: the stream selects db 3 before its SETs; a +CONTINUE in a
	// later session goes on in it without a SELECT (the replica's cached
	// master keeps the db, replicationCacheMaster), whatever became of the
	// sessions between.
	FMSelectDB = "select-db"
	// FMHangUpAtPsync: the master closes the connection instead of
	// answering PSYNC (a master restarting mid-handshake). Redis's replica
	// fails the synchronous read (receiveSynchronousResponse) and keeps
	// its cached master, with the db its stream had selected.
	FMHangUpAtPsync = "hang-up-at-psync"
	// FMBytesAfterBadLen: after FMBadLen's header the master sends the
	// payload anyway, or a PING as a keepalive (always after "$-1"),
	// which a transfer of length 0 or less cannot read.
	FMBytesAfterBadLen = "bytes-after-bad-length"
	// FMReplconfErr: an error to REPLCONF listening-port and to REPLCONF
	// capa, as a master before those options answers; the replica logs
	// each as "(Non critical)" and goes on (syncWithMaster).
	FMReplconfErr = "replconf-error"
	// FMExpire: some of the stream's commands are EXPIREAT or PEXPIREAT of
	// a key, at 0, at a past instant or at a far one. Redis's replica
	// stores a past one without deleting the key (a master's command) and
	// hides the key from reads from then on (keyIsExpired).
	FMExpire = "expire"
)

// FakeMasterSession is one connection the replica made to the fake master.
type FakeMasterSession struct {
	Replica    string
	From       int64 // virtual ns the fake master accepted it
	Until      int64 // virtual ns it ended (0: open at the end of the run)
	ClosedBy   string
	Request    string   // the replica's PSYNC request, as received ("" none)
	SyncSent   bool     // the replica sent SYNC (after an error to PSYNC)
	Faults     []string // the misbehaviours served, in order
	Reply      string   // the reply to PSYNC the master sent ("" none)
	BulkHeader string   // the bulk header sent ("" none)
	// Full says a whole snapshot was sent; Streamed that the stream began
	// (a full sync whose snapshot was sent, or a +CONTINUE).
	Full, Streamed bool
	// ReplID and Start are the history the session streams: what a
	// cached master resumes from (Start -1: the replica cannot know the
	// offset, after SYNC or a +FULLRESYNC it could not parse).
	ReplID string
	Start  int64
	// Sent is how many stream bytes the master sent (after the snapshot
	// or +CONTINUE); InlineAt is where the inline text or bad header
	// began (-1 none).
	Sent     int64
	InlineAt int64
	// InlineWant is the master's data when the inline text was an inline
	// SET (nil otherwise), InlineGot the replica's as the session ended:
	// Redis refuses inline commands from its master (processInlineBuffer),
	// so the SET must not be in it.
	InlineWant, InlineGot map[string]string
	// Acks are the REPLCONF ACK offsets the replica sent that did not
	// answer a GETACK.
	Acks []string
	// Checks are the moments the replica answered a GETACK.
	Checks []FakeMasterCheck
	// Waiting says a GETACK went unanswered when the session ended.
	Waiting *FakeMasterCheck
}

// FakeMasterCheck is one GETACK: the offset Redis answers (the history's
// start plus the stream bytes before the GETACK), what the replica
// answered, and the replica's data then against the fake master's own list.
type FakeMasterCheck struct {
	At       int64
	Want     int64
	Got      int64
	WantData map[string]string
	GotData  map[string]string
}

// FakeMasterInput is what the fake-master check reads.
type FakeMasterInput struct {
	Sessions []FakeMasterSession
	Logs     []LogLine // the replica's log lines
	// ReplTimeoutMs is the replica's repl-timeout; End the run's end.
	ReplTimeoutMs int64
	End           int64
}

// CheckFakeMaster judges the fake master's replica session by session.
func CheckFakeMaster(in FakeMasterInput) []Violation {
	var out []Violation
	bad := func(s *FakeMasterSession, at int64, format string, args ...any) {
		out = append(out, Violation{Check: PropFakeMaster, At: at, Nodes: []string{s.Replica},
			Detail: fmt.Sprintf("session at %s: ", seconds(s.From)) + fmt.Sprintf(format, args...)})
	}
	// cached is what the replica would resume: Redis's cached master.
	cachedID, cachedOff, known := "", int64(0), true
	haveCache := false
	for i := range in.Sessions {
		s := &in.Sessions[i]
		end := s.Until
		if end == 0 {
			end = in.End
		}
		// A session the master hung up ends for the replica when the
		// close reaches it, before its next session begins.
		logEnd := end
		if s.ClosedBy == "master" && s.Until != 0 {
			logEnd = in.End
			if i+1 < len(in.Sessions) {
				logEnd = in.Sessions[i+1].From
			}
		}
		// The request: PSYNC of the cached master, else "? -1".
		if s.Request != "" && known {
			want := "PSYNC ? -1"
			if haveCache {
				want = "PSYNC " + cachedID + " " + strconv.FormatInt(cachedOff+1, 10)
			}
			if s.Request != want {
				bad(s, s.From, "the replica asked %q; Redis 7.0.15 asks %q (slaveTryPartialResynchronization: the cached master, if any)", s.Request, want)
			}
		}
		// An open session may not have come to its lines yet (the
		// silent transfer's timeout: judged below), unless the replica
		// already answered a GETACK on its stream. Nor may the last
		// session the master hung up just before the run ended, if the
		// replica logged nothing since: the close may not have reached it
		// (seed 5400849: a replica that reconnects at once after a failed
		// transfer began a session 7 ms before the end).
		unseen := s.ClosedBy == "master" && i == len(in.Sessions)-1 && !loggedSince(in.Logs, s.Replica, s.Until)
		for _, line := range expectedLines(s) {
			if s.Until == 0 && len(s.Checks) == 0 || unseen {
				break
			}
			if !loggedBetween(in.Logs, s.Replica, line, s.From, logEnd) {
				bad(s, end, "faults %v: the replica did not log %q", s.Faults, line)
			}
		}
		// No snapshot a master sends has an AOF tail: Redis 7.0 writes no
		// aof-preamble field, 6.2 writes aof-preamble 0, and rdbLoad says
		// "RDB has an AOF tail" only for a nonzero one.
		if loggedBetween(in.Logs, s.Replica, logAOFTail, s.From, end) {
			bad(s, end, "faults %v: the replica logged %q loading a snapshot whose aof-preamble is absent or 0", s.Faults, logAOFTail)
		}
		// A session the master served well keeps its link until the
		// master ends it.
		if s.ClosedBy == "replica" && !failing(s) {
			bad(s, s.Until, "faults %v: the replica closed a link the master served correctly", s.Faults)
		}
		if failing(s) && s.ClosedBy == "master" && !hasFault(s, FMHangUpAtPsync) {
			bad(s, s.Until, "faults %v: the replica did not drop the link", s.Faults)
		}
		if s.InlineWant != nil && s.InlineGot != nil {
			if d := diffData(s.InlineWant, s.InlineGot); d != "" {
				bad(s, end, "the replica's data after its master's inline SET differs from the master's data before it (Redis refuses inline commands from a master): %s", d)
			}
		}
		for _, c := range s.Checks {
			if c.Got != c.Want {
				bad(s, c.At, "REPLCONF ACK %d to a GETACK; the master sent the replica %d bytes of history, so Redis acks %d", c.Got, c.Want, c.Want)
			}
			if d := diffData(c.WantData, c.GotData); d != "" {
				bad(s, c.At, "the replica's data after the stream differs from the master's: %s", d)
			}
		}
		// A master whose stream's offset the replica does not know (SYNC,
		// or a +FULLRESYNC it could not read) is CLIENT_PRE_PSYNC: Redis's
		// cron sends it no ACKs (replicationCron); only a GETACK's answer
		// and, after a diskless transfer, the first ACK (-1) go out.
		if s.Streamed && s.Start < 0 {
			acks := s.Acks
			if strings.HasPrefix(s.BulkHeader, "$EOF:") && len(acks) > 0 && acks[0] == "-1" {
				acks = acks[1:]
			}
			if len(acks) > 0 {
				bad(s, s.From, "the replica sent REPLCONF ACK %s unasked to a master without PSYNC offsets (Redis's CLIENT_PRE_PSYNC: no periodic ACKs)", acks[0])
			}
		}
		if s.Waiting != nil && s.ClosedBy == "master" {
			bad(s, s.Until, "no REPLCONF ACK %d to the GETACK sent at %s", s.Waiting.Want, seconds(s.Waiting.At))
		}
		// A failed attempt is retried: the replica comes back (the cron
		// reconnects within a second of the failure, or repl-timeout
		// for a silent master).
		if failing(s) && i == len(in.Sessions)-1 && s.Until != 0 && in.End-s.Until > in.ReplTimeoutMs*1e6+3e9 {
			bad(s, s.Until, "faults %v: the replica never reconnected (run ended %s later)", s.Faults, seconds(in.End-s.Until))
		}
		if s.Until == 0 && hasFault(s, FMCut) && in.End-s.From > in.ReplTimeoutMs*1e6+3e9 {
			bad(s, in.End, "a transfer silent since %s was never timed out (repl-timeout %d ms)", seconds(s.From), in.ReplTimeoutMs)
		}
		// What the replica caches when the link goes.
		switch {
		case s.InlineAt >= 0 && s.Streamed:
			// A protocol error frees the master uncached (networking.c
			// freeClient: CLIENT_PROTOCOL_ERROR).
			haveCache, known = false, true
		case s.Streamed && s.Start >= 0:
			haveCache, known = true, true
			cachedID, cachedOff = s.ReplID, s.Start+s.Sent
		case s.Streamed:
			known = false // the replica's replid after SYNC is its own business
		}
	}
	return out
}

// failing says the master served the session something that must make the
// replica drop the link.
func failing(s *FakeMasterSession) bool {
	for _, f := range s.Faults {
		switch f {
		case FMBlankPong, FMTryLater, FMHangUpAtPsync, FMBadLen, FMAbortErr, FMBadBulk, FMCut, FMInline, FMBadHeader:
			return true
		}
	}
	return false
}

func hasFault(s *FakeMasterSession, f string) bool {
	for _, x := range s.Faults {
		if x == f {
			return true
		}
	}
	return false
}

// expectedLines are the lines Redis 7.0.15's replica logs for what the
// session served (src/replication.c, src/networking.c).
func expectedLines(s *FakeMasterSession) []string {
	var out []string
	if f := strings.Fields(s.Request); len(f) == 3 && f[1] == "?" {
		out = append(out, "Partial resynchronization not possible (no cached master)")
	} else if len(f) == 3 {
		out = append(out, "Trying a partial resynchronization (request "+f[1]+":"+f[2]+").")
	}
	if strings.HasPrefix(s.Reply, "+FULLRESYNC ") && s.Start >= 0 {
		out = append(out, "Full resync from master: "+s.ReplID+":"+strconv.FormatInt(s.Start, 10))
	}
	if strings.HasPrefix(s.BulkHeader, "$") && (!strings.HasPrefix(s.BulkHeader, "$EOF:") || len(s.BulkHeader) < 5+40) {
		// readSyncBulkPayload reads the length with strtol.
		out = append(out, "MASTER <-> REPLICA sync: receiving "+strconv.FormatInt(cStrtol(s.BulkHeader[1:]), 10)+" bytes from master to disk")
	}
	for _, f := range s.Faults {
		switch f {
		case FMBlankPong:
			// syncWithMaster reads the blank line as the reply to PING,
			// and anything but "+..." is an error there (redis-server
			// 7.0.15 behind a scripted master logs it).
			out = append(out, "Error reply to PING from master: ''")
		case FMReplconfErr:
			out = append(out, "(Non critical) Master does not understand REPLCONF listening-port: -ERR Unrecognized REPLCONF option: listening-port",
				"(Non critical) Master does not understand REPLCONF capa: -ERR Unrecognized REPLCONF option: capa")
		case FMBadFullResync:
			out = append(out, "Master replied with wrong +FULLRESYNC syntax.")
		case FMPsyncErr:
			out = append(out, "Master does not support PSYNC or is in error state (reply: "+s.Reply+")", "Retrying with SYNC...")
		case FMTryLater:
			out = append(out, "Master is currently unable to PSYNC but should be in the future: "+s.Reply)
		case FMHangUpAtPsync:
			out = append(out, "Failed to read response from the server: Success", "Master did not reply to PSYNC, will try later")
		case FMBadBulk:
			out = append(out, "Bad protocol from MASTER, the first byte is not '$' (we received '"+s.BulkHeader+"'), are you sure the host and port are right?")
		case FMAbortErr:
			out = append(out, "MASTER aborted replication with an error: "+strings.TrimPrefix(s.BulkHeader, "-"))
		case FMBadLen:
			// Such a transfer reads nothing until a byte comes:
			// repl-timeout ends it.
			if !hasFault(s, FMBytesAfterBadLen) {
				out = append(out, "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.")
			}
		case FMBytesAfterBadLen:
			// Redis reads min(left, 16 KiB) bytes: read() of 0 returns 0,
			// which connSocketRead takes for a close; a negative count is
			// a size_t Linux refuses with EFAULT (readSyncBulkPayload; a
			// real redis-server behind a scripted master says so). But
			// -1 is repl_transfer_size before a header: the PING's first
			// line is read as the header.
			switch n := cStrtol(strings.TrimPrefix(s.BulkHeader, "$")); {
			case n == -1:
				out = append(out, "Bad protocol from MASTER, the first byte is not '$' (we received '*1'), are you sure the host and port are right?")
			case n < 0:
				out = append(out, "I/O error trying to sync with MASTER: Bad address")
			default:
				out = append(out, "I/O error trying to sync with MASTER: connection lost")
			}
		case FMCut:
			out = append(out, "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.")
		case FMInline:
			out = append(out, "WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master.",
				// setProtocolError logs a master's at warning level, with
				// its CLIENT LIST line and the input from the inline text on.
				"Protocol error (Master using the inline protocol. Desync?) from client: id=")
		case FMBadHeader:
			// The error reply a master never gets is logged
			// (afterErrorReply), then the protocol error.
			out = append(out, "== CRITICAL == This replica is sending an error to its master: 'Protocol error: invalid bulk length' after processing the command '",
				"Protocol error (invalid bulk length) from client: id=")
		case FMEOF:
			out = append(out, "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
		case FMContinue:
			out = append(out, "Successful partial resynchronization with master.")
		case FMContinueNewID:
			out = append(out, "Master replication ID changed to "+s.ReplID)
		}
	}
	if s.Full && !failing(s) && (len(s.Checks) > 0 || s.Sent > 0) {
		ver := "7.0.15"
		if hasFault(s, FMRedis62) {
			ver = "6.2.14"
		}
		out = append(out, "MASTER <-> REPLICA sync: Flushing old data", "Loading RDB produced by version "+ver,
			"MASTER <-> REPLICA sync: Finished with success")
	}
	return out
}

// logAOFTail is rdbLoad's line for an RDB whose aof-preamble field is
// nonzero.
const logAOFTail = "RDB has an AOF tail"

// loggedSince says whether node logged any line at or after at.
func loggedSince(logs []LogLine, node string, at int64) bool {
	for _, l := range logs {
		if l.Node == node && l.At >= at {
			return true
		}
	}
	return false
}

func loggedBetween(logs []LogLine, node, line string, from, until int64) bool {
	for _, l := range logs {
		if l.Node == node && l.At >= from && l.At <= until && strings.Contains(l.Msg, line) {
			return true
		}
	}
	return false
}

// diffData names the first difference in key order, so a run's report
// reads the same every time.
func diffData(want, got map[string]string) string {
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		if !ok {
			return fmt.Sprintf("key %q missing (want %q)", k, want[k])
		}
		if g != want[k] {
			return fmt.Sprintf("key %q is %q, want %q", k, g, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			return fmt.Sprintf("key %q = %q is not the master's", k, got[k])
		}
	}
	return ""
}

// cStrtol is C's strtol in base 10: leading spaces, a sign, the digits
// that follow; 0 when there are none (no overflow: the headers are short).
func cStrtol(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	var v int64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
	}
	if neg {
		return -v
	}
	return v
}
