package checker

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// A replication client (cluster/replclient.go) speaks the replication
// protocol by hand to one node per session: REPLCONF, then PSYNC or SYNC,
// then it reads the snapshot and the stream. What it reads is judged
// against the masters' streams as the checkers recorded them:
//
//   - +FULLRESYNC names a replication ID (40 hex digits) and an offset,
//     and the stream after the snapshot is that history's bytes from that
//     offset on;
//   - +CONTINUE continues a history the node has had (never an ID nobody
//     had), names the ID when the client announced capa psync2, and the
//     stream is that history's bytes from the offset asked for;
//   - a snapshot is an RDB ("REDIS" and its version);
//   - SYNC gets no +FULLRESYNC line, and after it, which gives no
//     offset, the stream is whole commands;
//   - a refused PSYNC (an error reply) is followed by nothing;
//   - a second PSYNC or SYNC on the attached link changes nothing (Redis
//     ignores a sync request from a replica): no reply comes into the
//     stream.
//
// A node whose offsets a SYNC numbered (LastSyncBySYNC) hands on an offset
// on no stream: its sessions' streams are not placed.

// ReplClientSession is one connection of a replication client.
type ReplClientSession struct {
	Client, Node string
	From, Until  int64
	// Request is the sync request ("PSYNC <id> <offset>" or "SYNC"); Capa
	// the capabilities it announced ("capa eof capa psync2").
	Request, Capa string
	// Handshake holds the errors AUTH and REPLCONF answered.
	Handshake []string
	// Reply is PSYNC's reply line, at ReplyAt (recorder sequence ReplySeq).
	Reply    string
	ReplyAt  int64
	ReplySeq int
	// ReplID and Start place the stream: Data follows position Start of
	// history ReplID.
	ReplID string
	Start  int64
	// Payload is the snapshot's header line ("$<len>" or "$EOF:<mark>"),
	// PayloadHead its first bytes and PayloadBytes its size.
	Payload      string
	PayloadHead  []byte
	PayloadBytes int64
	SnapshotDone bool
	// Data is the stream read after the snapshot or +CONTINUE.
	Data []byte
	// SecondAt is when a second sync request went out on the attached
	// link (0: none), SecondAtByte how much stream had come by then.
	SecondAt     int64
	SecondAtByte int64
	// AfterRefusal is what came in the same read right behind a refusal
	// of the PSYNC (Reply an error): the client hangs up at once.
	AfterRefusal string
}

// AddPayload counts snapshot bytes, keeping the first few.
func (s *ReplClientSession) AddPayload(p []byte) {
	if n := 9 - len(s.PayloadHead); n > 0 {
		s.PayloadHead = append(s.PayloadHead, p[:min(n, len(p))]...)
	}
	s.PayloadBytes += int64(len(p))
}

// PropReplClient names the replication-client property.
const PropReplClient = "replication-client"

var (
	fullResyncRE = regexp.MustCompile(`^\+FULLRESYNC [0-9a-f]{40} [0-9]+$`)
	continueRE   = regexp.MustCompile(`^\+CONTINUE( [0-9a-f]{40})?$`)
)

// checkReplClients judges the sessions against the streams ss holds;
// numbering says which nodes' offsets a SYNC numbered. It returns the
// violations and how many stream bytes it compared.
func checkReplClients(sessions []ReplClientSession, ss *streams, numbering *syncNumbering) ([]Violation, int64) {
	var out []Violation
	var compared int64
	// declared are the IDs a node gave in a +FULLRESYNC: it had that
	// history, even one no write ever went into (no stream holds it).
	declared := map[string]bool{}
	for i := range sessions {
		if f := strings.Fields(sessions[i].Reply); len(f) == 3 && f[0] == "+FULLRESYNC" {
			declared[f[1]] = true
		}
	}
	for i := range sessions {
		s := &sessions[i]
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: PropReplClient, At: s.ReplyAt, Nodes: []string{s.Node},
				Detail: fmt.Sprintf("%s's session with %s at %s (%s, %s): ", s.Client, s.Node, seconds(s.From), s.Request, s.Capa) +
					fmt.Sprintf(format, args...)})
		}
		if s.SnapshotDone && !bytes.HasPrefix(s.PayloadHead, []byte("REDIS")) && (s.PayloadBytes >= 5 || s.PayloadBytes == 0) {
			bad("the snapshot (%s, %d bytes) is no RDB: it starts %q", s.Payload, s.PayloadBytes, s.PayloadHead)
		}
		data := s.Data
		if s.SecondAt != 0 {
			data = withoutRefusal(data, s.SecondAtByte)
		}
		if s.Request == "SYNC" {
			if s.Payload != "" && !strings.HasPrefix(s.Payload, "$") && !strings.HasPrefix(s.Payload, "-") {
				bad("the first line after SYNC is %q: Redis sends a SYNC replica no +FULLRESYNC (CLIENT_PRE_PSYNC), only the snapshot's bulk header or a refusal", s.Payload)
			}
			if err := wholeCommands(data); err != "" {
				bad("the stream after SYNC is not commands: %s", err)
			}
			continue
		}
		req := strings.Fields(s.Request)
		switch {
		case s.Reply == "" || strings.HasPrefix(s.Reply, "-"):
			// No reply, or a refusal (NOAUTH, NOMASTERLINK, LOADING,
			// pending output, ...): syncCommand returns after it, so
			// nothing follows.
			if s.AfterRefusal != "" {
				bad("the node refused it (%s) and then sent %q: Redis's syncCommand returns after a refusal", s.Reply, around([]byte(s.AfterRefusal), 0))
			}
			continue
		case strings.HasPrefix(s.Reply, "+FULLRESYNC"):
			if !fullResyncRE.MatchString(s.Reply) {
				bad("reply %q is not +FULLRESYNC <replid> <offset>", s.Reply)
				continue
			}
		case strings.HasPrefix(s.Reply, "+CONTINUE"):
			if !continueRE.MatchString(s.Reply) {
				bad("reply %q is not +CONTINUE [<replid>]", s.Reply)
				continue
			}
			if strings.Contains(s.Capa, "psync2") && s.Reply == "+CONTINUE" {
				bad("+CONTINUE without the replication ID, to a client that announced capa psync2")
			}
			if ss.byID[req[1]] == nil && len(ss.descendants(req[1])) == 0 && !declared[req[1]] {
				bad("continued history %s, which no node ever had", short(req[1]))
				continue
			}
		default:
			bad("reply %q is no reply to PSYNC", s.Reply)
			continue
		}
		if numbering.at(s.Node, s.ReplySeq) {
			continue
		}
		// A bare +CONTINUE does not say which history the node went on
		// with: the one asked for, or one promoted from it (Redis
		// continues from its replid2 too). One of them must match.
		candidates := []string{s.ReplID}
		if s.Reply == "+CONTINUE" {
			candidates = append(candidates, ss.descendants(s.ReplID)...)
		}
		var want []byte
		var n int64
		j := -1
		for k, id := range candidates {
			m, ok := comparable(ss, id, s.Start, int64(len(data)))
			if !ok {
				continue
			}
			w, _ := ss.bytesAt(id, s.Start, m)
			d := firstDiff(w, data[:m])
			if k == 0 || n == 0 || d < 0 {
				want, n, j = w, m, d
			}
			if d < 0 {
				break
			}
		}
		if n == 0 {
			continue
		}
		compared += n
		if j >= 0 {
			second := ""
			if s.SecondAt != 0 {
				second = fmt.Sprintf("; it sent a second sync request at %s, after %d bytes", seconds(s.SecondAt), s.SecondAtByte)
			}
			bad("after %q the stream differs from history %s at offset %d (byte %d read): read %q, the master wrote %q%s",
				s.Reply, short(s.ReplID), s.Start+int64(j)+1, j, around(data, j), around(want, j), second)
		}
	}
	return out, compared
}

// comparable is how much of a stream read after position start of history
// replid the recorded streams hold (the whole read, or the part up to the
// end of what was recorded).
func comparable(ss *streams, replid string, start, n int64) (int64, bool) {
	if n == 0 {
		return 0, false
	}
	if _, ok := ss.bytesAt(replid, start, n); ok {
		return n, true
	}
	lo, hi := int64(0), n // bytesAt holds for lo, not for hi
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if _, ok := ss.bytesAt(replid, start, mid); ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, lo > 0
}

// descendants are the histories that continue replid, directly or
// through others, sorted by ID.
func (ss *streams) descendants(replid string) []string {
	var out []string
	seen := map[string]bool{replid: true}
	for frontier := []string{replid}; len(frontier) > 0; {
		var next []string
		for id, s := range ss.byID {
			if s.parent != "" && slices.Contains(frontier, s.parent) && !seen[id] {
				seen[id] = true
				next = append(next, id)
			}
		}
		sort.Strings(next)
		out = append(out, next...)
		frontier = next
	}
	return out
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// around is the bytes of p near index i, for a report.
func around(p []byte, i int) string {
	return string(p[max(i-16, 0):min(i+32, len(p))])
}

// withoutRefusal returns p without the one error line a second sync
// request may have drawn at or after byte from: SYNC and PSYNC lack the
// stale and loading flags, so a replica with a broken master link and
// replica-serve-stale-data no answers "-MASTERDOWN ...", and one loading
// answers "-LOADING ...", into the stream of the replica link they came
// on (Redis's processCommand refuses them before syncCommand ignores
// them; sweep seed 4113288).
func withoutRefusal(p []byte, from int64) []byte {
	from = min(from, int64(len(p)))
	for _, prefix := range []string{"-MASTERDOWN ", "-LOADING "} {
		i := bytes.Index(p[from:], []byte(prefix))
		if i < 0 {
			continue
		}
		i += int(from)
		end := bytes.Index(p[i:], []byte("\r\n"))
		if end < 0 {
			return p[:i]
		}
		return append(append([]byte(nil), p[:i]...), p[i+end+2:]...)
	}
	return p
}

// wholeCommands checks that p is RESP arrays of bulk strings (the last
// one may be cut short by the session's end).
func wholeCommands(p []byte) string {
	for len(p) > 0 {
		v, n, err := resp.ParseValue(p)
		if err != nil {
			return err.Error() + " at " + strconv.Quote(around(p, 0))
		}
		if n == 0 {
			return ""
		}
		if v.Kind != resp.Array {
			return fmt.Sprintf("a %q reply, not a command, at %q", string(rune(v.Kind)), around(p, 0))
		}
		p = p[n:]
	}
	return ""
}
