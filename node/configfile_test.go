package node

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseText(t *testing.T, text string, opts ...string) (Config, []Warning) {
	t.Helper()
	cfg, warns, err := ParseConfig(ConfigSource{FileName: "test.conf", FileText: text, Options: opts})
	require.NoError(t, err)
	return cfg, warns
}

func parseErr(t *testing.T, text string, opts ...string) *ConfigError {
	t.Helper()
	_, _, err := ParseConfig(ConfigSource{FileName: "test.conf", FileText: text, Options: opts})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	return ce
}

func TestParseConfigTutorialFiles(t *testing.T) {
	var dirs []string
	chdir := func(d string) (string, error) { dirs = append(dirs, d); return "/abs" + d, nil }

	text, err := os.ReadFile("testdata/redis-6379.conf")
	require.NoError(t, err)
	cfg, warns, err := ParseConfig(ConfigSource{FileName: "redis-6379.conf", FileText: string(text), Chdir: chdir})
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.Equal(t, 6379, cfg.Port)
	assert.Equal(t, "/abs/usr/local/redis/redis-4.0.0/data", cfg.Dir)
	assert.Equal(t, []string{"/usr/local/redis/redis-4.0.0/data"}, dirs)
	assert.Equal(t, "dump-6379.rdb", cfg.DBFilename)
	assert.True(t, cfg.RDBCompression)
	assert.True(t, cfg.RDBChecksum)
	assert.Equal(t, []SaveRule{{10, 2}}, cfg.Save)
	assert.True(t, cfg.AppendOnly)
	assert.Equal(t, "always", cfg.AppendFsync)
	assert.Equal(t, "appendonly-6379.aof", cfg.AppendFilename)
	assert.Equal(t, []string{"127.0.0.1"}, cfg.Bind)
	assert.Equal(t, 16, cfg.Databases)
	assert.Equal(t, "", cfg.LogFile)

	text, err = os.ReadFile("testdata/redis-6380.conf")
	require.NoError(t, err)
	// Way 2: the replica is started with --slaveof.
	cfg, warns, err = ParseConfig(ConfigSource{FileName: "redis-6380.conf", FileText: string(text),
		Options: []string{"--slaveof", "127.0.0.1", "6379"}, Chdir: chdir})
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.Equal(t, 6380, cfg.Port)
	assert.Equal(t, "127.0.0.1", cfg.ReplicaOfHost)
	assert.Equal(t, 6379, cfg.ReplicaOfPort)

	// Way 3: the same file plus a slaveof line.
	cfg, _ = parseText(t, string(text)+"slaveof 127.0.0.1 6379\n")
	assert.Equal(t, "127.0.0.1", cfg.ReplicaOfHost)
	assert.Equal(t, 6379, cfg.ReplicaOfPort)
}

func TestParseConfigDirectives(t *testing.T) {
	cfg, warns := parseText(t, strings.Join([]string{
		"# comment",
		"   ",
		"PORT 7000",
		`bind 127.0.0.1 "::1"`,
		"daemonize no",
		`logfile "my log.txt"`,
		"dir data",
		"dbfilename d.rdb",
		"rdbcompression no",
		"rdbchecksum NO",
		"appendonly yes",
		"appendfsync no",
		"appendfilename a.aof",
		"appenddirname adir",
		"aof-load-truncated no",
		"stop-writes-on-bgsave-error no",
		"databases 4",
		"requirepass 'pa ss'",
		"masterauth secret",
		"replicaof 10.0.0.1 7001",
		"slave-read-only no",
		"replica-serve-stale-data no",
		"repl-backlog-size 16kb",
		"repl-timeout 30",
		"repl-ping-slave-period 3",
		"repl-diskless-sync no",
		"repl-diskless-sync-delay 0",
		"proto-max-bulk-len 1g",
		"hz 1000",
		"enable-protected-configs local",
	}, "\r\n"))
	assert.Empty(t, warns)
	want := DefaultConfig()
	want.Port = 7000
	want.Bind = []string{"127.0.0.1", "::1"}
	want.LogFile = "my log.txt"
	want.Dir = "data"
	want.DBFilename = "d.rdb"
	want.RDBCompression = false
	want.RDBChecksum = false
	want.AppendOnly = true
	want.AppendFsync = "no"
	want.AppendFilename = "a.aof"
	want.AppendDirname = "adir"
	want.AofLoadTruncated = false
	want.StopWritesOnBgsaveErr = false
	want.Databases = 4
	want.RequirePass = "pa ss"
	want.MasterAuth = "secret"
	want.ReplicaOfHost, want.ReplicaOfPort = "10.0.0.1", 7001
	want.ReplicaReadOnly = false
	want.ReplicaServeStaleData = false
	want.ReplBacklogSize = 16 * 1024
	want.ReplTimeoutSec = 30
	want.ReplPingPeriodSec = 3
	want.ReplDisklessSync = false
	want.ReplDisklessSyncDelay = 0
	want.ProtoMaxBulkLen = 1000 * 1000 * 1000
	want.Hz = 500
	want.EnableProtectedConfigs = "local"
	assert.Equal(t, want, cfg)
}

func TestParseConfigSave(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts []string
		want []SaveRule
	}{
		{"defaults", "", nil, []SaveRule{{3600, 1}, {300, 100}, {60, 10000}}},
		{"empty", `save ""`, nil, nil},
		{"pairs", "save 900 1 300 10", nil, []SaveRule{{900, 1}, {300, 10}}},
		{"repeated lines add", "save 900 1\nsave 300 10\nsave 60 10000", nil,
			[]SaveRule{{900, 1}, {300, 10}, {60, 10000}}},
		{"empty then rules", "save \"\"\nsave 5 1", nil, []SaveRule{{5, 1}}},
		{"rules then empty clears", "save 900 1\nsave \"\"", nil, nil},
		{"rules, empty, rules", "save 900 1\nsave \"\"\nsave 5 1", nil, []SaveRule{{5, 1}}},
		{"file rules, empty on the command line", "save 900 1", []string{"--save", ""}, nil},
		{"command line adds to the file", "save 10 2", []string{"--save", "60", "5"},
			[]SaveRule{{10, 2}, {60, 5}}},
		{"one quoted argument", "", []string{"--save", "900 1 300 10"}, []SaveRule{{900, 1}, {300, 10}}},
		{"bare --save at the end", "", []string{"--port", "1", "--save"}, nil},
		{"bare --save before an option", "", []string{"--save", "--port", "1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := parseText(t, tt.text, tt.opts...)
			assert.Equal(t, tt.want, cfg.Save)
		})
	}
}

func TestParseConfigOptions(t *testing.T) {
	cfg, _ := parseText(t, "port 6380\n", "--port", "6381", "--slaveof", "127.0.0.1", "6379", "--requirepass", "--weird")
	assert.Equal(t, 6381, cfg.Port)
	assert.Equal(t, "127.0.0.1", cfg.ReplicaOfHost)
	assert.Equal(t, "--weird", cfg.RequirePass, "a bare option name takes the next argument, as in Redis")

	cfg, _ = parseText(t, "", "--port 7001", "--masterauth", "a \"quoted\"\nvalue")
	assert.Equal(t, 7001, cfg.Port)
	assert.Equal(t, "a \"quoted\"\nvalue", cfg.MasterAuth)
}

func TestParseConfigWarnings(t *testing.T) {
	_, warns := parseText(t, "port 1\nlazyfree-lazy-eviction yes\nsyslog-ident x\nlist-max-ziplist-entries 5\nrename-command FLUSHALL \"\"\nmymod.opt 1",
		"--protected-mode", "no")
	require.Len(t, warns, 5)
	assert.Equal(t, Warning{Where: "test.conf:2", Line: "lazyfree-lazy-eviction yes", Msg: "lazyfree-lazy-eviction is not implemented by replsim; ignored"}, warns[0])
	assert.Equal(t, "test.conf:3: 'syslog-ident x': syslog-ident is not implemented by replsim; ignored", warns[1].String())
	assert.Equal(t, "rename-command is not implemented by replsim; ignored", warns[2].Msg)
	assert.Equal(t, "module configs are not implemented by replsim; ignored", warns[3].Msg)
	assert.Equal(t, Warning{Where: "command line", Line: `protected-mode "no"`, Msg: "protected-mode is not implemented by replsim; ignored"}, warns[4])
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		opts   []string
		line   int
		where  string
		echo   string
		errMsg string
	}{
		{"unknown", "port 7400\n# c\nfoo bar\n", nil, 3, "test.conf:3", "foo bar", "Bad directive or wrong number of arguments"},
		{"bad bool", "port 7400\nappendonly maybe\n", nil, 2, "test.conf:2", "appendonly maybe", "argument must be 'yes' or 'no'"},
		{"bad int from options", "port 7400\n", []string{"--hz", "abc"}, 3, "command line", `hz "abc"`, "argument couldn't be parsed into an integer"},
		{"too many args", "port 7400\n", []string{"--port", "1", "2"}, 3, "command line", `port "1" "2"`, "wrong number of arguments"},
		{"odd save", "port 7400\n", []string{"--save", "1"}, 3, "command line", `save "1"`, "Invalid save parameters"},
		{"bad memory", "port 7400\n", []string{"--repl-backlog-size", "1x"}, 3, "command line", `repl-backlog-size "1x"`, "argument must be a memory value"},
		{"unbalanced", "port 7400\nbind \"127.0.0.1\n", nil, 2, "test.conf:2", `bind "127.0.0.1`, "Unbalanced quotes in configuration line"},
		{"bare option", "port 7400\n", []string{"--daemonize", "no", "--daemonize"}, 4, "command line", "daemonize", "wrong number of arguments"},
		{"replicaof arity", "port 7400\nslaveof 127.0.0.1\n", nil, 2, "test.conf:2", "slaveof 127.0.0.1", "wrong number of arguments"},
		{"master port", "port 7400\n", []string{"--slaveof", "127.0.0.1", "99999"}, 3, "command line", `slaveof "127.0.0.1" "99999"`, "Invalid master port"},
		{"port range", "port 70000", nil, 1, "test.conf:1", "port 70000", "argument must be between 0 and 65535 inclusive"},
		{"enum", "appendfsync sometimes", nil, 1, "test.conf:1", "appendfsync sometimes", "argument(s) must be one of the following: everysec, always, no"},
		{"daemonize yes", "daemonize yes", nil, 1, "test.conf:1", "daemonize yes", "daemonize yes is not supported: replsim server runs in the foreground"},
		{"include", "include other.conf", nil, 1, "test.conf:1", "include other.conf", "include is not supported by replsim: put every directive in one file"},
		{"known but wrong arity", "maxmemory 1 2", nil, 1, "test.conf:1", "maxmemory 1 2", "wrong number of arguments"},
		{"dbfilename path", "dbfilename a/b.rdb", nil, 1, "test.conf:1", "dbfilename a/b.rdb", "dbfilename can't be a path, just a filename"},
		{"appendfilename empty", `appendfilename ""`, nil, 1, "test.conf:1", `appendfilename ""`, "appendfilename can't be empty"},
		{"sentinel", "sentinel monitor x", nil, 1, "test.conf:1", "sentinel monitor x", "sentinel directive while not in sentinel mode"},
		{"module without value", "mod.x", nil, 1, "test.conf:1", "mod.x", "Module config specified without value"},
		{"closing quote glued", `requirepass "a"b`, nil, 1, "test.conf:1", `requirepass "a"b`, "Unbalanced quotes in configuration line"},
		{"backlog lower bound", "repl-backlog-size 0", nil, 1, "test.conf:1", "repl-backlog-size 0", "argument must be between 1 and 9223372036854775807 inclusive"},
		{"bulk len lower bound", "proto-max-bulk-len 1000", nil, 1, "test.conf:1", "proto-max-bulk-len 1000", "argument must be between 1048576 and 9223372036854775807 inclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := parseErr(t, tt.text, tt.opts...)
			assert.Equal(t, tt.line, ce.LineNo)
			assert.Equal(t, tt.where, ce.Where)
			assert.Equal(t, tt.echo, ce.Line)
			assert.Equal(t, tt.errMsg, ce.Msg)
		})
	}
}

func TestConfigErrorText(t *testing.T) {
	ce := parseErr(t, "port 7400\n# c\nfoo bar\n")
	assert.Equal(t, "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"+
		"Reading the configuration file, at line 3\n"+
		">>> 'foo bar'\n"+
		"Bad directive or wrong number of arguments", ce.Error())
}

func TestParseConfigDirError(t *testing.T) {
	_, _, err := ParseConfig(ConfigSource{FileText: "dir /nonexist", Chdir: func(string) (string, error) {
		return "", errors.New("No such file or directory")
	}})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "No such file or directory", ce.Msg)
	assert.Equal(t, 1, ce.LineNo)
}

func TestSplitServerArgs(t *testing.T) {
	file, opts, err := SplitServerArgs([]string{"redis.conf", "--port", "1"})
	require.NoError(t, err)
	assert.Equal(t, "redis.conf", file)
	assert.Equal(t, []string{"--port", "1"}, opts)

	file, opts, err = SplitServerArgs([]string{"--port", "1"})
	require.NoError(t, err)
	assert.Equal(t, "", file)
	assert.Equal(t, []string{"--port", "1"}, opts)

	_, _, err = SplitServerArgs([]string{"-"})
	assert.ErrorContains(t, err, "stdin")
}

func TestSplitConfigArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"  a  b\tc ", []string{"a", "b", "c"}, true},
		{`"a b" 'c d'`, []string{"a b", "c d"}, true},
		{`"\x41\n\t\\\"" 'it\'s'`, []string{"A\n\t\\\"", "it's"}, true},
		{`""`, []string{""}, true},
		{`a"b c"`, []string{"ab c"}, true},
		{`"unterminated`, nil, false},
		{`'x'y`, nil, false},
		{"a\x00b c", []string{"a"}, true},
	}
	for _, tt := range tests {
		got, ok := splitConfigArgs(tt.in)
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestMemToUint64(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"1048576", 1 << 20, true},
		{"1mb", 1 << 20, true},
		{"1MB", 1 << 20, true},
		{"16kb", 16 << 10, true},
		{"1gb", 1 << 30, true},
		{"1k", 1000, true},
		{"2m", 2000000, true},
		{"3g", 3000000000, true},
		{"7b", 7, true},
		{"", 0, true},
		{"mb", 0, true},
		{"-1", 0, false},
		{"1x", 0, false},
		{"1 mb", 0, false},
		{"1.5mb", 0, false},
	}
	for _, tt := range tests {
		got, ok := memToUint64(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestCStrtoll(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10", 10, true}, {" +7", 7, true}, {"-3", -3, true}, {"", 0, true},
		{"x", 0, false}, {"1x", 1, false}, {" ", 0, false},
		{"99999999999999999999", 1<<63 - 1, true},
	}
	for _, tt := range tests {
		got, ok := cStrtoll(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"port 6379\nsave 10 2\nbind 127.0.0.1\n",
		"save \"\"\nrequirepass \"a\\x00b\"\n",
		"slaveof 127.0.0.1 6379\nrepl-backlog-size 16kb",
		"dir \"unterminated\n",
		"include x\nfoo\n",
	} {
		f.Add(s, "--port 1")
	}
	f.Fuzz(func(t *testing.T, text, opts string) {
		cfg, warns, err := ParseConfig(ConfigSource{FileName: "f.conf", FileText: text, Options: strings.Fields(opts)})
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Msg == "" {
				t.Fatalf("error without a config error: %v", err)
			}
			return
		}
		for _, w := range warns {
			if w.Msg == "" || w.Where == "" {
				t.Fatalf("empty warning %+v", w)
			}
		}
		if cfg.Hz < minHz || cfg.Hz > maxHz || cfg.Databases < 1 {
			t.Fatalf("out of range: hz %d databases %d", cfg.Hz, cfg.Databases)
		}
	})
}

func BenchmarkParseConfig(b *testing.B) {
	text, err := os.ReadFile("testdata/redis-6379.conf")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseConfig(ConfigSource{FileText: string(text)}); err != nil {
			b.Fatal(err)
		}
	}
}
