package checker

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// CheckSelectsFirst flags a master history where a replica may begin
// whose first command that runs in a db, from that point, is not preceded
// by a SELECT. Redis sets server.slaveseldb to -1 at each such point: a
// full resync's setup (the +FULLRESYNC offset), a promotion, a start that
// continues the history its RDB recorded; so the next such command comes
// after a SELECT, and a replica that starts there, whatever db its own
// state names, applies it where the master ran it. PING and REPLCONF run
// in no db. A history begun by a backlog's creation alone has no such
// point until its first full resync (writes before it may skip the
// SELECT; no replica starts there). A full resync is judged only when its
// master was a master (settings) for all of the minute before it
// completed: a replica serves its master's stream, whose db the snapshot
// names (repl-stream-db), and may have been that history's master before.
func CheckSelectsFirst(in PrefixInput, settings []SettingsChange) []Violation {
	roles := newSettingsLog(settings)
	isReplica := func(s tap.Settings) bool { return s.Replica }
	type history struct {
		owner string
		first int64
		data  []byte
		gap   bool
	}
	hist := map[string]*history{}
	for i := range in.Chunks {
		c := &in.Chunks[i]
		if c.Replica {
			continue
		}
		h := hist[c.ReplID]
		if h == nil {
			h = &history{owner: c.Node, first: c.Start}
			hist[c.ReplID] = h
		}
		end := h.first + int64(len(h.data))
		switch {
		case h.gap || c.Start < end && c.End() <= end:
		case c.Start > end || c.Start < h.first:
			h.gap = true
		default:
			h.data = append(h.data, c.Data[end-c.Start:]...)
		}
	}
	type point struct {
		replid string
		at     int64
		what   string
	}
	var points []point
	for _, f := range in.FullSyncs {
		if h := hist[f.ReplID]; h != nil && !roles.ever(f.Master, f.At-snapshotAge, f.At, isReplica) {
			points = append(points, point{f.ReplID, f.Offset, "the full resync of " + f.Node})
		}
	}
	for _, p := range in.Promotions {
		if p.Now.ReplID != p.Was.ReplID {
			points = append(points, point{p.Now.ReplID, p.Now.Offset, "the promotion of " + p.Node})
		}
	}
	for _, r := range in.Restarts {
		if st := r.Repl; st.Role == "master" && realReplID(st.ReplID2) && st.ReplID != st.ReplID2 && st.SecondOffset >= 1 {
			points = append(points, point{st.ReplID, st.SecondOffset - 1, "the restart of " + r.Node})
		}
	}
	sort.SliceStable(points, func(i, j int) bool {
		if points[i].replid != points[j].replid {
			return points[i].replid < points[j].replid
		}
		return points[i].at < points[j].at
	})
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	var out []Violation
	for _, p := range points {
		h := hist[p.replid]
		if h == nil || p.at < h.first || p.at >= h.first+int64(len(h.data)) {
			continue
		}
		for off := int(p.at - h.first); off < len(h.data); {
			args, k, err := resp.ParseCommand(h.data[off:], nil, &lim)
			if err != nil || k == 0 || len(args) == 0 {
				break
			}
			name := strings.ToLower(string(args[0]))
			if name == "ping" || name == "replconf" {
				off += k
				continue
			}
			if name != "select" {
				out = append(out, Violation{Check: PropPrefix, Nodes: []string{h.owner}, ReplID: p.replid,
					Offsets: []int64{p.at, h.first + int64(off)}, Detail: fmt.Sprintf(
						"master %s's history %s goes on from offset %d (%s) with %s at offset %d before any SELECT: Redis selects the db first there (slaveseldb -1 at a full resync's setup, a promotion, a start), or a replica that starts there applies it in another db",
						h.owner, short(p.replid), p.at, p.what, quoteStream(h.data[off:off+k]), h.first+int64(off))})
			}
			break
		}
	}
	return out
}
