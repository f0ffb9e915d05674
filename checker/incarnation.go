package checker

// incarnation is one process lifetime of a node (LogLine.Gen), the key of
// the log rules that keep state per process.
type incarnation struct {
	node string
	gen  int
}

func incarnationOf(l *LogLine) incarnation { return incarnation{l.Node, l.Gen} }
