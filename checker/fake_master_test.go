package checker

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fmID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// goodFakeMaster is a history Redis 7.0.15 would produce: a -NOMASTERLINK,
// a full sync with a GETACK, the master hanging up, a +CONTINUE, a transfer
// cut short and timed out, then a SYNC after an error to PSYNC, still open.
func goodFakeMaster() FakeMasterInput {
	s := 1_000_000_000
	data := map[string]string{"0:fm:1": "v1"}
	sessions := []FakeMasterSession{
		{Replica: "x1", From: int64(1 * s), Until: int64(1*s + 1e6), ClosedBy: "replica",
			Faults: []string{FMBlankPong}, Start: -1, InlineAt: -1},
		{Replica: "x1", From: int64(1*s + 2e6), Until: int64(1*s + 5e6), ClosedBy: "replica", Request: "PSYNC ? -1",
			Faults: []string{FMTryLater}, Reply: "-NOMASTERLINK Can't SYNC while not connected with my master", Start: -1, InlineAt: -1},
		{Replica: "x1", From: int64(2 * s), Until: int64(3 * s), ClosedBy: "master", Request: "PSYNC ? -1",
			Faults: []string{FMEOF, FMBlankStream}, Reply: "+FULLRESYNC " + fmID + " 100", BulkHeader: "$EOF:" + strings.Repeat("m", 40),
			Full: true, Streamed: true, ReplID: fmID, Start: 100, Sent: 50, InlineAt: -1,
			Checks: []FakeMasterCheck{{At: int64(2*s + 1e8), Want: 136, Got: 136, WantData: data, GotData: data}}},
		{Replica: "x1", From: int64(3*s + 1e6), Until: int64(4 * s), ClosedBy: "master", Request: "PSYNC " + fmID + " 151",
			Faults: []string{FMContinue}, Reply: "+CONTINUE", Streamed: true, ReplID: fmID, Start: 150, Sent: 20, InlineAt: -1},
		{Replica: "x1", From: int64(4*s + 1e6), Until: int64(8 * s), ClosedBy: "replica", Request: "PSYNC " + fmID + " 171",
			Faults: []string{FMCut}, Reply: "+FULLRESYNC " + strings.Repeat("b", 40) + " 5", BulkHeader: "$300", Start: 5, ReplID: strings.Repeat("b", 40), InlineAt: -1},
		{Replica: "x1", From: int64(9 * s), Request: "PSYNC " + fmID + " 171",
			Faults: []string{FMPsyncErr}, Reply: "-ERR unknown command 'PSYNC'", SyncSent: true, Full: true, Streamed: true, Start: -1, Sent: 14, InlineAt: -1,
			Checks: []FakeMasterCheck{{At: int64(9*s + 1e8), Want: 13, Got: 13, WantData: data, GotData: data}}},
	}
	logs := []LogLine{
		{Node: "x1", At: int64(1*s + 1e6), Msg: "Error reply to PING from master: ''"},
		{Node: "x1", At: int64(1*s + 3e6), Msg: "Master replied to PING, replication can continue..."},
		{Node: "x1", At: int64(1*s + 2e6), Msg: "Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master"},
		{Node: "x1", At: int64(2*s + 5e5), Msg: "Full resync from master: " + fmID + ":100"},
		{Node: "x1", At: int64(2*s + 1e6), Msg: "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"},
		{Node: "x1", At: int64(2*s + 2e6), Msg: "MASTER <-> REPLICA sync: Finished with success"},
		{Node: "x1", At: int64(3*s + 2e6), Msg: "Successful partial resynchronization with master."},
		{Node: "x1", At: int64(4*s + 2e6), Msg: "Full resync from master: " + strings.Repeat("b", 40) + ":5"},
		{Node: "x1", At: int64(4*s + 3e6), Msg: "MASTER <-> REPLICA sync: receiving 300 bytes from master to disk"},
		{Node: "x1", At: int64(7 * s), Msg: "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."},
		{Node: "x1", At: int64(9*s + 1e6), Msg: "Master does not support PSYNC or is in error state (reply: -ERR unknown command 'PSYNC')"},
		{Node: "x1", At: int64(9*s + 1e6), Msg: "Retrying with SYNC..."},
		{Node: "x1", At: int64(9*s + 2e6), Msg: "MASTER <-> REPLICA sync: Finished with success"},
	}
	// What every session logs besides: its request, and a full sync's load.
	for _, x := range sessions {
		at := x.From + 1
		if x.Request == "" {
			continue // no further than PING
		}
		if f := strings.Fields(x.Request); f[1] == "?" {
			logs = append(logs, LogLine{Node: "x1", At: at, Msg: "Partial resynchronization not possible (no cached master)"})
		} else {
			logs = append(logs, LogLine{Node: "x1", At: at, Msg: "Trying a partial resynchronization (request " + f[1] + ":" + f[2] + ")."})
		}
		if x.Full {
			logs = append(logs, LogLine{Node: "x1", At: at + 1, Msg: "MASTER <-> REPLICA sync: Flushing old data"},
				LogLine{Node: "x1", At: at + 2, Msg: "Loading RDB produced by version 7.0.15"})
		}
	}
	return FakeMasterInput{Sessions: sessions, Logs: logs, ReplTimeoutMs: 2000, End: int64(20 * s)}
}

func TestFakeMasterGoodHistoryPasses(t *testing.T) {
	assert.Empty(t, CheckFakeMaster(goodFakeMaster()))
	// Periodic ACKs to a PSYNC master, and a diskless SYNC's first ACK.
	in := goodFakeMaster()
	in.Sessions[2].Acks = []string{"100", "120"}
	in.Sessions[5].BulkHeader, in.Sessions[5].Acks = "$EOF:"+strings.Repeat("m", 40), []string{"-1"}
	in.Logs = append(in.Logs, LogLine{Node: "x1", At: int64(9e9 + 1e6), Msg: "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"})
	assert.Empty(t, CheckFakeMaster(in))
	assert.Empty(t, CheckFakeMaster(FakeMasterInput{}))
}

// Each corruption breaks one rule; the check must say so.
func TestFakeMasterRulesBite(t *testing.T) {
	cases := []struct {
		name    string
		corrupt func(in *FakeMasterInput)
		want    string
	}{
		{"a fresh PSYNC with a cached master", func(in *FakeMasterInput) { in.Sessions[3].Request = "PSYNC ? -1" },
			`Redis 7.0.15 asks "PSYNC ` + fmID + ` 151"`},
		{"a resume at the wrong offset", func(in *FakeMasterInput) { in.Sessions[4].Request = "PSYNC " + fmID + " 151" },
			`asks "PSYNC ` + fmID + ` 171"`},
		{"a cached master kept after inline text", func(in *FakeMasterInput) {
			in.Sessions[3].Faults = append(in.Sessions[3].Faults, FMInline)
			in.Sessions[3].InlineAt, in.Sessions[3].ClosedBy = 20, "replica"
			in.Logs = append(in.Logs, LogLine{Node: "x1", At: int64(3.5e9), Msg: "WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master."})
		}, `Redis 7.0.15 asks "PSYNC ? -1"`},
		{"no protocol error line after inline text", func(in *FakeMasterInput) {
			in.Sessions[3].Faults = append(in.Sessions[3].Faults, FMInline)
			in.Sessions[3].InlineAt, in.Sessions[3].ClosedBy, in.Sessions[3].Streamed = 20, "replica", true
			in.Logs = append(in.Logs, LogLine{Node: "x1", At: int64(3.5e9), Msg: "WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master."})
		}, "Protocol error (Master using the inline protocol. Desync?) from client: id="},
		{"no SYNC fallback line", func(in *FakeMasterInput) { dropLog(in, "Master does not support") }, "Master does not support PSYNC"},
		// Mutant rdb_log.go:29:24: the line for an aof-preamble of 0.
		{"an AOF tail in a 6.2 snapshot", func(in *FakeMasterInput) {
			in.Sessions[2].Faults = append(in.Sessions[2].Faults, FMRedis62)
			in.Logs = append(in.Logs, LogLine{Node: "x1", At: int64(2e9 + 4), Msg: "RDB has an AOF tail"})
			for i := range in.Logs {
				if in.Logs[i].At == in.Sessions[2].From+3 {
					in.Logs[i].Msg = "Loading RDB produced by version 6.2.14"
				}
			}
		}, `logged "RDB has an AOF tail"`},
		{"a 6.2 snapshot loaded as 7.0's", func(in *FakeMasterInput) {
			in.Sessions[2].Faults = append(in.Sessions[2].Faults, FMRedis62)
		}, `did not log "Loading RDB produced by version 6.2.14"`},
		{"no try-later line", func(in *FakeMasterInput) { dropLog(in, "Master is currently") }, "Master is currently unable to PSYNC"},
		{"no timeout line", func(in *FakeMasterInput) { dropLog(in, "Timeout receiving") }, "Timeout receiving bulk data"},
		{"no line for the blank before +PONG", func(in *FakeMasterInput) { dropLog(in, "Error reply to PING") }, "Error reply to PING from master: ''"},
		{"no success after a full sync", func(in *FakeMasterInput) { dropLog(in, "MASTER <-> REPLICA sync: Finished") }, "Finished with success"},
		{"no line for the full resync", func(in *FakeMasterInput) { dropLog(in, "Full resync from master: "+fmID) },
			"Full resync from master: " + fmID + ":100"},
		{"no line for the sized transfer", func(in *FakeMasterInput) { in.Sessions[5].BulkHeader = "$120" },
			"MASTER <-> REPLICA sync: receiving 120 bytes from master to disk"},
		{"no line for the resume request", func(in *FakeMasterInput) { dropLog(in, "Trying a partial") }, "Trying a partial resynchronization (request "},
		{"no line for the fresh request", func(in *FakeMasterInput) { dropLog(in, "Partial resynchronization not possible") }, "no cached master"},
		{"no flush line", func(in *FakeMasterInput) { dropLog(in, "MASTER <-> REPLICA sync: Flushing") }, "Flushing old data"},
		{"no RDB version line", func(in *FakeMasterInput) { dropLog(in, "Loading RDB produced") }, "Loading RDB produced by version 7.0.15"},
		{"no line for a bulk that is not one", func(in *FakeMasterInput) {
			in.Sessions[4].Faults, in.Sessions[4].BulkHeader = []string{FMBadBulk}, "+OK"
		}, "Bad protocol from MASTER, the first byte is not '$' (we received '+OK'), are you sure the host and port are right?"},
		{"a periodic ACK to a master without PSYNC", func(in *FakeMasterInput) { in.Sessions[5].Acks = []string{"5"} },
			"REPLCONF ACK 5 unasked"},
		{"a periodic ACK after a diskless SYNC's first", func(in *FakeMasterInput) {
			in.Sessions[5].BulkHeader, in.Sessions[5].Acks = "$EOF:"+strings.Repeat("m", 40), []string{"-1", "3"}
		}, "REPLCONF ACK 3 unasked"},
		{"a line from another session", func(in *FakeMasterInput) {
			for i := range in.Logs {
				if strings.HasPrefix(in.Logs[i].Msg, "Successful partial") {
					in.Logs[i].At = int64(5e9)
				}
			}
		}, "Successful partial resynchronization"},
		{"a good link dropped by the replica", func(in *FakeMasterInput) { in.Sessions[2].ClosedBy = "replica" }, "closed a link the master served correctly"},
		{"a bad transfer kept", func(in *FakeMasterInput) {
			in.Sessions[4].ClosedBy = "master"
		}, "did not drop the link"},
		{"a wrong ACK", func(in *FakeMasterInput) { in.Sessions[2].Checks[0].Got = 135 }, "REPLCONF ACK 135"},
		{"a wrong ACK after SYNC", func(in *FakeMasterInput) { in.Sessions[5].Checks[0].Got = 14 }, "REPLCONF ACK 14"},
		{"a lost key", func(in *FakeMasterInput) { in.Sessions[2].Checks[0].GotData = map[string]string{} }, `key "0:fm:1" missing`},
		{"an inline SET from the master applied", func(in *FakeMasterInput) {
			in.Sessions[2].InlineWant = map[string]string{"0:fm:1": "v1"}
			in.Sessions[2].InlineGot = map[string]string{"0:fm:1": "v1", "0:fm:0": "inline"}
		}, `after its master's inline SET differs from the master's data before it (Redis refuses inline commands from a master): key "0:fm:0" = "inline" is not the master's`},
		{"a wrong value", func(in *FakeMasterInput) {
			in.Sessions[2].Checks[0].GotData = map[string]string{"0:fm:1": "v0"}
		}, `key "0:fm:1" is "v0"`},
		{"a key the master never had", func(in *FakeMasterInput) {
			in.Sessions[2].Checks[0].GotData = map[string]string{"0:fm:1": "v1", "0:x": "y"}
		}, `key "0:x" = "y" is not the master's`},
		{"an unanswered GETACK", func(in *FakeMasterInput) {
			in.Sessions[3].Waiting = &FakeMasterCheck{At: int64(3.5e9), Want: 170}
		}, "no REPLCONF ACK 170"},
		{"no reconnection after a failure", func(in *FakeMasterInput) { in.Sessions = in.Sessions[:5] }, "never reconnected"},
		{"a silent transfer never timed out", func(in *FakeMasterInput) {
			in.Sessions = in.Sessions[:5]
			in.Sessions[4].Until, in.Sessions[4].ClosedBy = 0, ""
		}, "was never timed out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodFakeMaster()
			c.corrupt(&in)
			v := CheckFakeMaster(in)
			require.NotEmpty(t, v)
			var all []string
			for _, x := range v {
				assert.Equal(t, PropFakeMaster, x.Check)
				all = append(all, x.Detail)
			}
			assert.Contains(t, strings.Join(all, "\n"), c.want)
		})
	}
}

// The lines each misbehaviour makes Redis 7.0.15's replica log.
func TestFakeMasterExpectedLines(t *testing.T) {
	s := FakeMasterSession{Faults: []string{FMBadFullResync, FMAbortErr, FMInline, FMContinueNewID}, BulkHeader: "-ERR oops", ReplID: fmID}
	assert.Equal(t, []string{"Master replied with wrong +FULLRESYNC syntax.", "MASTER aborted replication with an error: ERR oops",
		"WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master.",
		"Protocol error (Master using the inline protocol. Desync?) from client: id=",
		"Master replication ID changed to " + fmID}, expectedLines(&s))
	s = FakeMasterSession{Faults: []string{FMReplconfErr}}
	assert.Equal(t, []string{"(Non critical) Master does not understand REPLCONF listening-port: -ERR Unrecognized REPLCONF option: listening-port",
		"(Non critical) Master does not understand REPLCONF capa: -ERR Unrecognized REPLCONF option: capa"}, expectedLines(&s))
}

// A bulk length of 0 or less reads nothing: with the master silent after
// it, repl-timeout ends the transfer; a byte after it is an I/O error at
// once ("connection lost" for 0, read() refusing a negative size_t with
// EFAULT for less), or for -1 the start of another header, as
// redis-server 7.0.15 logs behind a scripted master.
func TestFakeMasterBadLengthLines(t *testing.T) {
	timeout := "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."
	silent := FakeMasterSession{Faults: []string{FMBadLen}, BulkHeader: "$0"}
	assert.Equal(t, []string{"MASTER <-> REPLICA sync: receiving 0 bytes from master to disk", timeout}, expectedLines(&silent))
	for header, want := range map[string]string{"$0": "I/O error trying to sync with MASTER: connection lost",
		"$abc": "I/O error trying to sync with MASTER: connection lost", "$EOF:0123456789abcdef": "I/O error trying to sync with MASTER: connection lost",
		"$-5": "I/O error trying to sync with MASTER: Bad address",
		// -1 is repl_transfer_size before a header: the PING's first
		// line is read as one.
		"$-1": "Bad protocol from MASTER, the first byte is not '$' (we received '*1'), are you sure the host and port are right?"} {
		more := FakeMasterSession{Faults: []string{FMBadLen, FMBytesAfterBadLen}, BulkHeader: header}
		lines := expectedLines(&more)
		assert.Contains(t, lines, want, header)
		assert.NotContains(t, lines, timeout, header)
	}
}

// dropLog removes the log lines that start with prefix.
func dropLog(in *FakeMasterInput, prefix string) {
	var keep []LogLine
	for _, l := range in.Logs {
		if !strings.HasPrefix(l.Msg, prefix) {
			keep = append(keep, l)
		}
	}
	in.Logs = keep
}

// A master that hangs up at PSYNC: the replica logs the failed read and
// "will try later" when the close reaches it, after the session ended on
// the master's side and before its next one; it keeps its cached master.
func TestFakeMasterHangUpAtPsync(t *testing.T) {
	in := goodFakeMaster()
	s := 1_000_000_000
	hung := FakeMasterSession{Replica: "x1", From: int64(3*s + 1e6), Until: int64(3*s + 3e6), ClosedBy: "master", Request: "PSYNC " + fmID + " 151",
		Faults: []string{FMHangUpAtPsync}, Start: -1, InlineAt: -1}
	in.Sessions[3].From, in.Sessions[3].Until = int64(3*s+5e6), int64(4*s)
	for i, l := range in.Logs { // the +CONTINUE session's lines come later too
		if l.At > int64(3*s) && l.At < int64(3*s+5e6) {
			in.Logs[i].At += 5e6
		}
	}
	in.Sessions = append(in.Sessions[:3], append([]FakeMasterSession{hung}, in.Sessions[3:]...)...)
	in.Logs = append(in.Logs,
		LogLine{Node: "x1", At: int64(3*s + 2e6), Msg: "Trying a partial resynchronization (request " + fmID + ":151)."},
		LogLine{Node: "x1", At: int64(3*s + 4e6), Msg: "Failed to read response from the server: Success"},
		LogLine{Node: "x1", At: int64(3*s + 4e6), Msg: "Master did not reply to PSYNC, will try later"})
	sort.SliceStable(in.Logs, func(i, j int) bool { return in.Logs[i].At < in.Logs[j].At })
	assert.Empty(t, CheckFakeMaster(in))
	cut := in
	cut.Logs = nil
	for _, l := range in.Logs {
		if l.Msg != "Master did not reply to PSYNC, will try later" {
			cut.Logs = append(cut.Logs, l)
		}
	}
	assert.Contains(t, fmt.Sprint(CheckFakeMaster(cut)), `the replica did not log "Master did not reply to PSYNC, will try later"`)

	// The last session, hung up just before the run ended: a replica that
	// logged nothing since may not have seen the close (seed 5400849); one
	// that logged something did, and owes the lines.
	last := goodFakeMaster()
	last.Sessions = append(last.Sessions, FakeMasterSession{Replica: "x1", From: last.End - 5e6, Until: last.End - 1e6,
		ClosedBy: "master", Request: "PSYNC " + fmID + " 151", Faults: []string{FMHangUpAtPsync}, Start: -1, InlineAt: -1})
	assert.NotContains(t, fmt.Sprint(CheckFakeMaster(last)), "did not log")
	last.Logs = append(last.Logs, LogLine{Node: "x1", At: last.End, Msg: "Connecting to MASTER f1:6390"})
	assert.Contains(t, fmt.Sprint(CheckFakeMaster(last)), `the replica did not log "Master did not reply to PSYNC, will try later"`)
}
