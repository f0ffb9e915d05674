package checker

import (
	"fmt"
	"strings"
)

// OperatorCall is a command the harness's operator ran on Node at At
// (in the node's process, in one instant), with its arguments (the
// commands inside MULTI for a transaction).
type OperatorCall struct {
	Node string
	At   int64
	Args []string
	// Answered says the call ran at the console and got Reply (its RESP
	// text, as redis-cli shows it); the lines it wrote are
	// Lines[LogFrom:LogTo] of the run's log (CheckReplicaofNoops).
	Answered       bool
	Reply          string
	LogFrom, LogTo int
}

// RDBSaveCauseInput is what CheckRDBSaveCauses reads: every node's log,
// every client operation, the operator's commands, the harness's own
// probe writes and every node's settings over time.
type RDBSaveCauseInput struct {
	Lines    []LogLine
	Ops      []Op
	Operator []OperatorCall
	Probes   []NodeCall
	Settings []SettingsChange
}

// CheckRDBSaveCauses judges every save in the process ("DB saved on
// disk" that no BGSAVE child logged) against its causes in Redis 7.0.15,
// the four callers of rdbSave: SAVE, DEBUG RELOAD (which logs "DB
// reloaded by DEBUG RELOAD" in the same instant), a shutdown's final save
// ("Saving the final RDB snapshot before exiting." right before), and
// FLUSHALL with save points set (flushAllDataAndResetRDB), from a client,
// the operator, an AOF replayed at a start or by DEBUG LOADAOF or, on a
// replica, its master's stream. A save with none of
// them in its instant (a client command's from its call to its reply) is
// one Redis would not have made: a FLUSHALL that saves without save
// points, a save on no command at all.
func CheckRDBSaveCauses(in RDBSaveCauseInput) []Violation {
	settings := newSettingsLog(in.Settings)
	saving := func(node string, at int64) (saveRules, replica bool) {
		cs := settings[node]
		i := inForce(cs, at)
		// The node saved while up: a going-down recorded in the same
		// instant (it exited right after, fresh seed 6057240) is not in
		// force yet.
		for i > 0 && cs[i].Down && cs[i].At == at {
			i--
		}
		if i >= 0 {
			return cs[i].SaveRules, cs[i].Replica
		}
		return false, false
	}
	// cause says what a command of args may save: "save" whatever the
	// settings, "flushall" only with save points.
	cause := func(args []string) string {
		if len(args) == 0 {
			return ""
		}
		switch strings.ToUpper(args[0]) {
		case "SAVE", "DEBUG", "SHUTDOWN":
			return "save"
		case "FLUSHALL":
			return "flushall"
		}
		return ""
	}
	opCauses := func(op *Op) (save, flushall bool) {
		var walk func(op *Op)
		walk = func(op *Op) {
			switch {
			case op.Kind == OpFlush && op.Mode == "ALL":
				flushall = true
			case op.Kind == OpTx:
				for i := range op.Sub {
					walk(&op.Sub[i])
				}
			default:
				switch cause(op.Args) {
				case "save":
					save = true
				case "flushall":
					flushall = true
				}
			}
		}
		walk(op)
		return save, flushall
	}
	byNode := map[string][]*LogLine{}
	for i := range in.Lines {
		byNode[in.Lines[i].Node] = append(byNode[in.Lines[i].Node], &in.Lines[i])
	}
	agg := newAggregator()
	for _, node := range sortedKeys(byNode) {
		ls := byNode[node]
		for j, l := range ls {
			if l.Msg != logDBSaved {
				continue
			}
			if j+1 < len(ls) && ls[j+1].Format == logSaveDone && ls[j+1].At == l.At && ls[j+1].Proc == l.Proc {
				continue // a BGSAVE child's (childSaved)
			}
			if j > 0 && ls[j-1].Msg == logFinalSave && ls[j-1].At == l.At {
				continue
			}
			saveRules, replica := saving(node, l.At)
			// A FLUSHALL replayed from the AOF at a start or by DEBUG
			// LOADAOF saves too (loading does not stop it).
			loading := false
			start := j
			for start > 0 && ls[start-1].Proc == l.Proc {
				start--
			}
			loading = ls[start].At == l.At
			explained := false
			for k := j + 1; k < len(ls) && ls[k].At == l.At; k++ {
				explained = explained || ls[k].Msg == logDebugReloaded
				loading = loading || strings.HasPrefix(ls[k].Msg, logAOFLoaded) || ls[k].Msg == logLoadedByDebug
			}
			// A start that fails has no settings of its own: its load is
			// not judged.
			explained = explained || saveRules && (replica || loading) || loading && ls[start].At == l.At
			for _, c := range in.Operator {
				if c.Node == node && c.At == l.At {
					switch cause(c.Args) {
					case "save":
						explained = true
					case "flushall":
						explained = explained || saveRules
					}
				}
			}
			for _, p := range in.Probes {
				explained = explained || p.Node == node && p.Call <= l.At && l.At <= p.Return
			}
			for i := range in.Ops {
				op := &in.Ops[i]
				if explained {
					break
				}
				if op.Node != node || op.Call > l.At || !op.Unknown && op.Return < l.At {
					continue
				}
				save, flushall := opCauses(op)
				explained = save || flushall && saveRules
			}
			if explained {
				continue
			}
			agg.addV("rdb-save-cause/"+node, Violation{Detail: fmt.Sprintf(
				"%s logged %q at %s with no cause: Redis saves in the process only for SAVE, DEBUG RELOAD, a shutdown's final save, or FLUSHALL with save points set (save points set: %v)",
				node, l.Msg, seconds(l.At), saveRules), At: l.At, Nodes: []string{node}})
		}
	}
	return agg.violations(PropRDBSaveCause)
}

// PropRDBSaveCause names the property CheckRDBSaveCauses judges.
const PropRDBSaveCause = "rdb_save_cause"
