package checker

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MONITOR. A monitor client sees every command its node runs, after it
// ran, as one status line (Redis's replicationFeedMonitors):
//
//	+1339518083.107412 [0 127.0.0.1:60866] "SET" "k1" "7"
//
// CheckMonitor judges each line's format, and, for a session still
// attached when the run ended, that each client's commands to that node
// appear in it in the client's order: every operation acknowledged
// without an error and sent after the monitor's +OK, of a client that had
// no unanswered operation on that node meanwhile (one whose outcome is
// unknown may still run late, out of the client's order), must match a
// line from that client's address, in order (a subsequence: MULTI, EXEC,
// SELECT, AUTH and hidden commands come between). The monitor's link may
// lag (it carries every command): a missing line is a violation only when
// the monitor showed more lines of that client than its commands up to
// that one can account for (linesBefore). A transaction of the
// core's MULTI shows its two SETs; AUTH shows "(redacted)" for its
// arguments (a refused AUTH too: an error reply leaves it out here). Blocking commands, the admin and
// fixed-reply tables and WAIT are left out (Redis hides admin commands; a
// blocked command is shown when it runs).

// MonitorLine is one line a monitor received (without its "+").
type MonitorLine struct {
	At   int64
	Text string
}

// MonitorSession is one monitor connection: its node, when its +OK came,
// when it ended (0: still attached at the end of the run) and its lines.
type MonitorSession struct {
	Node   string
	From   int64
	Until  int64
	Client string
	Lines  []MonitorLine
}

// MonitorInput is what the monitor check reads: the sessions, every
// client operation, and each client's host name by Op.Client.
type MonitorInput struct {
	Sessions []MonitorSession
	Ops      []Op
	Clients  []string
}

var monitorLineRE = regexp.MustCompile(`^[0-9]+\.[0-9]{6} \[([0-9]+) ([^ \]]+)\]((?: "(?:[^"\\]|\\.)*")+)$`)

// parseMonitorLine returns a line's db, client address and arguments.
func parseMonitorLine(s string) (db int, addr string, args []string, ok bool) {
	m := monitorLineRE.FindStringSubmatch(s)
	if m == nil {
		return 0, "", nil, false
	}
	db, _ = strconv.Atoi(m[1])
	rest := m[3]
	for len(rest) > 0 {
		// rest is ` "..."...`: unquote one argument (sdscatrepr's escapes).
		var b strings.Builder
		i := 2
		for ; rest[i] != '"'; i++ {
			c := rest[i]
			if c != '\\' {
				b.WriteByte(c)
				continue
			}
			i++
			switch rest[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'x':
				if i+2 >= len(rest) {
					return 0, "", nil, false
				}
				v, err := strconv.ParseUint(rest[i+1:i+3], 16, 8)
				if err != nil {
					return 0, "", nil, false
				}
				b.WriteByte(byte(v))
				i += 2
			default:
				b.WriteByte(rest[i])
			}
		}
		args = append(args, b.String())
		rest = rest[i+1:]
	}
	return db, m[2], args, true
}

// monitorArgs returns the commands op's monitor lines show, in order, or
// nil if it is not judged.
func monitorArgs(op *Op) [][]string {
	switch op.Kind {
	case OpGet:
		return [][]string{{"GET", op.Key}}
	case OpSet:
		if op.Args == nil {
			if op.TTL > 0 {
				return [][]string{{"SET", op.Key, op.Value, "PX", strconv.FormatInt(op.TTL, 10)}}
			}
			return [][]string{{"SET", op.Key, op.Value}}
		}
	case OpIncr:
		if op.Args == nil {
			return [][]string{{"INCR", op.Key}}
		}
	case OpDel:
		if op.Args == nil {
			return [][]string{{"DEL", op.Key}}
		}
	case OpMulti:
		return [][]string{{"SET", op.Key, op.Value}, {"SET", op.Key2, op.Value2}}
	case OpWait, OpTx:
		return nil
	}
	if len(op.Args) == 0 || op.IsAdmin() || op.IsExpect() || strings.HasPrefix(strings.ToUpper(op.Args[0]), "B") {
		return nil // BLPOP, BZPOPMIN, ... (and BITCOUNT, BITPOS: not blocking, left out all the same)
	}
	if strings.EqualFold(op.Args[0], "AUTH") {
		// Shown with its arguments redacted (checked on redis-server 7.0.15).
		red := []string{op.Args[0]}
		for range op.Args[1:] {
			red = append(red, "(redacted)")
		}
		return [][]string{red}
	}
	return [][]string{op.Args}
}

// CheckMonitor judges the monitors' sessions.
func CheckMonitor(in MonitorInput) []Violation {
	agg := newAggregator()
	for si := range in.Sessions {
		s := &in.Sessions[si]
		byHost := map[string][][]string{}
		dbs := map[string][]int{}
		for _, l := range s.Lines {
			if strings.HasSuffix(l.Text, probeMonitorTail) {
				continue // the harness's write probe, from its address-less operator client
			}
			db, addr, args, ok := parseMonitorLine(l.Text)
			if !ok {
				agg.addV("monitor-format", Violation{Detail: fmt.Sprintf(
					"monitor %s of %s got a line not in Redis's format at %s: %q", s.Client, s.Node, seconds(l.At), l.Text),
					At: l.At, Nodes: []string{s.Node}})
				continue
			}
			host, _, _ := strings.Cut(addr, ":")
			byHost[host] = append(byHost[host], args)
			dbs[host] = append(dbs[host], db)
		}
		if s.Until != 0 || len(s.Lines) == 0 {
			continue // lines may have been lost with the connection
		}
		skip := map[int]bool{}
		for i := range in.Ops {
			op := &in.Ops[i]
			if op.Node == s.Node && op.Unknown && op.Quiet == "" && (op.Return > s.From || op.Return == 0) {
				skip[op.Client] = true
			}
		}
		pos := map[int]int{}
		done := map[int]bool{}
		for i := range in.Ops {
			op := &in.Ops[i]
			if op.Node != s.Node || skip[op.Client] || done[op.Client] || op.Unknown || op.Err != "" || op.Call <= s.From ||
				op.Client >= len(in.Clients) {
				continue
			}
			host := in.Clients[op.Client]
			lines := byHost[host]
			for _, want := range monitorArgs(op) {
				p := pos[op.Client]
				for p < len(lines) && (dbs[host][p] != op.DB || !sameArgs(lines[p], want)) {
					p++
				}
				if p < len(lines) {
					pos[op.Client] = p + 1
					continue
				}
				done[op.Client] = true
				if len(lines) <= linesBefore(in.Ops, op, s.From) {
					break // its line may still have been on its way when the run ended
				}
				agg.addV("monitor-missing/"+s.Node, Violation{Detail: fmt.Sprintf(
					"monitor %s of %s (attached from %s) never showed %q of client %d's %s after the client's earlier commands, though it showed %d lines of that client, more than its commands before this one can account for",
					s.Client, s.Node, seconds(s.From), strings.Join(want, " "), op.Client, op.Describe(), len(lines)),
					At: op.Return, Nodes: []string{s.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
				break
			}
		}
	}
	return agg.violations(PropAccess)
}

// linesBefore bounds the monitor lines op's client can have caused on
// op's node with the commands it sent before op returned (generously:
// SELECT, AUTH on a new connection, CLIENT REPLY's and a transaction's
// commands). A monitor that showed more lines of the client showed some
// command sent after op ran, so op's line was on the same connection
// before it: not on its way.
func linesBefore(ops []Op, op *Op, from int64) int {
	n := 0
	for i := range ops {
		o := &ops[i]
		if o.Client == op.Client && o.Node == op.Node && o.Call < op.Return && (o.Return >= from || o.Unknown) {
			n += 8 + 2*len(o.Sub)
		}
	}
	return n
}

func sameArgs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
