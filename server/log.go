package server

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Log levels, with the marks Redis puts in its log lines.
const (
	logDebug   = '.'
	logVerbose = '-'
	logNotice  = '*'
	logWarning = '#'
)

// redisLog writes log lines in redis-server's format:
//
//	pid:R dd Mon yyyy hh:mm:ss.mmm L message
//
// where R is the role (C before the server is set up, M master, S replica)
// and L the level mark. It is safe for concurrent use.
type redisLog struct {
	mu   sync.Mutex
	w    io.Writer
	pid  int
	role atomic.Int32
	now  func() time.Time
}

func newRedisLog(w io.Writer) *redisLog {
	l := &redisLog{w: w, pid: os.Getpid(), now: time.Now}
	l.role.Store('C')
	return l
}

func (l *redisLog) setRole(r byte) { l.role.Store(int32(r)) }

func (l *redisLog) logf(level byte, format string, args ...any) {
	l.logAs(l.pid, byte(l.role.Load()), level, fmt.Sprintf(format, args...))
}

// logAs writes a line for another process (a forked child's, role C).
func (l *redisLog) logAs(pid int, role, level byte, msg string) {
	msg = strings.TrimRight(msg, "\n")
	ts := l.now().Format("02 Jan 2006 15:04:05.000")
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%d:%c %s %c %s\n", pid, role, ts, level, msg)
}
