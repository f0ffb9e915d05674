package interop

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// logLine is "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level> <message>".
var logLine = regexp.MustCompile(`^\d+:([CMSX]) \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} (. .*)$`)

// normalisers replace what differs between two runs of the same scenario:
// replication IDs, pids, ports, client descriptions, sizes and ages.
var normalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{40}`), "<id>"},
	{regexp.MustCompile(`pid \d+`), "pid <pid>"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:<port>"},
	{regexp.MustCompile(`user request from '.*'\)$`), "user request from '<client>')"},
	{regexp.MustCompile(`receiving \d+ bytes`), "receiving <n> bytes"},
	{regexp.MustCompile(`RDB age \d+ seconds`), "RDB age <n> seconds"},
	{regexp.MustCompile(`when created [\d.]+ Mb`), "when created <n> Mb"},
}

// syncLog returns the lines a server logged after it was ready, each from
// its level mark on (the timestamp prefix dropped), normalised; the lines
// of forked children (role C) and of the startup are left out.
func syncLog(t *testing.T, s *redistest.Server) []string {
	t.Helper()
	var out []string
	ready := false
	for _, l := range strings.Split(s.Log(), "\n") {
		m := logLine.FindStringSubmatch(l)
		if m == nil || m[1] == "C" {
			continue
		}
		msg := m[2]
		if !ready {
			ready = strings.Contains(msg, "Ready to accept connections")
			continue
		}
		for _, n := range normalisers {
			msg = n.re.ReplaceAllString(msg, n.with)
		}
		out = append(out, msg)
	}
	return out
}

// syncScenario: a full sync, a link the master cuts (the replica resumes
// by partial resync), a promotion, and a second REPLICAOF that the master
// answers with a full sync (the promoted replica's new ID is unknown to
// it). Each step waits until both sides are quiet, so the logs' order does
// not depend on timing.
func syncScenario(t *testing.T, master, replica *redistest.Server) {
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "OK", mc.Do(t, "SET", "a", "1").String())
	waitSynced := func() {
		t.Helper()
		waitLink(t, rc, "up")
		redistest.Eventually(t, syncTimeout, func() string {
			m := infoInt(t, mc, "replication", "master_repl_offset")
			r := infoInt(t, rc, "replication", "slave_repl_offset")
			if m != r || mc.InfoField(t, "replication", "slave0") == "" ||
				!strings.Contains(mc.InfoField(t, "replication", "slave0"), "state=online") {
				return redistest.Describe("master offset %d, replica offset %d", m, r)
			}
			return ""
		})
		time.Sleep(200 * time.Millisecond) // let the last lines (a first ACK) land; nothing to poll
	}
	require.Equal(t, "OK", rc.Do(t, "REPLICAOF", "127.0.0.1", port(master)).String())
	waitSynced()
	require.Equal(t, "OK", mc.Do(t, "SET", "b", "2").String())
	waitValue(t, rc, "b", "2")
	waitSynced()

	mc.Do(t, "CLIENT", "KILL", "TYPE", "replica")
	waitSynced()

	require.Equal(t, "OK", rc.Do(t, "REPLICAOF", "NO", "ONE").String())
	redistest.Eventually(t, syncTimeout, func() string {
		if n := infoInt(t, mc, "replication", "connected_slaves"); n != 0 {
			return redistest.Describe("%d replicas", n)
		}
		return ""
	})
	require.Equal(t, "OK", rc.Do(t, "REPLICAOF", "127.0.0.1", port(master)).String())
	waitSynced()
}

// TestSyncLogLinesMatchRedis runs the same scenario on a pair of real
// Redis servers and a pair of replsim servers and compares what each
// master and each replica logged, line by line, in order.
func TestSyncLogLinesMatchRedis(t *testing.T) {
	for _, diskless := range []string{"no", "yes"} {
		t.Run("repl-diskless-sync="+diskless, func(t *testing.T) {
			args := []string{"--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600"}
			bin := redistest.RequireBinary(t, "redis-server")
			rm := redistest.Start(t, bin, append([]string{"--save", ""}, args...)...)
			rr := redistest.Start(t, bin, append([]string{"--save", ""}, args...)...)
			syncScenario(t, rm, rr)
			om := startReplsim(t, append([]string{"--save", ""}, args...)...)
			or := startReplsim(t, append([]string{"--save", ""}, args...)...)
			syncScenario(t, om, or)

			wantM, gotM := syncLog(t, rm), syncLog(t, om)
			wantR, gotR := syncLog(t, rr), syncLog(t, or)
			require.NotEmpty(t, wantM)
			require.NotEmpty(t, wantR)
			assert.Equal(t, strings.Join(wantM, "\n"), strings.Join(gotM, "\n"), "master's log")
			assert.Equal(t, strings.Join(wantR, "\n"), strings.Join(gotR, "\n"), "replica's log")
		})
	}
}
