package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// SHUTDOWN's argument errors and SHUTDOWN ABORT with nothing to abort,
// and the shutdown-on-sigterm/-sigint setter, as redis-server 7.0.15
// answers them (the errors family and op_shutdown_abort send these).
func TestShutdownArgsAndAbortReplies(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	assert.Equal(t, "(error) ERR syntax error", a.do("SHUTDOWN", "NOSAVE", "SAVE"))
	assert.Equal(t, "(error) ERR syntax error", a.do("SHUTDOWN", "ABORT", "NOW"))
	assert.Equal(t, "(error) ERR No shutdown in progress.", a.do("SHUTDOWN", "ABORT"))
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - argument(s) must be one of the following: default, save, nosave, now, force",
		a.do("CONFIG", "SET", "shutdown-on-sigterm", "foo"))
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously",
		a.do("CONFIG", "SET", "shutdown-on-sigint", "save nosave"))
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force",
		a.do("CONFIG", "SET", "shutdown-on-sigint", ""))
	assert.False(t, a.n.Down())
}
