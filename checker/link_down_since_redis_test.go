package checker

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLinkDownSinceOfRealRedis runs a real redis-server 7.0 replica whose
// master shuts down, then points it at another (absent) master, then at
// none and another: its master_link_down_since_seconds, read in the
// middle of seconds, must agree with its log as CheckLinkDownSince reads
// it. Without redis-server the test fails.
func TestLinkDownSinceOfRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two redis-servers")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server 7.0.15 is needed to check master_link_down_since_seconds: %v", err)
	}
	common := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
		"--repl-diskless-sync-delay", "0"}
	m := redistest.Start(t, bin, common...)
	r := redistest.Start(t, bin, common...)
	mc, rc := m.Dial(t), r.Dial(t)
	logged := func(msg string) {
		redistest.Eventually(t, 20*time.Second, func() string {
			if !strings.Contains(r.Log(), msg) {
				return redistest.Describe("no %q in:\n%s", msg, r.Log())
			}
			return ""
		})
	}
	// The log's times are the wall clock's fields read as UTC
	// (parseSyncRedisLog); a read is taken 300-700 ms into a second, away
	// from the boundaries that Redis's cached server.unixtime may lag.
	wall := func() int64 {
		n := time.Now()
		return time.Date(n.Year(), n.Month(), n.Day(), n.Hour(), n.Minute(), n.Second(), n.Nanosecond(), time.UTC).UnixMilli()
	}
	midSecond := func() {
		for ms := wall() % 1000; ms < 300 || ms > 700; ms = wall() % 1000 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	var samples []LinkDownSample
	// A read keeps 20 ms from the commands around it, so that the log's
	// millisecond times order it among the lines.
	sample := func() {
		time.Sleep(20 * time.Millisecond)
		midSecond()
		at := wall()
		v := rc.InfoField(t, "replication", "master_link_down_since_seconds")
		require.Equal(t, at/1000, wall()/1000, "the read crossed a second")
		samples = append(samples, LinkDownSample{Node: "r", ClockMs: at, Value: v})
		time.Sleep(20 * time.Millisecond)
	}

	sample() // a master: no field
	require.Equal(t, "", samples[0].Value)
	rc.Do(t, "REPLICAOF", "127.0.0.1", strconv.Itoa(m.Port))
	sample() // never up: -1, unless the sync was that quick
	logged(logFullSyncDone)
	midSecond()
	_, _ = mc.DoRaw("SHUTDOWN", "NOSAVE")
	logged(logMasterLost)
	for i := 0; i < 3; i++ {
		sample()
		time.Sleep(400 * time.Millisecond)
	}
	rc.Do(t, "REPLICAOF", "127.0.0.1", strconv.Itoa(redistest.FreePort(t)))
	sample()
	rc.Do(t, "REPLICAOF", "NO", "ONE")
	rc.Do(t, "REPLICAOF", "127.0.0.1", strconv.Itoa(redistest.FreePort(t)))
	sample()

	lines := parseSyncRedisLog(t, "r", r.Log())
	var judged []LinkDownSample
	for _, s := range samples {
		if s.Value == "" {
			continue
		}
		for s.Logs < len(lines) && lines[s.Logs].ClockMs <= s.ClockMs {
			s.Logs++
		}
		judged = append(judged, s)
	}
	require.GreaterOrEqual(t, len(judged), 5, "%v", samples)
	last := judged[len(judged)-1]
	assert.Equal(t, "-1", last.Value, "REPLICAOF NO ONE clears it")
	kept, _ := strconv.Atoi(judged[len(judged)-2].Value)
	assert.GreaterOrEqual(t, kept, 3, "REPLICAOF another master keeps it")
	assert.Empty(t, CheckLinkDownSince(LinkDownInput{Lines: lines, Samples: judged}), "samples %v\nlog:\n%s", judged, r.Log())

	off := append([]LinkDownSample(nil), judged...)
	off[len(off)-2].Value = strconv.Itoa(kept + 1)
	assert.Len(t, CheckLinkDownSince(LinkDownInput{Lines: lines, Samples: off}), 1)
}
