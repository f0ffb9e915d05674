package checker

// incarnation is one process lifetime of a node (LogLine.Gen), the key of
// the log rules that keep state per process.
type incarnation struct {
	node string
	gen  int
}

func incarnationOf(l *LogLine) incarnation { return incarnation{l.Node, l.Gen} }

// process is one started process of a node (LogLine.Proc): unlike an
// incarnation, a start that failed to load counts as its own.
type process struct {
	node string
	proc int
}

func processOf(l *LogLine) process { return process{l.Node, l.Proc} }

// stateOf is m's entry for process k, made (with init) the first time.
func stateOf[T any](m map[process]*T, k process, init func() *T) *T {
	s := m[k]
	if s == nil {
		s = init()
		m[k] = s
	}
	return s
}
