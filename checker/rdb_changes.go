package checker

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// PropRDBChanges names the property that a node's change counter (Redis's
// server.dirty: INFO rdb_changes_since_last_save, what a save point
// compares) counts no more than the changes made since the dataset a
// successful save wrote.
const PropRDBChanges = "rdb_changes"

// RDBChangesInput is what the change-counter check reads: every node's log
// in order, every client operation, the harness's own writes (the probes':
// Return -1 for one no reply ordered), the nodes' roles over time and the
// INFO of each running node at the end.
type RDBChangesInput struct {
	Lines       []LogLine
	Ops         []Op
	ProbeWrites []NodeCall
	Roles       []RoleChange
	Ends        []InfoCountersNode
}

// rdbChangesField is INFO persistence's field for server.dirty.
var rdbChangesField = regexp.MustCompile(`rdb_changes_since_last_save:(-?[0-9]+)`)

// dirtyBound is what the log says of a process's server.dirty after its
// last line: with known set, dirty <= hi + the changes made after anchor
// (changes are never negative). nonneg says dirty >= 0, which holds from
// the start (dirty starts at 0, and an AOF replayed at startup only adds)
// and after a save in the process (rdbSave zeroes it), but not after a
// BGSAVE that ended with success once the process saved during it: it
// subtracts the count the fork saw from a count zeroed since.
type dirtyBound struct {
	proc     int
	start    int64 // the process's first line
	known    bool
	hi       int64
	anchor   int64
	nonneg   bool
	inflight bool // a BGSAVE to disk is running
	// The running BGSAVE's start, whether dirty was >= 0 then, and
	// whether the process saved (zeroed dirty) since.
	bgStart  int64
	bgNonneg bool
	bgReset  bool
	// The lower bound: with lowKnown, dirty >= the changes made after
	// lowAnchor (dirtyIncrements). It holds from the process's start
	// (dirty starts at 0 and the AOF's replay only adds), from a save in
	// the process (rdbSave zeroes it), and from a BGSAVE's fork once it
	// ended with success (it took off the count the fork saw), unless the
	// process zeroed the count during that BGSAVE (the subtraction may
	// then go below the changes since).
	lowKnown  bool
	lowAnchor int64
}

// apply moves the bound over line i of lines (all one node's); it reports
// whether the line may have changed server.dirty or the bound.
func (b *dirtyBound) apply(lines []*LogLine, i int) bool {
	l := lines[i]
	switch {
	case l.Format == logSaveStarted:
		// rdbSaveBackground: dirty_before_bgsave = dirty, then the fork.
		b.inflight, b.bgStart, b.bgNonneg, b.bgReset = true, l.At, b.nonneg, false
	case l.Msg == logDBSaved && childSaved(lines, i):
		// The child's rdbSave: the parent's count is untouched.
	case l.Msg == logDBSaved || l.Msg == logLoadedByDebug:
		// rdbSave in the process (SAVE, FLUSHALL with save points, DEBUG
		// RELOAD, ...) or DEBUG LOADAOF: dirty = 0.
		b.known, b.hi, b.anchor, b.nonneg = true, 0, l.At, true
		b.lowKnown, b.lowAnchor = true, l.At
		if b.inflight {
			b.bgReset = true
		}
	case l.Format == logSaveDone:
		// backgroundSaveDoneHandlerDisk: dirty -= dirty_before_bgsave.
		// Since the fork dirty only grew by the changes made, or was
		// zeroed, so it is now at most those changes plus
		// max(0, -dirty_before_bgsave).
		b.known = b.inflight && b.bgNonneg
		b.hi, b.anchor = 0, b.bgStart
		b.nonneg = b.inflight && b.bgNonneg && !b.bgReset
		b.lowKnown = b.lowKnown && b.inflight && !b.bgReset
		b.lowAnchor = max(b.lowAnchor, b.bgStart)
		b.inflight = false
	case l.Msg == logSaveError || l.Format == logSaveBySignal:
		b.inflight = false
	default:
		return false
	}
	return true
}

// childSaved says whether line i, "DB saved on disk", is a BGSAVE child's:
// the simulation logs it right before the parent's "Background saving
// terminated with success", in the same instant.
func childSaved(lines []*LogLine, i int) bool {
	if i+1 >= len(lines) {
		return false
	}
	next := lines[i+1]
	return next.Format == logSaveDone && next.At == lines[i].At && next.Proc == lines[i].Proc
}

// mayChange says whether op may have moved server.dirty where it ran: a
// command of a writing kind, or one the command registry does not know
// (a transaction: one of its commands). Its reply is not trusted: a write
// refused with an error changed nothing, but a quiet one's reply is
// unknown.
func mayChange(op *Op) bool {
	switch op.Kind {
	case OpRead:
		return false
	case OpCmd:
		c := lookupCmd(op.Args)
		return c == nil || c.write
	case OpTx:
		for i := range op.Sub {
			if mayChange(&op.Sub[i]) {
				return true
			}
		}
		return false
	}
	return op.Kind.IsWrite()
}

// changeWindow is when a client's command may have run on its node: from
// its call to its reply, or, with no reply that orders it, any time from
// the call until the process it was sent to ends (a lost connection's
// bytes may still reach it).
type changeWindow struct {
	call, end int64
	open      bool
}

func windowOf(op *Op) changeWindow {
	bounded := !op.Unknown || op.Unanswered ||
		(op.Quiet != "" && op.QuietReply == QuietWant(op.Quiet)) // it ran before the reply after it
	if bounded {
		return changeWindow{call: op.Call, end: op.Return}
	}
	return changeWindow{call: op.Call, end: math.MaxInt64, open: true}
}

// quietSince says whether nothing could have changed node's dataset in
// [from, to] of the process that started at procStart: the node was a
// master all along (a replica applies its master's stream), and no client
// command that may change something may have run then.
func quietSince(node string, procStart, from, to int64, roles []RoleChange, windows []changeWindow) bool {
	if roleAt(roles, node, from) != "master" {
		return false
	}
	for _, r := range roles {
		if r.Node == node && r.At >= from && r.At <= to {
			return false
		}
	}
	for _, w := range windows {
		if w.call > to {
			continue
		}
		if w.open && w.call >= procStart {
			return false
		}
		if !w.open && w.end >= from {
			return false
		}
	}
	return true
}

// CheckRDBChanges bounds each node's change counter by the log of its
// process: after a save that succeeded — rdbSave in the process ("DB
// saved on disk"), DEBUG LOADAOF, or a BGSAVE to disk whose done handler
// subtracted the count its fork saw (backgroundSaveDoneHandlerDisk:
// server.dirty -= server.dirty_before_bgsave) — server.dirty counts only
// the changes made since the dataset it wrote. Where nothing could change
// the dataset since (no client write may have run on the node, a master
// all along: expiries and evictions do not count), the counter is at most
// 0, so
//   - INFO's rdb_changes_since_last_save, in a client's INFO reply or at
//     the end of the run, is at most 0, and
//   - no save point ("%d changes in %d seconds. Saving...", serverCron's
//     server.dirty >= changes) with changes >= 1 fires.
//
// A BGSAVE that ends after the process saved during it leaves dirty
// possibly negative; the next BGSAVE's end is then not bounded.
func CheckRDBChanges(in RDBChangesInput) []Violation {
	byNode := map[string][]*LogLine{}
	var nodes []string
	for i := range in.Lines {
		l := &in.Lines[i]
		if _, ok := byNode[l.Node]; !ok {
			nodes = append(nodes, l.Node)
		}
		byNode[l.Node] = append(byNode[l.Node], l)
	}
	windows := map[string][]changeWindow{}
	readings := map[string][]*Op{}
	changers := changersByNode(in.Ops)
	for i := range in.Ops {
		op := &in.Ops[i]
		if mayChange(op) {
			windows[op.Node] = append(windows[op.Node], windowOf(op))
		}
		if op.Kind == OpRead && len(op.Args) > 0 && strings.EqualFold(op.Args[0], "INFO") && !op.Unknown && op.Err == "" &&
			rdbChangesField.MatchString(op.Reply) {
			readings[op.Node] = append(readings[op.Node], op)
		}
	}
	for _, w := range in.ProbeWrites {
		cw := changeWindow{call: w.Call, end: w.Return}
		if w.Return < 0 {
			cw = changeWindow{call: w.Call, end: math.MaxInt64, open: true}
		}
		windows[w.Node] = append(windows[w.Node], cw)
	}
	ends := map[string]*InfoCountersNode{}
	for i := range in.Ends {
		ends[in.Ends[i].Node] = &in.Ends[i]
	}
	agg := newAggregator()
	for _, node := range nodes {
		lines := byNode[node]
		// The bound after each line that may change it, for the replies.
		type change struct {
			at    int64
			bound dirtyBound
		}
		var changes []change
		var b dirtyBound
		for i, l := range lines {
			moved := false
			if i == 0 || l.Proc != b.proc {
				b = dirtyBound{proc: l.Proc, start: l.At, nonneg: true, lowKnown: true, lowAnchor: l.At}
				moved = true
			}
			if b.apply(lines, i) {
				moved = true
			}
			if moved {
				changes = append(changes, change{l.At, b})
			}
			if l.Format != logSavePoint || len(l.Args) < 1 || !b.known {
				continue
			}
			need, err := strconv.ParseInt(l.Args[0], 10, 64)
			if err != nil || b.hi >= need || !quietSince(node, b.start, b.anchor, l.At, in.Roles, windows[node]) {
				continue
			}
			agg.addV("savepoint/"+node, Violation{Detail: fmt.Sprintf(
				"%s (incarnation %d) at %s: %q fired, which needs server.dirty >= %d, but its last successful save (its dataset as of %s) left at most %d changes, and no client write may have run on it since while it was a master: Redis zeroes the count on a save (rdbSave) and takes off what the BGSAVE's fork saw when it ends (backgroundSaveDoneHandlerDisk)",
				node, l.Gen, seconds(l.At), l.Msg, need, seconds(b.anchor), b.hi),
				At: l.At, Nodes: []string{node}})
		}
		judgeLow := func(b dirtyBound, at int64, got int64, what string, ops []OpRef) {
			if !b.lowKnown || !masterThroughout(in.Roles, node, b.lowAnchor, at) {
				return
			}
			want, counted := int64(0), []OpRef(nil)
			for _, op := range changers[node] {
				if op.Call > b.lowAnchor && op.Return < at {
					if k := dirtyIncrements(op); k > 0 {
						want += k
						counted = append(counted, op.Ref())
					}
				}
			}
			if got >= want {
				return
			}
			agg.addV("info-low/"+node, Violation{Detail: fmt.Sprintf(
				"%s: %s says rdb_changes_since_last_save:%d, but %d changes were made on it since %s (when its count was last zeroed, or the fork of a BGSAVE that took off what it saw) while it was a master, by %d client commands whose replies say what they changed: Redis adds each to server.dirty",
				node, what, got, want, seconds(b.lowAnchor), len(counted)),
				At: at, Nodes: []string{node}, Ops: append(ops, counted[:min(len(counted), 8)]...)})
		}
		judge := func(b dirtyBound, at int64, got int64, what string, ops []OpRef) {
			if !b.known || got <= b.hi || !quietSince(node, b.start, b.anchor, at, in.Roles, windows[node]) {
				return
			}
			agg.addV("info/"+node, Violation{Detail: fmt.Sprintf(
				"%s: %s says rdb_changes_since_last_save:%d, but its last successful save (its dataset as of %s) left at most %d changes, and no client write may have run on it since while it was a master: Redis zeroes the count on a save (rdbSave) and takes off what the BGSAVE's fork saw when it ends (backgroundSaveDoneHandlerDisk)",
				node, what, got, seconds(b.anchor), b.hi),
				At: at, Nodes: []string{node}, Ops: ops})
		}
		for _, op := range readings[node] {
			// The bound in force at the call, unchanged until the reply.
			k := -1
			for j, c := range changes {
				if c.at < op.Call {
					k = j
				}
			}
			if k < 0 || (k+1 < len(changes) && changes[k+1].at <= op.Return) {
				continue
			}
			m := rdbChangesField.FindStringSubmatch(op.Reply)
			got, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil {
				continue
			}
			what := fmt.Sprintf("client %d's INFO (%s..%s)", op.Client, seconds(op.Call), seconds(op.Return))
			judge(changes[k].bound, op.Return, got, what, []OpRef{op.Ref()})
			judgeLow(changes[k].bound, op.Call, got, what, []OpRef{op.Ref()})
		}
		end := ends[node]
		if end == nil || len(lines) == 0 || lines[len(lines)-1].Gen != end.Gen {
			continue
		}
		fields, _ := parseInfo(end.Info)
		got, err := strconv.ParseInt(fields["rdb_changes_since_last_save"], 10, 64)
		if err != nil {
			continue
		}
		what := fmt.Sprintf("INFO at the end of the run (incarnation %d)", end.Gen)
		judge(b, math.MaxInt64, got, what, nil)
		judgeLow(b, math.MaxInt64, got, what, nil)
	}
	return agg.violations(PropRDBChanges)
}

// masterThroughout says node was a master all through [from, to].
func masterThroughout(roles []RoleChange, node string, from, to int64) bool {
	if roleAt(roles, node, from) != "master" {
		return false
	}
	for _, r := range roles {
		if r.Node == node && r.At > from && r.At <= to && r.Role != "master" {
			return false
		}
	}
	return true
}

// dirtyIncrements is how much op surely added to server.dirty where it
// ran, by its reply (0 when the reply does not say, or for a command this
// does not know): Redis 7.0.15 adds 1 for each SET (SETEX, SETNX that
// set, GETSET, ...), INCR-family command, APPEND, SETRANGE of a non-empty
// string, RENAME of two keys, EXPIRE or PERSIST that changed something and
// GETDEL that deleted, the keys DEL and UNLINK deleted, and MSET's pairs;
// a transaction adds what its commands did.
func dirtyIncrements(op *Op) int64 {
	if op.Err != "" || op.Unknown || op.Quiet != "" {
		return 0
	}
	switch op.Kind {
	case OpSet, OpIncr, OpIncrBy, OpKeepTTL, OpSetGet, OpAppend:
		return 1
	case OpDel, OpSetNX, OpSetXX, OpExpire, OpPersist:
		return max(op.Int, 0)
	case OpGetDel:
		if op.Exists {
			return 1
		}
	case OpSetRange:
		if op.Value != "" {
			return 1
		}
	case OpMSet, OpMulti:
		return 2
	case OpRename:
		if op.Key != op.Key2 && (op.Mode == "" || op.Int == 1) {
			return 1
		}
	case OpTx:
		if op.Discard {
			return 0
		}
		subs := op.Sub
		if op.IsWatchTx() {
			if op.Int != 1 {
				return 0
			}
			subs = subs[1:]
		}
		var sum int64
		for i := range subs {
			sum += dirtyIncrements(&subs[i])
		}
		return sum
	}
	return 0
}

// changersByNode lists, per node, the operations whose replies show they
// changed something (dirtyIncrements > 0), in their order.
func changersByNode(ops []Op) map[string][]*Op {
	out := map[string][]*Op{}
	for i := range ops {
		if op := &ops[i]; dirtyIncrements(op) > 0 {
			out[op.Node] = append(out[op.Node], op)
		}
	}
	return out
}
