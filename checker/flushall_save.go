package checker

import (
	"fmt"
	"strings"
)

// rdbSaveLines start every line Redis 7.0.15's rdbSave logs as it ends in
// the process: its success, or its failure at the temp file's creation,
// a write or fsync, or the rename.
var rdbSaveLines = []string{logDBSaved, logSaveOpenError, logSaveWriteError, "Error moving temp DB file "}

// checkFlushallSaves judges FLUSHALL's save (flushAllDataAndResetRDB):
// with save points set, Redis saves the emptied dataset in the process
// (rdbSave), so a FLUSHALL answered +OK while the node's save points were
// set from its call to its reply logged the save's end ("DB saved on
// disk", or its failure) in that window. A save point set or removed
// within the window leaves the FLUSHALL unjudged.
func checkFlushallSaves(in ChildJobsInput, byGen map[childKey][]int, agg *aggregator) {
	settings := newSettingsLog(in.Settings)
	for _, f := range in.Flushes {
		cs := settings[f.Node]
		i := inForce(cs, f.Call)
		if i < 0 || !cs[i].SaveRules || cs[i].Down || inForce(cs, f.Return) != i {
			continue
		}
		saved := false
		for k, idx := range byGen {
			if k.node != f.Node {
				continue
			}
			for j, li := range idx {
				l := &in.Lines[li]
				if l.At < f.Call || l.At > f.Return {
					continue
				}
				if l.Msg == logDBSaved && j+1 < len(idx) {
					// A BGSAVE child's, logged right before the
					// parent's success (childSaved); a failure line
					// may be a child's too.
					next := &in.Lines[idx[j+1]]
					if next.Format == logSaveDone && next.At == l.At && next.Proc == l.Proc {
						continue
					}
				}
				for _, p := range rdbSaveLines {
					saved = saved || strings.HasPrefix(l.Msg, p)
				}
			}
		}
		if saved {
			continue
		}
		agg.addV("flushall-save/"+f.Node, Violation{Detail: fmt.Sprintf(
			"%s answered a FLUSHALL (%s..%s) with save points set, but logged no save of the emptied dataset then (%q or its failure): flushAllDataAndResetRDB saves in the process (rdbSave) when save points are set",
			f.Node, seconds(f.Call), seconds(f.Return), logDBSaved),
			At: f.Return, Nodes: []string{f.Node}})
	}
}
