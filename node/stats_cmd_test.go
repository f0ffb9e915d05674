package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// infoLine returns the line of INFO section that starts with prefix+":"
// (without the prefix), or "".
func infoLine(t *testing.T, h *nodetest.Harness, c node.ConnID, section, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(h.DoString(c, "INFO", section), "\r\n") {
		if v, ok := strings.CutPrefix(l, prefix+":"); ok {
			return v
		}
	}
	return ""
}

func TestCommandAndErrorStats(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	h.Do(c, "CONFIG", "RESETSTAT")
	stat := func(name string) string { return infoLine(t, h, c, "commandstats", "cmdstat_"+name) }
	errs := func(code string) string { return infoLine(t, h, c, "errorstats", "errorstat_"+code) }
	total := func() string { return infoLine(t, h, c, "stats", "total_error_replies") }

	// A failed call: the command ran and replied an error.
	h.Do(c, "AUTH", "k")
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1", stat("auth"))
	assert.Equal(t, "count=1", errs("ERR"))
	assert.Equal(t, "1", total())

	// Rejected: wrong arity, then good calls.
	h.Do(c, "SET", "k")
	h.Do(c, "SET", "k1", "v1")
	h.Do(c, "SET", "k2", "v2")
	assert.Equal(t, "calls=2,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0", stat("set"))

	// Unknown commands and subcommands count as errors only.
	h.Do(c, "NOSUCH")
	h.Do(c, "CONFIG", "NOSUCH")
	assert.Equal(t, "", stat("config"))
	assert.Equal(t, "count=4", errs("ERR"))

	// Subcommands count under container|sub, rejected ones too.
	h.Do(c, "CONFIG", "GET")
	h.Do(c, "CONFIG", "GET", "port")
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0", stat("config|get"))

	// Inside MULTI: the failure is the queued command's, not EXEC's; an
	// EXECABORT is EXEC's own failure and its own error code.
	h.Do(c, "CONFIG", "RESETSTAT")
	h.Do(c, "MULTI")
	h.Do(c, "SET", "a", "b")
	h.Do(c, "AUTH", "a")
	h.Do(c, "EXEC")
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1", stat("auth"))
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0", stat("exec"))
	h.Do(c, "MULTI")
	h.Do(c, "SET")
	h.Do(c, "EXEC")
	assert.Equal(t, "count=1", errs("EXECABORT"))
	assert.Equal(t, "calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1", stat("exec"))
	assert.Equal(t, "3", total())

	// RESETSTAT clears all of it.
	h.Do(c, "CONFIG", "RESETSTAT")
	assert.Equal(t, "", errs("ERR"))
	assert.Equal(t, "0", total())
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0", stat("config|resetstat"))
}

func TestLatencyStats(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	lat := func(name string) string { return infoLine(t, h, c, "latencystats", "latency_percentiles_usec_"+name) }
	h.Do(c, "CONFIG", "RESETSTAT")
	h.Do(c, "SET", "a", "b")
	// Simulated time stands still while a command runs: 0 us, recorded as
	// the histogram's 1 ns minimum.
	assert.Equal(t, "p50=0.001,p99=0.001,p99.9=0.001", lat("set"))

	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "latency-tracking-info-percentiles", "0.0 50.0 100.0"))
	assert.Equal(t, "*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$8\r\n0 50 100\r\n",
		h.DoString(c, "CONFIG", "GET", "latency-tracking-info-percentiles"))
	assert.Equal(t, "p0=0.001,p50=0.001,p100=0.001", lat("set"))

	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters\r\n",
		h.DoString(c, "CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 50.0 a"))
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]\r\n",
		h.DoString(c, "CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 50.0 101.0"))

	h.Do(c, "CONFIG", "RESETSTAT")
	h.Do(c, "CONFIG", "SET", "latency-tracking", "no")
	h.Do(c, "SET", "a", "b")
	assert.Equal(t, "", lat("set"))
	assert.Equal(t, "*2\r\n$16\r\nlatency-tracking\r\n$2\r\nno\r\n", h.DoString(c, "CONFIG", "GET", "latency-tracking"))
}

func TestInfoSectionsDefaultAndAll(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	headers := func(args ...string) []string {
		var out []string
		for _, l := range strings.Split(h.DoString(c, append([]string{"INFO"}, args...)...), "\r\n") {
			if strings.HasPrefix(l, "# ") {
				out = append(out, l[2:])
			}
		}
		return out
	}
	def := headers()
	assert.Contains(t, def, "CPU")
	assert.Contains(t, def, "Errorstats")
	assert.NotContains(t, def, "Commandstats")
	assert.NotContains(t, def, "Latencystats")
	assert.Equal(t, def, headers("default"))
	all := headers("all")
	assert.Equal(t, all, headers("everything"))
	assert.Subset(t, all, []string{"Commandstats", "Latencystats", "CPU"})
	assert.Equal(t, all, headers("cpu", "all"), "a section named besides all appears once")
	assert.Equal(t, []string{"CPU"}, headers("CPU"))
	// The simulated node has no CPU clock.
	assert.Equal(t, "0.000000", infoLine(t, h, c, "cpu", "used_cpu_user"))
}

// A WAIT that blocks counts as a call once it returns.
func TestStatsBlockedWait(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	r := h.Conn()
	h.Do(r, "REPLCONF", "listening-port", "7777")
	h.Do(r, "PSYNC", "?", "-1")
	h.Do(c, "SET", "k", "v")
	h.Do(c, "WAIT", "1", "100")
	assert.Equal(t, "", infoLine(t, h, c, "commandstats", "cmdstat_wait"))
	h.Env.Advance(200 * time.Millisecond)
	h.Tick()
	assert.Equal(t, "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0", infoLine(t, h, c, "commandstats", "cmdstat_wait"))
}

// Percentiles parse as strtod does (hex without exponent included) and
// print as "%f" trimmed, as checked against redis-server 7.0.15.
func TestLatencyPercentilesParse(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	for in, want := range map[string]string{"0.0 50.0 100.0": "0 50 100", "99.99999 1e1": "99.99999 10", "": "", "50 0x10": "50 16"} {
		require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "latency-tracking-info-percentiles", in), in)
		got := h.DoString(c, "CONFIG", "GET", "latency-tracking-info-percentiles")
		assert.True(t, strings.HasSuffix(got, "\r\n"+want+"\r\n"), "%q: %q", in, got)
	}
	assert.Contains(t, h.DoString(c, "CONFIG", "SET", "latency-tracking-info-percentiles", " 5"), "Invalid")
}
