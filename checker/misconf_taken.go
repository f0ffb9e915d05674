package checker

import (
	"fmt"

	"github.com/replsim/replsim/tap"
)

// CheckMisconfTaken is CheckMisconf's other half: while the last
// background save has failed, a node with save points and
// stop-writes-on-bgsave-error yes refuses writes with MISCONF
// (writeCommandsDeniedByDiskError, checked in processCommand before the
// command runs, on a master or a writable replica alike). A client's
// write that succeeded is a violation when, throughout its call, the node
// had those settings and, by the lines of the process that answered, the
// status was failed: a failure before the call and no successful save
// since, up to the reply. Transactions are left alone (the refusal comes
// at queueing and aborts the EXEC).
func CheckMisconfTaken(ops []Op, lines []LogLine, settings []SettingsChange) []Violation {
	byNode := map[string][]int{}
	for i := range lines {
		byNode[lines[i].Node] = append(byNode[lines[i].Node], i)
	}
	setLog := newSettingsLog(settings)
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if op.Err != "" || op.Unknown || op.Kind == OpTx || op.Kind == OpMulti || !op.Writes() {
			continue
		}
		if !setLog.throughout(op.Node, op.Call, op.Return, func(s tap.Settings) bool { return s.SaveRules && s.StopWritesOnBgsaveErr }) {
			continue
		}
		if !failedThroughout(lines, byNode[op.Node], setLog.startBefore(op.Node, op.Call), op.Call, op.Return) {
			continue
		}
		agg.addV("misconf-taken/"+op.Node, Violation{Detail: fmt.Sprintf(
			"%s took client %d's %s (%s..%s) while, by its log, its last background save had failed throughout the call, with save points and stop-writes-on-bgsave-error yes: Redis refuses writes then with %q (writeCommandsDeniedByDiskError)",
			op.Node, op.Client, op.Describe(), seconds(op.Call), seconds(op.Return), rdbMisconf+"..."),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropAccess)
}

// failedThroughout says whether, by the node's lines (indexes into
// lines, in order), the process that started at start (and logs nothing
// before) held a failed background-save status from before call to ret:
// its last status line before call was a failure, and no line of it, or
// of another process, came in [call, ret].
func failedThroughout(lines []LogLine, idx []int, start, call, ret int64) bool {
	gen, status := -1, 1
	for _, li := range idx {
		l := &lines[li]
		if l.At < start {
			continue
		}
		if l.At >= call {
			if l.At > ret {
				break
			}
			if l.Gen != gen || misconfStatus(l) > 0 {
				return false
			}
			continue
		}
		if l.Gen != gen {
			gen, status = l.Gen, 1
		}
		if s := misconfStatus(l); s != 0 {
			status = s
		}
	}
	return gen >= 0 && status < 0
}
