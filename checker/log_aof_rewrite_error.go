package checker

import "fmt"

// rewriteErrorsFaulted checks that every "Background AOF rewrite
// terminated with error" had a disk fault on its node since the rewrite
// began. Redis 7.0.15's backgroundRewriteDoneHandler logs it when the
// child exited non-zero, and the child (rewriteAppendOnlyFileBackground ->
// rewriteAppendOnlyFile) exits 1 only when opening, writing, flushing,
// fsyncing or renaming its temp file failed; a child killed logs "by
// signal", or nothing when the parent killed it.
func rewriteErrorsFaulted(in LogInput) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	started := map[genKey]int64{}
	faulted := func(node string, from, to int64) bool {
		for _, f := range in.DiskFaults {
			if f.Node == node && f.At >= from && f.At <= to {
				return true
			}
		}
		return false
	}
	var out []Violation
	for _, l := range in.Lines {
		k := genKey{l.Node, l.Gen}
		switch l.Format {
		case logAOFRWStarted:
			started[k] = l.At
		case logAOFRWErrorBare:
			from, ok := started[k]
			if !ok || faulted(l.Node, from, l.At) {
				continue // no start to judge from (the grammar reports it), or a fault
			}
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q, but no disk fault hit the node since the rewrite started at %s: Redis's rewrite child exits with an error only when writing its temp file fails",
					l.Node, l.Gen, l.Msg, seconds(from))})
		}
	}
	return out
}
