package node

import (
	"fmt"
	"strings"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// testEpochNs is the fake clock's start: 2026-01-01T00:00:00Z.
const testEpochNs = int64(1767225600) * 1e9

// fakeJob is a Background job waiting to be run by the test.
type fakeJob struct {
	id  uint64
	run func(fs vfs.FS) error
}

// fakeEnv is an in-memory Env: a settable clock, a disksim filesystem,
// connections that record what was sent, and jobs run on demand.
type fakeEnv struct {
	now    int64
	rng    *sim.Rand
	fs     *disksim.FS
	node   *Node
	sent   map[ConnID][]byte
	closed map[ConnID]bool
	jobs   []fakeJob
	logs   []string
}

// envCount gives every fakeEnv its own random stream, so two nodes in one
// test get different replication IDs.
var envCount uint64

func newFakeEnv(fs *disksim.FS) *fakeEnv {
	if fs == nil {
		fs = disksim.New(sim.NewRand(1, "d"))
	}
	envCount++
	return &fakeEnv{now: testEpochNs, rng: sim.NewRand(envCount, "env"), fs: fs,
		sent: map[ConnID][]byte{}, closed: map[ConnID]bool{}}
}

func (e *fakeEnv) Now() int64              { return e.now }
func (e *fakeEnv) Rand() uint64            { return e.rng.Uint64() }
func (e *fakeEnv) Dial(addr string) ConnID { return 1 << 40 }
func (e *fakeEnv) Send(c ConnID, p []byte) { e.sent[c] = append(e.sent[c], p...) }
func (e *fakeEnv) Close(c ConnID)          { e.closed[c] = true }
func (e *fakeEnv) FS() vfs.FS              { return e.fs }
func (e *fakeEnv) Background(id uint64, run func(vfs.FS) error) {
	e.jobs = append(e.jobs, fakeJob{id, run})
}
func (e *fakeEnv) Logf(format string, args ...any) {
	e.logs = append(e.logs, fmt.Sprintf(format, args...))
}

// logsFrom returns n log lines from the first that starts with prefix
// (fewer at the end of the log, none when no line does).
func (e *fakeEnv) logsFrom(prefix string, n int) []string {
	for i, l := range e.logs {
		if strings.HasPrefix(l, prefix) {
			return e.logs[i:min(i+n, len(e.logs))]
		}
	}
	return nil
}

// logged reports whether a log line contains s.
func (e *fakeEnv) logged(s string) bool {
	for _, l := range e.logs {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// tester is what testNode needs from *testing.T or *rapid.T.
type tester interface {
	require.TestingT
	Helper()
	Fatalf(format string, args ...any)
}

// testNode is a node on a fakeEnv with one client connection.
type testNode struct {
	t    tester
	env  *fakeEnv
	n    *Node
	conn ConnID
}

// persistConfig is the default config without save rules or AOF.
func persistConfig() Config {
	cfg := DefaultConfig()
	cfg.Save = nil
	cfg.EnableDebugCommand = "yes" // as Redis's test suite runs
	return cfg
}

// startNode creates a node on fs (a fresh one when nil), loads it and
// connects a client.
func startNode(t tester, cfg Config, fs *disksim.FS) *testNode {
	t.Helper()
	tn := newTestNode(t, cfg, fs)
	require.NoError(t, tn.n.Load())
	return tn
}

// newTestNode is startNode without the Load.
func newTestNode(t tester, cfg Config, fs *disksim.FS) *testNode {
	t.Helper()
	env := newFakeEnv(fs)
	n := New(cfg, env)
	env.node = n
	tn := &testNode{t: t, env: env, n: n, conn: 7}
	n.OnAccept(tn.conn, "127.0.0.1:5000")
	return tn
}

// send feeds one command and returns the raw bytes sent back (nil if none).
func (tn *testNode) send(args ...string) []byte {
	tn.env.sent[tn.conn] = nil
	tn.n.OnData(tn.conn, resp.AppendCommandStrings(nil, args...))
	return tn.env.sent[tn.conn]
}

// do sends one command and returns its reply rendered as redis-cli would.
func (tn *testNode) do(args ...string) string {
	tn.t.Helper()
	raw := tn.send(args...)
	require.NotEmpty(tn.t, raw, "no reply to %q", args)
	v, k, err := resp.ParseValue(raw)
	require.NoError(tn.t, err)
	require.Equal(tn.t, len(raw), k, "one reply to %q", args)
	return v.String()
}

// advance moves the clock by ms milliseconds, ticking at hz on the way.
func (tn *testNode) advance(ms int64) {
	step := int64(1000 / tn.n.cfg.Hz)
	for done := int64(0); done < ms; done += step {
		tn.env.now += step * 1e6
		tn.n.Tick()
	}
}

// runJobs runs every pending Background job and reports its end.
func (tn *testNode) runJobs() {
	for len(tn.env.jobs) > 0 {
		j := tn.env.jobs[0]
		tn.env.jobs = tn.env.jobs[1:]
		err := j.run(tn.env.fs)
		tn.n.OnJobDone(j.id, err)
	}
}

// data returns the dataset as "db:key=value" strings.
func (tn *testNode) data() []string {
	var out []string
	for _, kv := range tn.n.Dataset() {
		out = append(out, fmt.Sprintf("%d:%s=%s", kv.DB, kv.Key, kv.Value))
	}
	return out
}

// crash loses everything not synced and returns the filesystem.
func (tn *testNode) crash(mode disksim.CrashMode) *disksim.FS {
	tn.t.Helper()
	_, err := tn.env.fs.Crash(mode)
	require.NoError(tn.t, err)
	return tn.env.fs
}
