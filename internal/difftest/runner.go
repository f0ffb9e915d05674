package difftest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/replsim/replsim/node/resp"
)

// Runner sends each command to both targets and reports disagreements.
type Runner struct {
	T      testing.TB
	Ours   Target
	Theirs Target
	// Seed is printed with every mismatch (0 for scripted cases).
	Seed uint64
	// MaxMismatches stops the run after that many (default 20).
	MaxMismatches int

	// OursStream and TheirsStream, when set, return the replication
	// stream each side sent since the last call, up to the Marker; see
	// Checkpoint.
	OursStream   func() ([][]string, error)
	TheirsStream func() ([][]string, error)

	Mismatches int
	Commands   int
	// inMulti mirrors the connection's MULTI state.
	inMulti bool
	// segment lists the commands since the last checkpoint; loose marks a
	// segment that ran RANDOMKEY or Resync. diverged says RANDOMKEY may
	// have expired different keys on each side since the last Resync.
	segment  [][]string
	loose    bool
	diverged bool
	// db is the connection's selected db; dbs lists every db selected.
	db  string
	dbs []string
	// oursDB and theirsDB are the replication streams' selected dbs.
	oursDB, theirsDB string
}

// Diverged reports whether RANDOMKEY ran since the last Resync, so the two
// sides may hold different sets of expired-but-undeleted keys.
func (r *Runner) Diverged() bool { return r.diverged }

// Resync deletes every expired key on both sides with a full SCAN, ending
// the divergence RANDOMKEY causes (it expires the keys it happens to draw,
// differently on each side). The current stream segment is compared
// loosely.
func (r *Runner) Resync() {
	r.T.Helper()
	cur := r.curDB()
	for _, db := range r.dbs {
		r.Do("SELECT", db)
		r.Do("SCAN", "0", "COUNT", "1000")
	}
	r.Do("SELECT", cur)
	r.diverged = false
	r.loose = true
}

// Checkpoint sends the Marker to both sides and compares the replication
// streams they produced since the previous checkpoint (see NormalizeStream
// and CompareStreams). It does nothing without streams or inside MULTI.
func (r *Runner) Checkpoint() {
	r.T.Helper()
	if r.OursStream == nil || r.TheirsStream == nil || r.inMulti {
		return
	}
	r.Do(Marker...)
	ours, err := r.OursStream()
	if err != nil {
		r.T.Fatalf("our replication stream: %v", err)
	}
	theirs, err := r.TheirsStream()
	if err != nil {
		r.T.Fatalf("redis replication stream: %v", err)
	}
	loose := r.loose || r.diverged
	a, b := NormalizeStream(ours, loose, &r.oursDB), NormalizeStream(theirs, loose, &r.theirsDB)
	if ok, why := CompareStreams(a, b); !ok {
		r.Mismatches++
		var cmds []string
		for _, c := range r.segment {
			cmds = append(cmds, Quote(c))
		}
		r.T.Errorf("replication streams differ before command #%d (seed %d): %s\n  commands:\n    %s\n  ours:   %q\n  theirs: %q",
			r.Commands, r.Seed, why, strings.Join(cmds, "\n    "), a, b)
	}
	r.segment, r.loose = nil, false
}

// Stopped reports whether the run hit MaxMismatches.
func (r *Runner) Stopped() bool {
	limit := r.MaxMismatches
	if limit <= 0 {
		limit = 20
	}
	return r.Mismatches >= limit
}

// Quote renders a command for a report.
func Quote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}

func (r *Runner) mismatch(args []string, why string, ours, theirs []byte) {
	r.T.Helper()
	r.Mismatches++
	r.T.Errorf("mismatch on command #%d (seed %d): %s\n  %s\n  ours:   %q\n  theirs: %q",
		r.Commands, r.Seed, Quote(args), why, ours, theirs)
}

// Do runs one command on both sides and compares the replies. SCAN with
// cursor 0 runs a full iteration on each side and compares the keys seen.
// It returns our reply.
func (r *Runner) Do(args ...string) []byte {
	r.T.Helper()
	r.Commands++
	r.segment = append(r.segment, args)
	if len(args) > 0 && strings.EqualFold(args[0], "randomkey") {
		r.diverged = true
	}
	if len(args) > 0 && strings.EqualFold(args[0], "scan") && !r.inMulti {
		return r.scan(args, 1)
	}
	if len(args) > 2 && (strings.EqualFold(args[0], "hscan") || strings.EqualFold(args[0], "sscan") || strings.EqualFold(args[0], "zscan")) && args[2] == "0" && !r.inMulti {
		return r.scan(args, 2)
	}
	if len(args) > 0 && strings.EqualFold(args[0], "spop") && !r.inMulti {
		return r.randomPop(args)
	}
	ours, err := r.Ours.Do(args...)
	if err != nil {
		r.T.Fatalf("our node, command %s: %v", Quote(args), err)
	}
	theirs, err := r.Theirs.Do(args...)
	if err != nil {
		r.T.Fatalf("redis, command %s: %v", Quote(args), err)
	}
	mode := ModeFor(args)
	if r.inMulti && string(ours) == "+QUEUED\r\n" {
		mode = Exact
	}
	if ok, why := Compare(mode, ours, theirs); !ok {
		r.mismatch(args, why, ours, theirs)
	}
	r.trackMulti(args, ours)
	return ours
}

func (r *Runner) curDB() string {
	if r.db == "" {
		return "0"
	}
	return r.db
}

func (r *Runner) trackMulti(args []string, ours []byte) {
	if len(args) == 2 && strings.EqualFold(args[0], "select") && string(ours) == "+OK\r\n" {
		r.db = args[1]
		if !slices.Contains(r.dbs, args[1]) {
			r.dbs = append(r.dbs, args[1])
		}
	}
	if len(r.dbs) == 0 {
		r.dbs = []string{"0"}
	}
	if len(args) != 1 {
		return
	}
	switch strings.ToLower(args[0]) {
	case "multi":
		if string(ours) == "+OK\r\n" {
			r.inMulti = true
		}
	case "exec", "discard":
		r.inMulti = false
	}
}

// InMulti reports whether the connection is inside MULTI.
func (r *Runner) InMulti() bool { return r.inMulti }

// scan iterates a SCAN to the end on each side and compares the union of
// keys, or compares the first replies exactly when either is not an array
// (an error).
func (r *Runner) scan(args []string, cursorAt int) []byte {
	r.T.Helper()
	oursKeys, oursFirst, err := fullScan(r.Ours, args, cursorAt)
	if err != nil {
		r.T.Fatalf("our node, %s: %v", Quote(args), err)
	}
	theirsKeys, theirsFirst, err := fullScan(r.Theirs, args, cursorAt)
	if err != nil {
		r.T.Fatalf("redis, %s: %v", Quote(args), err)
	}
	if oursKeys == nil || theirsKeys == nil {
		if ok, why := Compare(Exact, oursFirst, theirsFirst); !ok {
			r.mismatch(args, why, oursFirst, theirsFirst)
		}
		return oursFirst
	}
	a, b := strings.Join(oursKeys, "\n"), strings.Join(theirsKeys, "\n")
	if a != b {
		r.mismatch(args, "full SCAN iterations returned different key sets", []byte(a), []byte(b))
	}
	return oursFirst
}

// fullScan follows the cursor (argument cursorAt) from args to 0 and
// returns the sorted set of elements seen (nil when the first reply is not
// a SCAN array) and the first reply.
func fullScan(t Target, args []string, cursorAt int) ([]string, []byte, error) {
	cur := append([]string(nil), args...)
	seen := map[string]bool{}
	var first []byte
	for i := 0; ; i++ {
		out, err := t.Do(cur...)
		if err != nil {
			return nil, out, err
		}
		if first == nil {
			first = out
		}
		v, _, err := resp.ParseValue(out)
		if err != nil {
			return nil, first, err
		}
		if v.Kind != resp.Array || len(v.Array) != 2 {
			return nil, first, nil
		}
		for _, k := range Elements(v.Array[1]) {
			seen[k] = true
		}
		next := string(v.Array[0].Str)
		if next == "0" {
			break
		}
		if i > 100000 {
			return nil, first, fmt.Errorf("SCAN did not finish in 100000 calls")
		}
		cur[cursorAt] = next
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys, first, nil
}
