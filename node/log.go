package node

import (
	"errors"
	"fmt"
)

// Log levels, as the marks Redis prints between the timestamp and the
// message.
const (
	LogDebug   byte = '.'
	LogVerbose byte = '-'
	LogNotice  byte = '*'
	LogWarning byte = '#'
)

// LevelLogger is implemented by environments that print Redis's level
// marks. The node logs through it when it can, through Env.Logf otherwise.
type LevelLogger interface {
	// Log records one line (without a newline) at level, one of the Log*
	// marks.
	Log(level byte, msg string)
}

// logLevels orders the loglevel values; a line is written when its level
// is at least the configured one.
var logLevels = map[string]int{"debug": 0, "verbose": 1, "notice": 2, "warning": 3, "nothing": 4}

var levelRank = map[byte]int{LogDebug: 0, LogVerbose: 1, LogNotice: 2, LogWarning: 3}

// logAt writes one log line at level, unless loglevel filters it out.
func (n *Node) logAt(level byte, format string, args ...any) {
	min, ok := logLevels[n.cfg.LogLevel]
	if !ok {
		min = logLevels["notice"]
	}
	if levelRank[level] < min {
		return
	}
	if ll, ok := n.env.(LevelLogger); ok {
		ll.Log(level, fmt.Sprintf(format, args...))
		return
	}
	n.env.Logf(format, args...)
}

// ChildLogger is implemented by environments that mark the lines of
// Redis's forked children (role C and the child's pid) in their log.
type ChildLogger interface {
	LogChild(pid int, level byte, msg string)
}

// logChild writes a line Redis's forked child pid would write.
func (n *Node) logChild(pid int, level byte, format string, args ...any) {
	if cl, ok := n.env.(ChildLogger); ok {
		if min, ok := logLevels[n.cfg.LogLevel]; ok && levelRank[level] < min {
			return
		}
		cl.LogChild(pid, level, fmt.Sprintf(format, args...))
		return
	}
	n.logAt(level, format, args...)
}

func (n *Node) logNotice(format string, args ...any)  { n.logAt(LogNotice, format, args...) }
func (n *Node) logWarning(format string, args ...any) { n.logAt(LogWarning, format, args...) }
func (n *Node) logVerbose(format string, args ...any) { n.logAt(LogVerbose, format, args...) }

// loggedError is an error the node has already written to its log in
// Redis's words (a corrupt RDB, a missing AOF part): Redis exits then
// without another line.
type loggedError struct{ err error }

func (e *loggedError) Error() string { return e.err.Error() }
func (e *loggedError) Unwrap() error { return e.err }

// Logged reports whether err (from Load) was already written to the
// node's log, so a driver that exits on it need not print it again.
func Logged(err error) bool {
	var le *loggedError
	return errors.As(err, &le)
}

// LogLoadFailure writes why Load failed with err, unless the node already
// did: Redis's last line for a dataset it cannot load
// (loadDataFromDisk's "Fatal error loading the DB: %s. Exiting.").
func (n *Node) LogLoadFailure(err error) {
	if err != nil && !Logged(err) {
		n.logWarning("Fatal error loading the DB: %s. Exiting.", err)
	}
}

// ProcessIDer is implemented by environments that run the node as an OS
// process. Where Redis logs the pid of a child it forked, the node logs
// that pid plus the background job's number.
type ProcessIDer interface {
	ProcessID() int
}

// childPID is the pid the log names for the background job started last.
func (n *Node) childPID() int {
	base := 0
	if p, ok := n.env.(ProcessIDer); ok {
		base = p.ProcessID()
	}
	return base + int(n.jobID)
}
