package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// InfoReading is one INFO reply that holds the replication section: what
// Node answered between Call and Return (the same instant for the final
// read).
type InfoReading struct {
	Node         string
	Call, Return int64
	Text         string
	Ops          []OpRef // the client's operation, if a client read it
}

// InfoReadings is every INFO reply of the clients' operations with the
// replication section, and the final read of every node that was up.
func InfoReadings(ops []Op, final ReplInfoInput) []InfoReading {
	var out []InfoReading
	for i := range ops {
		op := &ops[i]
		if op.Kind != OpRead || len(op.Args) == 0 || !strings.EqualFold(op.Args[0], "INFO") || op.Unknown || op.Err != "" ||
			!strings.Contains(op.Reply, "# Replication") {
			continue
		}
		// Op.Reply holds INFO's text quoted as redis-cli shows it.
		text := strings.ReplaceAll(op.Reply, `\r\n`, "\r\n")
		out = append(out, InfoReading{Node: op.Node, Call: op.Call, Return: op.Return, Text: text, Ops: []OpRef{op.Ref()}})
	}
	for _, n := range final.Nodes {
		if n.Up && n.Info != "" {
			out = append(out, InfoReading{Node: n.Name, Call: final.At, Return: final.At, Text: n.Info})
		}
	}
	return out
}

// CheckBacklogHistlen judges a master's repl_backlog_histlen against what
// its backlog must hold. Redis 7.0.15 trims the backlog only while it holds
// more than repl-backlog-size, and never below it
// (incrementalTrimReplicationBacklog), and a resize only sets the size and
// trims so (resizeReplicationBacklog). So from 0 bytes at its creation
// ("Replication backlog created", syncCommand's first replica), feeding k
// bytes under size S leaves at least min(held+k, S), and a resize to S'
// at least min(held, S'). The bytes fed are read from master_repl_offset:
// the creation line's, the offsets that bound each settings change, the
// reading's. A reading is judged only when the process logged the
// creation before the call and nothing after it, up to the return, that
// ends the backlog or its master phase (backlogHeld's endings, another
// process's line), and no resize came between the call and the return.
func CheckBacklogHistlen(readings []InfoReading, lines []LogLine, settings []SettingsChange) []Violation {
	var out []Violation
	for _, rd := range readings {
		f := infoFields(rd.Text)
		if f["role"] != "master" || f["repl_backlog_active"] != "1" {
			continue
		}
		m, err1 := strconv.ParseInt(f["master_repl_offset"], 10, 64)
		h, err2 := strconv.ParseInt(f["repl_backlog_histlen"], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		created := backlogCreatedFor(lines, rd)
		if created == nil {
			continue
		}
		want, ok := backlogHeldAt(settings, created, rd, m)
		if ok && h < want {
			out = append(out, Violation{Check: "repl_info", At: rd.Return, Nodes: []string{rd.Node}, Ops: rd.Ops,
				Detail: fmt.Sprintf("%s's INFO at %s shows repl_backlog_histlen:%d at master_repl_offset:%d, but its backlog, created at offset %d (%q at %s), holds at least %d bytes: Redis never trims it below repl-backlog-size (%s)",
					rd.Node, seconds(rd.Return), h, m, created.ReplOffset, created.Msg, seconds(created.At), want, backlogSizesSince(settings, created, rd))})
		}
	}
	return out
}

// backlogHeldAt is the least a backlog created at line created holds at
// the reading rd (master_repl_offset m); false when it is not known (no
// size in force, or a resize between rd's call and return).
func backlogHeldAt(settings []SettingsChange, created *LogLine, rd InfoReading, m int64) (int64, bool) {
	size := smallestBacklogSize(settings, rd.Node, created.Settings, created.Settings)
	if size <= 0 {
		return 0, false
	}
	held, base := int64(0), created.ReplOffset
	for i := created.Settings; i < len(settings) && settings[i].At <= rd.Return; i++ {
		c := &settings[i]
		if c.Node != rd.Node || c.Down || c.ReplBacklogSize <= 0 || c.ReplBacklogSize == size {
			continue
		}
		if c.At >= rd.Call {
			return 0, false
		}
		held = min(held+max(0, c.OffsetBefore-base), size, c.ReplBacklogSize)
		base, size = max(base, c.OffsetAfter), c.ReplBacklogSize
	}
	return min(held+max(0, m-base), size), true
}

// backlogSizesSince names the repl-backlog-size values in force from the
// creation to the reading, for a violation's detail.
func backlogSizesSince(settings []SettingsChange, created *LogLine, rd InfoReading) string {
	sizes := []string{strconv.FormatInt(smallestBacklogSize(settings, rd.Node, created.Settings, created.Settings), 10)}
	for i := created.Settings; i < len(settings) && settings[i].At <= rd.Return; i++ {
		if c := &settings[i]; c.Node == rd.Node && !c.Down && c.ReplBacklogSize > 0 {
			if s := strconv.FormatInt(c.ReplBacklogSize, 10); s != sizes[len(sizes)-1] {
				sizes = append(sizes, s)
			}
		}
	}
	return "repl-backlog-size " + strings.Join(sizes, ", then ")
}

// backlogCreatedFor is the line that created the backlog rd reads: the
// node's last "Replication backlog created" before rd's call, nil when a
// line of the node up to rd's return ends that backlog, its master phase
// or its process, or creates another.
func backlogCreatedFor(lines []LogLine, rd InfoReading) *LogLine {
	var created *LogLine
	for i := range lines {
		l := &lines[i]
		if l.Node != rd.Node {
			continue
		}
		if l.At > rd.Return {
			break
		}
		switch {
		case l.Format == logBacklogCreated:
			if l.At >= rd.Call {
				return nil
			}
			created = l
		case created == nil:
		case l.Proc != created.Proc || l.Format == logBacklogFreed || endsMasterBacklog(l.Format):
			created = nil
		}
	}
	return created
}
