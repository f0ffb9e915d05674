package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func replClientInput(sessions ...ReplClientSession) PrefixInput {
	r1 := strings.Repeat("a", 40)
	stream := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n2\r\n"
	return PrefixInput{
		Chunks: []StreamChunk{
			{Seq: 1, At: 10, Node: "n1", ReplID: r1, Start: 0, Data: []byte(stream[:23])},
			{Seq: 2, At: 20, Node: "n1", ReplID: r1, Start: 23, Data: []byte(stream[23:])},
		},
		ReplClients: sessions,
	}
}

func replClientViolations(t *testing.T, s ReplClientSession) []Violation {
	t.Helper()
	var out []Violation
	for _, v := range CheckPrefix(replClientInput(s)).Violations {
		if v.Check == PropReplClient {
			out = append(out, v)
		}
	}
	return out
}

func TestReplClientStreamMatchesTheMasters(t *testing.T) {
	r1 := strings.Repeat("a", 40)
	rdb := []byte("REDIS0010")
	ok := []ReplClientSession{
		{Node: "n1", Request: "PSYNC ? -1", Capa: "capa eof capa psync2", Reply: "+FULLRESYNC " + r1 + " 23", ReplySeq: 3,
			ReplID: r1, Start: 23, SnapshotDone: true, PayloadHead: rdb, PayloadBytes: 100, Data: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n")},
		{Node: "n1", Request: "PSYNC " + r1 + " 24", Capa: "capa psync2", Reply: "+CONTINUE " + r1, ReplySeq: 3,
			ReplID: r1, Start: 23, Data: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n*3\r\n$3\r\nSET")},
		{Node: "n1", Request: "SYNC", SnapshotDone: true, PayloadHead: rdb, PayloadBytes: 100, Data: []byte("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET")},
		{Node: "n1", Request: "PSYNC " + strings.Repeat("b", 40) + " 5", Reply: "-NOMASTERLINK Can't SYNC while not connected with my master"},
		{Node: "n1", Request: "PSYNC ? -1", Reply: "-ERR SYNC and PSYNC are invalid with pending output"},
		// Seed 4113288: a second SYNC refused with MASTERDOWN by a replica
		// whose own master link is down, the refusal in the stream.
		{Node: "n1", Request: "SYNC", SnapshotDone: true, PayloadHead: rdb, PayloadBytes: 100, SecondAt: 5, SecondAtByte: 14,
			Data: []byte("*1\r\n$4\r\nPING\r\n-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n*1\r\n$4\r\nPING\r\n")},
	}
	for _, s := range ok {
		assert.Empty(t, replClientViolations(t, s), s.Request)
	}
	res := CheckPrefix(replClientInput(ok...))
	assert.EqualValues(t, len(ok[0].Data)+len(ok[1].Data), res.ReplClientBytes, "both PSYNC streams compared in full")
}

// A history no write went into is in no stream, but the node that gave
// its ID in a +FULLRESYNC had it: continuing it is no violation (seed 534
// of the errors family alone, which writes nothing).
func TestReplClientContinuesAnEmptyHistory(t *testing.T) {
	r2 := strings.Repeat("b", 40)
	full := ReplClientSession{Node: "n1", Request: "PSYNC ? -1", Capa: "capa eof capa psync2", Reply: "+FULLRESYNC " + r2 + " 0",
		ReplySeq: 3, ReplID: r2, SnapshotDone: true, PayloadHead: []byte("REDIS0010"), PayloadBytes: 100}
	cont := ReplClientSession{Node: "n1", Request: "PSYNC " + r2 + " 1", Capa: "capa eof capa psync2", Reply: "+CONTINUE " + r2,
		ReplySeq: 4, ReplID: r2, Start: 0}
	var v []Violation
	for _, x := range CheckPrefix(replClientInput(full, cont)).Violations {
		if x.Check == PropReplClient {
			v = append(v, x)
		}
	}
	assert.Empty(t, v)
	assert.Len(t, replClientViolations(t, cont), 1, "with no +FULLRESYNC naming it, nobody had it")
}

// Each corruption of what a replication client read is a violation.
func TestReplClientViolations(t *testing.T) {
	r1 := strings.Repeat("a", 40)
	rdb := []byte("REDIS0010")
	for name, s := range map[string]ReplClientSession{
		"a reply in the stream (a second PSYNC answered)": {Node: "n1", Request: "PSYNC ? -1", Capa: "capa eof capa psync2",
			Reply: "+FULLRESYNC " + r1 + " 23", ReplySeq: 3, ReplID: r1, Start: 23, SnapshotDone: true, PayloadHead: rdb,
			Data: []byte("*3\r\n$3\r\nSET\r\n+FULLRESYNC " + r1 + " 60\r\n"), SecondAt: 30, SecondAtByte: 13},
		"a stream from the wrong offset": {Node: "n1", Request: "PSYNC " + r1 + " 1", Capa: "capa psync2", Reply: "+CONTINUE " + r1,
			ReplySeq: 3, ReplID: r1, Start: 0, Data: []byte("*3\r\n$3\r\nSET\r\n")},
		"a history nobody had continued": {Node: "n1", Request: "PSYNC " + strings.Repeat("c", 40) + " 24", Capa: "capa psync2",
			Reply: "+CONTINUE " + r1, ReplySeq: 3, ReplID: r1, Start: 23},
		"+CONTINUE without the ID to a psync2 client": {Node: "n1", Request: "PSYNC " + r1 + " 24", Capa: "capa eof capa psync2",
			Reply: "+CONTINUE", ReplySeq: 3, ReplID: r1, Start: 23},
		"a malformed +FULLRESYNC": {Node: "n1", Request: "PSYNC ? -1", Reply: "+FULLRESYNC " + r1},
		"no RDB":                  {Node: "n1", Request: "SYNC", SnapshotDone: true, PayloadHead: []byte("*1\r\n$4\r\nP"), PayloadBytes: 40},
		// Mutant repl_master.go:200:2 (a SYNC replica taken for a PSYNC one).
		"+FULLRESYNC to SYNC":    {Node: "n1", Request: "SYNC", Payload: "+FULLRESYNC " + r1 + " 23"},
		"no commands after SYNC": {Node: "n1", Request: "SYNC", SnapshotDone: true, PayloadHead: rdb, PayloadBytes: 40, Data: []byte("+OK\r\n")},
		// A pipelined PSYNC refused for the handshake's pending replies,
		// then served all the same.
		"a sync after its refusal": {Node: "n1", Request: "PSYNC ? -1", Reply: "-ERR SYNC and PSYNC are invalid with pending output",
			AfterRefusal: "+FULLRESYNC " + r1 + " 23\r\n"},
	} {
		v := replClientViolations(t, s)
		require.Len(t, v, 1, name)
		t.Logf("%s: %s", name, v[0].Detail)
	}
}
