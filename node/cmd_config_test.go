package node

import (
	"errors"
	"fmt"
	"path"
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cfgTestEnv is a minimal Env for driving a node by hand: it records what
// the node sends and closes, and optionally supports ChangeDir/Relisten.
type cfgTestEnv struct {
	now      int64
	out      map[ConnID][]byte
	closed   map[ConnID]bool
	dirs     map[string]bool // existing directories, for ChangeDir
	cwd      string
	listenOK bool
	listened []string
	fs       *disksim.FS
}

func newCfgTestEnv() *cfgTestEnv {
	return &cfgTestEnv{now: 1_700_000_000_000_000_000, out: map[ConnID][]byte{}, closed: map[ConnID]bool{},
		fs: disksim.New(sim.NewRand(1, "cfg"))}
}

func (e *cfgTestEnv) Now() int64                                      { return e.now }
func (e *cfgTestEnv) Rand() uint64                                    { return 42 }
func (e *cfgTestEnv) Dial(addr string) ConnID                         { return 1000 }
func (e *cfgTestEnv) Send(c ConnID, p []byte)                         { e.out[c] = append(e.out[c], p...) }
func (e *cfgTestEnv) Close(c ConnID)                                  { e.closed[c] = true }
func (e *cfgTestEnv) FS() vfs.FS                                      { return e.fs }
func (e *cfgTestEnv) Background(id uint64, run func(fs vfs.FS) error) {}
func (e *cfgTestEnv) Logf(format string, args ...any)                 {}

// cfgTestDirEnv adds DirChanger and Relistener.
type cfgTestDirEnv struct{ *cfgTestEnv }

func (e cfgTestDirEnv) ChangeDir(dir string) (string, error) {
	if !path.IsAbs(dir) {
		dir = path.Join(e.cwd, dir)
	}
	if !e.dirs[dir] {
		return "", errors.New("No such file or directory")
	}
	e.cwd = dir
	return dir, nil
}

func (e cfgTestDirEnv) Relisten(bind []string, port int) error {
	if !e.listenOK {
		return errors.New("address in use")
	}
	e.listened = append(e.listened, fmt.Sprint(bind, port))
	return nil
}

// call sends one command on conn and returns the raw reply.
func call(t *testing.T, n *Node, e *cfgTestEnv, conn ConnID, args ...string) string {
	t.Helper()
	e.out[conn] = nil
	n.OnData(conn, resp.AppendCommandStrings(nil, args...))
	return string(e.out[conn])
}

func newCfgNode(t *testing.T) (*Node, *cfgTestEnv) {
	t.Helper()
	e := newCfgTestEnv()
	n := New(DefaultConfig(), e)
	n.OnAccept(1, "127.0.0.1:50000")
	return n, e
}

func bulkPairs(kv ...string) string {
	b := resp.AppendArrayLen(nil, len(kv))
	for _, s := range kv {
		b = resp.AppendBulkString(b, s)
	}
	return string(b)
}

func TestConfigGet(t *testing.T) {
	n, e := newCfgNode(t)
	assert.Equal(t, bulkPairs("PORT", "6379"), call(t, n, e, 1, "config", "get", "PORT"))
	assert.Equal(t, bulkPairs("port", "6379"), call(t, n, e, 1, "CONFIG", "GET", "port", "PORT", "p*t"))
	assert.Equal(t, bulkPairs("save", "3600 1 300 100 60 10000"), call(t, n, e, 1, "config", "get", "save"))
	assert.Equal(t, bulkPairs("repl-backlog-size", "1048576"), call(t, n, e, 1, "config", "get", "repl-backlog-size"))
	assert.Equal(t, bulkPairs("replica-read-only", "yes", "slave-read-only", "yes"),
		call(t, n, e, 1, "config", "get", "*read-only*"))
	assert.Equal(t, bulkPairs("slaveof", "", "replicaof", ""), call(t, n, e, 1, "config", "get", "slaveof", "replicaof"))
	assert.Equal(t, bulkPairs(), call(t, n, e, 1, "config", "get", "no-such"))
	assert.Equal(t, bulkPairs("hz", "10", "appendonly", "no"), call(t, n, e, 1, "config", "get", "hz", "append[o]nly"))

	v, ok := n.ConfigGet("slave-serve-stale-data")
	assert.True(t, ok)
	assert.Equal(t, "yes", v)
	_, ok = n.ConfigGet("lazyfree-lazy-eviction")
	assert.False(t, ok)
}

func TestConfigGetGlobAll(t *testing.T) {
	n, e := newCfgNode(t)
	v, _, err := resp.ParseValue([]byte(call(t, n, e, 1, "config", "get", "*")))
	require.NoError(t, err)
	hidden := 0
	for _, d := range confDefs {
		if d.flags&confHidden != 0 {
			hidden++
		}
	}
	assert.Positive(t, hidden)
	assert.Len(t, v.Array, 2*(len(confDefs)-hidden), "every directive and alias once, hidden ones left out")
}

func TestConfigSetErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"set", "foo", "bar"}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"set", "hz", "abc"}, "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"},
		{[]string{"set", "repl-backlog-size", "1x"}, "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"},
		{[]string{"set", "dir", "/tmp"}, "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"},
		{[]string{"set", "dbfilename", "a/b"}, "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"},
		{[]string{"set", "rdbchecksum", "no"}, "ERR CONFIG SET failed (possibly related to argument 'rdbchecksum') - can't set immutable config"},
		{[]string{"set", "appendfsync", "sometimes"}, "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no"},
		{[]string{"set", "save", "1"}, "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"},
		{[]string{"set", "save", "900  1"}, "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"},
		{[]string{"set", "hz", "1", "hz", "2"}, "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"},
		{[]string{"set", "hz", "1", "hz", "2", "foo", "1"}, "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"},
		{[]string{"set", "foo", "1", "hz", "1", "hz", "2"}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"set", "hz"}, "ERR wrong number of arguments for 'config|set' command"},
		{[]string{"set", "hz", "4", "bar"}, "ERR syntax error"},
		{[]string{"get"}, "ERR wrong number of arguments for 'config|get' command"},
		{[]string{"resetstat", "x"}, "ERR wrong number of arguments for 'config|resetstat' command"},
		{[]string{"foo"}, "ERR unknown subcommand 'foo'. Try CONFIG HELP."},
		{[]string{"set", "replica-read-only", "maybe"}, "ERR CONFIG SET failed (possibly related to argument 'replica-read-only') - argument must be 'yes' or 'no'"},
		{[]string{"set", "port", "-1"}, "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"},
		{[]string{"set", "databases", "3"}, "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"},
		{[]string{"set", "repl-timeout", "0"}, "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive"},
		{[]string{"set", "slaveof", "127.0.0.1 6379"}, "ERR CONFIG SET failed (possibly related to argument 'slaveof') - can't set immutable config"},
		{[]string{"set", "port", "7000"}, "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."},
		{[]string{"rewrite"}, "ERR The server is running without a config file"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			n, e := newCfgNode(t)
			before := n.Config()
			got := call(t, n, e, 1, append([]string{"config"}, tt.args...)...)
			assert.Equal(t, "-"+tt.want+"\r\n", got)
			assert.Equal(t, before, n.Config(), "a failed CONFIG SET changes nothing")
		})
	}
}

func TestConfigSetAtomicAndValues(t *testing.T) {
	n, e := newCfgNode(t)
	got := call(t, n, e, 1, "config", "set", "hz", "5", "repl-timeout", "0")
	assert.Contains(t, got, "repl-timeout")
	assert.Equal(t, 10, n.Config().Hz, "nothing of a failed multi-set is applied")

	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "save", "900 1 300 10", "appendfsync", "always", "hz", "1000"))
	assert.Equal(t, []SaveRule{{900, 1}, {300, 10}}, n.Config().Save)
	assert.Equal(t, "always", n.Config().AppendFsync)
	assert.Equal(t, bulkPairs("hz", "500"), call(t, n, e, 1, "config", "get", "hz"))
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "hz", "0", "save", ""))
	assert.Equal(t, 1, n.Config().Hz)
	assert.Empty(t, n.Config().Save)
	assert.Equal(t, bulkPairs("save", ""), call(t, n, e, 1, "config", "get", "save"))

	// Aliases are distinct entries, so this is no duplicate (as in Redis).
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "slave-read-only", "yes", "replica-read-only", "no"))
	assert.False(t, n.Config().ReplicaReadOnly)

	for name, value := range map[string]string{
		"masterauth": "m", "appendonly": "yes", "rdbcompression": "no", "repl-ping-replica-period": "2",
		"replica-serve-stale-data": "no", "repl-diskless-sync": "yes", "repl-diskless-sync-delay": "0",
		"aof-load-truncated": "no", "stop-writes-on-bgsave-error": "no", "proto-max-bulk-len": "2mb",
	} {
		require.NoError(t, n.ConfigSet(name, value), name)
		got, ok := n.ConfigGet(name)
		require.True(t, ok)
		if name == "proto-max-bulk-len" {
			value = "2097152"
		}
		assert.Equal(t, value, got, name)
	}
	assert.Equal(t, int64(2<<20), n.limits.MaxBulkLen)

	err := n.ConfigSet("foo", "1")
	assert.EqualError(t, err, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
}

func TestConfigSetBacklogResizesLiveBacklog(t *testing.T) {
	n, e := newCfgNode(t)
	n.repl.createBacklog()
	n.repl.feedRaw([]byte("0123456789"))
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "repl-backlog-size", "32kb"))
	assert.Equal(t, int64(32*1024), n.repl.backlog.size)
	assert.Equal(t, []byte("0123456789"), n.repl.backlog.from(n.repl.backlog.first))

	require.NoError(t, n.ConfigSet("repl-backlog-size", "1"))
	assert.Equal(t, int64(minBacklog), n.Config().ReplBacklogSize, "clamped to 16kb as in Redis")
	assert.Equal(t, int64(minBacklog), n.repl.backlog.size)
}

func TestConfigSetRequirePass(t *testing.T) {
	n, e := newCfgNode(t)
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "requirepass", "secret"))
	assert.Equal(t, "+PONG\r\n", call(t, n, e, 1, "ping"), "an existing client stays authenticated")

	n.OnAccept(2, "127.0.0.1:50001")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", call(t, n, e, 2, "config", "get", "requirepass"))
	assert.Equal(t, "+OK\r\n", call(t, n, e, 2, "auth", "secret"))
	assert.Equal(t, bulkPairs("requirepass", "secret"), call(t, n, e, 2, "config", "get", "requirepass"))

	n.OnAccept(3, "127.0.0.1:50002")
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "requirepass", ""))
	assert.Equal(t, "+PONG\r\n", call(t, n, e, 3, "ping"), "without a password everyone is in")
}

func TestConfigSetProtectedAndDir(t *testing.T) {
	e := newCfgTestEnv()
	e.dirs = map[string]bool{"/data": true, "/data/sub": true}
	e.cwd = "/data"
	cfg := DefaultConfig()
	cfg.Dir = "/data"
	cfg.EnableProtectedConfigs = "local"
	n := New(cfg, cfgTestDirEnv{e})
	n.OnAccept(1, "127.0.0.1:50000")
	n.OnAccept(2, "10.1.2.3:50000")
	n.OnAccept(3, "[::1]:50000")

	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n",
		call(t, n, e, 2, "config", "set", "dir", "sub"))
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n",
		call(t, n, e, 1, "config", "set", "dir", "nope"))
	// dir moves, then the second pair fails: dir must move back.
	assert.Contains(t, call(t, n, e, 1, "config", "set", "dir", "sub", "hz", "x"), "'hz'")
	assert.Equal(t, "/data", e.cwd)
	assert.Equal(t, "/data", n.Config().Dir)

	assert.Equal(t, "+OK\r\n", call(t, n, e, 3, "config", "set", "dir", "sub", "dbfilename", "x.rdb"))
	assert.Equal(t, "/data/sub", n.Config().Dir)
	assert.Equal(t, bulkPairs("dir", "/data/sub"), call(t, n, e, 1, "config", "get", "dir"))

	// The simulator's operator API may set protected directives; without a
	// DirChanger the environment refuses.
	n2, _ := newCfgNode(t)
	assert.EqualError(t, n2.ConfigSet("dir", "/x"),
		"ERR CONFIG SET failed (possibly related to argument 'dir') - changing dir is not supported in this environment")
	require.NoError(t, n2.ConfigSet("dbfilename", "y.rdb"))
}

func TestConfigSetPortRelisten(t *testing.T) {
	e := newCfgTestEnv()
	n := New(DefaultConfig(), cfgTestDirEnv{e})
	n.OnAccept(1, "127.0.0.1:50000")
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
		call(t, n, e, 1, "config", "set", "bind", "127.0.0.2"))
	assert.Nil(t, n.Config().Bind)
	e.listenOK = true
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "set", "port", "7001", "bind", "127.0.0.1 ::1"))
	assert.Equal(t, []string{"[127.0.0.1 ::1] 7001"}, e.listened)
	assert.Equal(t, bulkPairs("bind", "127.0.0.1 ::1", "port", "7001"), call(t, n, e, 1, "config", "get", "bind", "port"))
}

func TestConfigResetStatAndHelp(t *testing.T) {
	n, e := newCfgNode(t)
	call(t, n, e, 1, "ping")
	assert.Equal(t, "+OK\r\n", call(t, n, e, 1, "config", "resetstat"))
	assert.Equal(t, int64(0), n.stats.commandsProcessed, "RESETSTAT was counted before the reset")
	got := call(t, n, e, 1, "config", "help")
	assert.Contains(t, got, "+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
	assert.Contains(t, got, "+    Prints this help.\r\n")

	n.cfg.ConfigFile = "/etc/redis.conf"
	assert.Equal(t, "-ERR Rewriting config file: CONFIG REWRITE is not supported by replsim\r\n",
		call(t, n, e, 1, "config", "rewrite"))
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"*", "anything", true}, {"*read-only*", "slave-read-only", true}, {"p?rt", "PORT", true},
		{"p[a-o]rt", "port", true}, {"p[^o]rt", "port", false}, {"[pq]ort", "qort", true},
		{"h\\z", "hz", true}, {"h*z*", "hz", true}, {"x*", "hz", false}, {"hz?", "hz", false},
		{"[z-a]", "m", true}, {"**a", "ba", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, configGlobMatch(tt.pat, tt.s), "%s ~ %s", tt.pat, tt.s)
	}
}
