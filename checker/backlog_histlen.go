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
// trims so: a master whose backlog was created at offset C ("Replication
// backlog created", syncCommand's first replica) holds, at
// master_repl_offset M, at least min(S, M-C) bytes, S the smallest
// repl-backlog-size in force since. A reading is judged only when the
// process logged the creation before the call and nothing after it, up to
// the return, that ends the backlog or its master phase (backlogHeld's
// endings, another process's line).
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
		upTo := 0
		for upTo < len(settings) && settings[upTo].At <= rd.Return {
			upTo++
		}
		size := smallestBacklogSize(settings, rd.Node, created.Settings, upTo)
		if size <= 0 {
			continue
		}
		if want := min(size, m-created.ReplOffset); h < want {
			out = append(out, Violation{Check: "repl_info", At: rd.Return, Nodes: []string{rd.Node}, Ops: rd.Ops,
				Detail: fmt.Sprintf("%s's INFO at %s shows repl_backlog_histlen:%d at master_repl_offset:%d, but its backlog, created at offset %d (%q at %s) with repl-backlog-size at least %d since, holds at least %d bytes: Redis never trims it below repl-backlog-size",
					rd.Node, seconds(rd.Return), h, m, created.ReplOffset, created.Msg, seconds(created.At), size, want)})
		}
	}
	return out
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
