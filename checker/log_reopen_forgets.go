package checker

import "strings"

// logAOFEnableFailedPrefix starts startAppendOnly's line when it cannot
// start the rewrite (the AOF stays off).
const logAOFEnableFailedPrefix = "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation."

// reopenForgetsWriteError checks that turning the AOF on says it forgets
// a write error: startAppendOnly logs "AOF reopen, just ignore the last
// error." whenever aof_last_write_status is C_ERR, which a logged "Error
// writing to the AOF file" (or a short write's line) sets and only "AOF
// write error looks solved", that reopen line or a new process clear
// (stopAppendOnly leaves it). So at an instant where the node's
// appendonly turned from no to yes (CONFIG SET appendonly yes; a failed
// start reverts it and says so), a process with such an error still
// standing logs the reopen line then.
func reopenForgetsWriteError(lines []LogLine, settings []SettingsChange) []Violation {
	on := map[[2]any]bool{} // node, instant: appendonly turned on
	last := map[string]*SettingsChange{}
	for i := range settings {
		c := &settings[i]
		if c.Down {
			delete(last, c.Node)
			continue
		}
		if p := last[c.Node]; p != nil && !c.Start && !p.AppendOnly && c.AppendOnly {
			on[[2]any{c.Node, c.At}] = true
		}
		last[c.Node] = c
	}
	if len(on) == 0 {
		return nil
	}
	standing := map[process]*LogLine{} // the process's unsolved logged write error
	type instant struct {
		p  process
		at int64
	}
	pending := map[instant]*LogLine{} // an enable that has not said it forgets yet
	var order []instant
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch {
		case l.Format == logAOFWriteErr || l.Format == logAOFShortWrite:
			standing[k] = l
		case l.Msg == logAOFSolved:
			delete(standing, k)
		case l.Msg == logReopenWriteErr:
			delete(standing, k)
			delete(pending, instant{k, l.At})
		case strings.HasPrefix(l.Msg, logAOFEnableFailedPrefix):
			delete(pending, instant{k, l.At})
		}
		if w := standing[k]; w != nil && w.At < l.At && on[[2]any{l.Node, l.At}] {
			if _, seen := pending[instant{k, l.At}]; !seen {
				pending[instant{k, l.At}] = w
				order = append(order, instant{k, l.At})
			}
		}
	}
	for _, in := range order {
		w := pending[in]
		if w == nil {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: in.at, Nodes: []string{in.p.node},
			Detail: in.p.node + ": appendonly turned on at " + seconds(in.at) + " with the AOF write error of " + seconds(w.At) + " (\"" + w.Msg + "\") still standing, but no \"" + logReopenWriteErr + "\": startAppendOnly forgets aof_last_write_status and says so"})
	}
	return out
}
