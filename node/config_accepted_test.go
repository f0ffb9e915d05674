package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The accepted directives answer CONFIG GET/SET as redis-server 7.0.15
// does (replies taken from it).
func TestAcceptedConfigs(t *testing.T) {
	n, e := newCfgNode(t)
	get := func(name string) string { return call(t, n, e, 1, "config", "get", name) }
	pair := func(k, v string) string { return bulkPairs(k, v) }
	assert.Equal(t, pair("proc-title-template", "{title} {listen-addr} {server-mode}"), get("proc-title-template"))
	assert.Equal(t, pair("oom-score-adj", "no"), get("oom-score-adj"))
	assert.Equal(t, pair("oom-score-adj-values", "0 200 800"), get("oom-score-adj-values"))
	assert.Equal(t, pair("shutdown-on-sigint", "default"), get("shutdown-on-sigint"))
	assert.Equal(t, pair("use-exit-on-panic", "no"), get("use-exit-on-panic"))
	assert.NotContains(t, call(t, n, e, 1, "config", "get", "*"), "use-exit-on-panic", "hidden from globs")
	assert.NotContains(t, call(t, n, e, 1, "config", "get", "watchdog*"), "watchdog-period")

	set := func(name, value string) string { return call(t, n, e, 1, "config", "set", name, value) }
	fail := func(name, msg string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + msg + "\r\n"
	}
	enumMsg := "argument(s) must be one of the following: default, save, nosave, now, force"
	for _, tc := range []struct{ name, value, reply, after string }{
		{"shutdown-on-sigint", "now save", "+OK\r\n", "save now"},
		{"shutdown-on-sigint", "default now", "+OK\r\n", "now"},
		{"shutdown-on-sigint", "bad", fail("shutdown-on-sigint", enumMsg), "now"},
		{"shutdown-on-sigint", "", fail("shutdown-on-sigint", enumMsg), "now"},
		{"shutdown-on-sigint", "SAVE", "+OK\r\n", "save"},
		{"shutdown-on-sigterm", "save nosave", fail("shutdown-on-sigterm", "shutdown options SAVE and NOSAVE can't be used simultaneously"), "default"},
		{"oom-score-adj-values", "1 2", fail("oom-score-adj-values", "wrong number of arguments"), "0 200 800"},
		{"oom-score-adj-values", "1 2 x", fail("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."), "0 200 800"},
		{"oom-score-adj-values", "0 2001 3", fail("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."), "0 200 800"},
		{"oom-score-adj-values", "0 -5 30", "+OK\r\n", "0 -5 30"},
		{"oom-score-adj", "bad", fail("oom-score-adj", "argument(s) must be one of the following: no, yes, relative, absolute"), "no"},
		{"oom-score-adj", "YES", "+OK\r\n", "yes"},
		{"oom-score-adj", "absolute", "+OK\r\n", "absolute"},
		{"oom-score-adj", "Relative", "+OK\r\n", "yes"}, // an alias of yes (the chaos sweep's CONFIG GET rule)
		{"proc-title-template", "{bad}", fail("proc-title-template", "template format is invalid or contains unknown variables"), "{title} {listen-addr} {server-mode}"},
		{"proc-title-template", "{title", fail("proc-title-template", "template format is invalid or contains unknown variables"), "{title} {listen-addr} {server-mode}"},
		{"proc-title-template", "", fail("proc-title-template", "template format is invalid or contains unknown variables"), "{title} {listen-addr} {server-mode}"},
		{"maxmemory-clients", "200%", fail("maxmemory-clients", "percentage argument must be less or equal to 100"), "0"},
		{"maxmemory-clients", "x%", fail("maxmemory-clients", "argument must be a memory or percent value"), "0"},
		{"maxmemory-clients", "%", fail("maxmemory-clients", "argument must be a memory or percent value"), "0"},
		{"maxmemory-clients", "10%", "+OK\r\n", "10%"},
		{"maxmemory-clients", "1mb", "+OK\r\n", "1048576"},
		{"proc-title-template", "  {title}  ", fail("proc-title-template", "template format is invalid or contains unknown variables"), "{title} {listen-addr} {server-mode}"},
		{"proc-title-template", "{title}}", "+OK\r\n", "{title}}"},
		{"proc-title-template", "x{title}y {port} {{", "+OK\r\n", "x{title}y {port} {{"},
	} {
		require.Equal(t, tc.reply, set(tc.name, tc.value), "%s %q", tc.name, tc.value)
		assert.Equal(t, pair(tc.name, tc.after), get(tc.name), "%s %q", tc.name, tc.value)
	}
}
