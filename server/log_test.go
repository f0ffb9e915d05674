package server

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRedisLogFormat(t *testing.T) {
	var b lockedBuffer
	l := newRedisLog(&b)
	l.pid = 42
	l.now = func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 89_000_000, time.UTC) }
	l.logf(logNotice, "Ready to accept connections %s", "tcp")
	l.setRole('S')
	l.logf(logWarning, "line\n")
	assert.Equal(t, "42:C 04 Mar 2026 05:06:07.089 * Ready to accept connections tcp\n"+
		"42:S 04 Mar 2026 05:06:07.089 # line\n", b.String())
}
