package checker

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/tap"
)

// rdbMisconf starts the error Redis answers writes with while its last
// background save failed (writeCommandsDeniedByDiskError's
// DISK_ERROR_TYPE_RDB).
const rdbMisconf = "MISCONF Redis is configured to save RDB snapshots"

// misconfStatus says how a log line sets Redis's lastbgsave_status: +1
// OK (a save that succeeded, in the process or its child), -1 failed (a
// background save that failed, or a child killed by another signal than
// SIGUSR1), 0 no change. A process starts with OK.
func misconfStatus(l *LogLine) int {
	switch {
	case l.Msg == logDBSaved || l.Format == logSaveDone:
		return 1
	case l.Msg == logSaveError || strings.HasPrefix(l.Msg, "Can't save in background: fork: "):
		return -1
	case l.Format == logSaveBySignal && (len(l.Args) != 1 || l.Args[0] != "10"):
		return -1
	}
	return 0
}

// CheckMisconf judges the RDB MISCONF refusal against the node's log and
// settings: a client's command refused with it needs save points set at
// some instant of the call (writeCommandsDeniedByDiskError checks
// saveparamslen > 0 first) and the last background save's status to be
// failed at some instant of it, by the lines of the incarnation that
// answered (rdbSave and backgroundSaveDoneHandlerDisk set it): a save that
// succeeded since the last failure, or a process that has had no failure,
// takes writes.
func CheckMisconf(ops []Op, lines []LogLine, settings []SettingsChange) []Violation {
	byNode := map[string][]int{}
	setLog := newSettingsLog(settings)
	for i := range lines {
		byNode[lines[i].Node] = append(byNode[lines[i].Node], i)
	}
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if !strings.HasPrefix(op.Err, rdbMisconf) || op.Unknown {
			continue
		}
		if setLog.throughout(op.Node, op.Call, op.Return, func(s tap.Settings) bool { return !s.SaveRules }) {
			agg.addV("misconf-nosave/"+op.Node, Violation{Detail: fmt.Sprintf(
				"%s refused client %d's %s (%s..%s) with %q while it had no save points throughout the call: Redis refuses writes for a failed background save only with save points set (writeCommandsDeniedByDiskError: saveparamslen > 0)",
				op.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), rdbMisconf+"..."),
				At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
			continue
		}
		gen, status, known := -1, 1, false
		failed := false
		for _, li := range byNode[op.Node] {
			l := &lines[li]
			if l.At > op.Return {
				break
			}
			if l.Gen != gen {
				if l.At >= op.Call {
					known = false // another process answered, perhaps
					break
				}
				gen, status, known = l.Gen, 1, true
			}
			if s := misconfStatus(l); s != 0 {
				status = s
			}
			if status < 0 {
				failed = true
			}
			if l.At < op.Call {
				failed = status < 0
			}
		}
		if !known || failed {
			continue
		}
		agg.addV("misconf/"+op.Node, Violation{Detail: fmt.Sprintf(
			"%s refused client %d's %s (%s..%s) with %q, but by its log its last background save had not failed at any instant of the call (a save succeeded since, or none failed in this process): Redis refuses writes only while lastbgsave_status is err",
			op.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), rdbMisconf+"..."),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropAccess)
}
